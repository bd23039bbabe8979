"""Whole pages: a document, an A4 invoice, a street-sign photo and a handwritten note."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Sequence

import numpy as np
from PIL import ImageFont

from bench.evalset.backgrounds import gradient, near_white, paper, random_colour, smooth_noise
from bench.evalset.content import check_charset, money, random_day, random_phone
from bench.evalset.degrade import add_noise, gaussian_blur, perspective
from bench.evalset.labels import Rendered
from bench.evalset.texts import (
    DOCUMENT_TITLES,
    EN_SENTENCES,
    HANDWRITING_NOTES,
    INVOICE_ITEMS,
    SIGN_COLOURS,
    SIGN_TEXTS,
    ZH_PHRASES,
    ZH_SENTENCES,
)
from bench.kit.canvas import RGB, compose, render_mask, solid
from bench.kit.fonts import load_font, pick_font


def draw_lines(
    canvas: np.ndarray, items: Sequence[tuple[str, ImageFont.FreeTypeFont, int, int, RGB]]
) -> None:
    """Draw (text, font, x, y_top, colour) items; y_top is the top of the line band."""
    for text, font, x, y, colour in items:
        mask = render_mask(text, font)
        compose(canvas, mask, colour, x, y)


def check_fits(items: Sequence[tuple[str, ImageFont.FreeTypeFont, int, int, RGB]], w: int, h: int) -> None:
    for text, font, x, y, _ in items:
        mask_h, mask_w = render_mask(text, font).shape
        if x < 0 or y < 0 or x + mask_w > w or y + mask_h > h:
            raise ValueError(f"{text!r} does not fit on the {w}x{h} page")


def make_document(rng: random.Random, np_rng: np.random.Generator, index: int) -> Rendered:
    w, h = 1920, 1080
    n_lines = rng.randint(8, 15)
    body_size = rng.randint(28, 34)
    pitch = min(int(body_size * 2.3), (h - 160) // n_lines)
    title = rng.choice(DOCUMENT_TITLES)
    texts = [title, *pick_paragraphs(rng, n_lines - 1)]
    font_name = pick_font(rng, "".join(texts), ("noto_sans_sc", "noto_serif_sc", "wqy_microhei", "uming_cn"))
    title_font = load_font("noto_sans_sc_bold", body_size + 10)
    body_font = load_font(font_name, body_size)
    items = []
    y = 80
    for i, text in enumerate(texts):
        check_charset(text)
        items.append((text, title_font if i == 0 else body_font, 120, y, (20, 20, 20)))
        y += pitch + (pitch // 2 if i == 0 else 0)
    check_fits(items, w, h)
    canvas = solid(h, w, near_white(rng))
    draw_lines(canvas, items)
    pixels = add_noise(canvas, np_rng, 2.0)
    fmt = "jpg" if rng.random() < 0.4 else "png"
    return Rendered(pixels, tuple(texts), fmt, 90)


def pick_paragraphs(rng: random.Random, n: int) -> list[str]:
    """Alternate Chinese and English paragraphs of 2-4 sentence lines each."""
    zh, en = list(ZH_SENTENCES), list(EN_SENTENCES)
    rng.shuffle(zh)
    rng.shuffle(en)
    lines: list[str] = []
    use_zh = rng.random() < 0.5
    while len(lines) < n:
        pool = zh if use_zh else en
        take = min(rng.randint(2, 4), n - len(lines))
        lines.extend(pool.pop() for _ in range(take))
        use_zh = not use_zh
    return lines


def make_invoice(rng: random.Random, np_rng: np.random.Generator, index: int) -> Rendered:
    """A4 invoice: every table cell is a separate line; rows are read left to right."""
    w, h = 1240, 1754
    size = rng.randint(28, 32)
    rows = invoice_rows(rng)
    all_text = "".join(text for row in rows for text, _ in row)
    font = load_font(
        pick_font(rng, all_text, ("noto_sans_sc", "wqy_microhei", "noto_serif_sc", "uming_cn")), size
    )
    bold = load_font("noto_sans_sc_bold", size + 14)
    pitch = int(size * 2.8)
    items: list[tuple[str, ImageFont.FreeTypeFont, int, int, RGB]] = []
    title = "增值税普通发票" if rng.random() < 0.5 else "销售发票 SALES INVOICE"
    title_w = render_mask(title, bold).shape[1]
    items.append((title, bold, (w - title_w) // 2, 90, (150, 30, 30)))
    y = 90 + int(pitch * 1.8)
    rule_ys = []
    for row in rows:
        for text, (anchor, x) in row:
            cell_w = render_mask(text, font).shape[1]
            items.append((text, font, x - cell_w if anchor == "right" else x, y, (25, 25, 25)))
        rule_ys.append(y + pitch - (pitch - size) // 2)
        y += pitch
    check_fits(items, w, h)
    check_row_gaps(items, size)
    canvas = solid(h, w, near_white(rng))
    for ry in rule_ys[1:-4]:
        canvas[ry : ry + 2, 80 : w - 80] = (190, 190, 190)
    draw_lines(canvas, items)
    pixels = add_noise(canvas, np_rng, 2.5)
    fmt = "jpg" if rng.random() < 0.5 else "png"
    return Rendered(pixels, tuple(text for text, *_ in items), fmt, 88)


Cell = tuple[str, tuple[str, int]]


def invoice_rows(rng: random.Random) -> list[list[Cell]]:
    left, qty_r, price_r, amount_r = 100, 640, 860, 1140
    y, m, d = random_day(rng)
    rows: list[list[Cell]] = [
        [
            (f"发票号码：{rng.randint(10**7, 10**8 - 1)}", ("left", left)),
            (f"{y}年{m}月{d}日", ("right", amount_r)),
        ],
        [
            ("品名", ("left", left)),
            ("数量", ("right", qty_r)),
            ("单价", ("right", price_r)),
            ("金额", ("right", amount_r)),
        ],
    ]
    total = 0.0
    for name in rng.sample(INVOICE_ITEMS, rng.randint(5, 9)):
        qty = rng.randint(1, 20)
        price = rng.choice([rng.randint(2, 99) + 0.5, float(rng.randint(10, 999))])
        total += qty * price
        rows.append(
            [
                (name, ("left", left)),
                (str(qty), ("right", qty_r)),
                (money(price), ("right", price_r)),
                (money(qty * price), ("right", amount_r)),
            ]
        )
    rows.append([("合计", ("left", left)), (money(total), ("right", amount_r))])
    seller = rng.choice(["北京星光科技有限公司", "上海明达贸易有限公司", "广州新华文具店"])
    rows.append([(f"销售方：{seller}", ("left", left))])
    rows.append([(random_phone(rng), ("left", left))])
    rows.append([(f"地址：{rng.choice(ZH_PHRASES[:8])}", ("left", left))])
    for row in rows:
        for text, _ in row:
            check_charset(text)
    return rows


def check_row_gaps(items: Sequence[tuple[str, ImageFont.FreeTypeFont, int, int, RGB]], size: int) -> None:
    """Cells on one row must be at least two em apart so a detector cannot merge them."""
    by_row: dict[int, list[tuple[int, int]]] = {}
    for text, font, x, y, _ in items:
        by_row.setdefault(y, []).append((x, x + render_mask(text, font).shape[1]))
    for spans in by_row.values():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            if start - end < 2 * size:
                raise ValueError(f"invoice cells too close: gap {start - end}px")


def make_sign(rng: random.Random, np_rng: np.random.Generator, index: int) -> Rendered:
    """A street sign photo: coloured board with 2-3 big lines on a pole over a busy background."""
    w, h = 1280, 960
    texts = SIGN_TEXTS[(index * 3 + 1) % len(SIGN_TEXTS)]
    scene = gradient(h, w, random_colour(rng, 90, 200), random_colour(rng, 40, 160), rng.uniform(0, math.pi))
    scene += smooth_noise(h, w, np_rng, 60)[..., None] * 40 + smooth_noise(h, w, np_rng, 8)[..., None] * 15
    board_colour, text_colour = rng.choice(SIGN_COLOURS)
    masks = []
    for i, text in enumerate(texts):
        size = rng.randint(90, 120) if i == 0 else rng.randint(56, 72)
        font_name = pick_font(rng, text, ("noto_sans_sc_bold", "wqy_microhei", "noto_sans_sc"))
        masks.append(render_mask(text, load_font(font_name, size)))
    gap = 50
    board_w = max(m.shape[1] for m in masks) + 160
    board_h = sum(m.shape[0] for m in masks) + gap * (len(masks) - 1) + 140
    bx, by = (w - board_w) // 2 + rng.randint(-80, 80), (h - board_h) // 2 + rng.randint(-80, 80)
    pole_x = bx + board_w // 2
    scene[by + board_h :, pole_x - 18 : pole_x + 18] = (110, 110, 115)
    scene[by - 12 : by + board_h + 12, bx - 12 : bx + board_w + 12] = (225, 225, 225)
    scene[by : by + board_h, bx : bx + board_w] = board_colour
    y = by + 70
    for mask in masks:
        compose(scene, mask, text_colour, bx + (board_w - mask.shape[1]) // 2, y)
        y += mask.shape[0] + gap
    pixels = perspective(scene, rng, 0.06)
    pixels = add_noise(gaussian_blur(pixels, 0.8), np_rng, 5.0)
    return Rendered(pixels, tuple(texts), "jpg", rng.randint(80, 92))


def make_handwriting_page(rng: random.Random, np_rng: np.random.Generator, index: int) -> Rendered:
    w, h = 1200, 1600
    n = rng.randint(4, 8)
    notes = rng.sample(HANDWRITING_NOTES, n)
    size = rng.randint(56, 72)
    font = load_font("ukai_cn", size)
    ink = rng.choice([(20, 30, 110), (25, 25, 25)])
    canvas = paper(h, w, np_rng)
    pitch = int(size * 2.4)
    y = 120
    for text in notes:
        check_charset(text)
        mask = render_mask(text, font, jitter=rng)
        x = 100 + rng.randint(0, 40)
        if x + mask.shape[1] > w - 40:
            raise ValueError(f"{text!r} too wide for the note page")
        compose(canvas, mask, ink, x, y)
        y += pitch
    fmt = "jpg" if rng.random() < 0.5 else "png"
    return Rendered(add_noise(canvas, np_rng, 2.0), tuple(notes), fmt, 90)


PAGE_MAKERS: dict[str, Callable[[random.Random, np.random.Generator, int], Rendered]] = {
    "page_document": make_document,
    "page_invoice": make_invoice,
    "page_sign": make_sign,
    "page_handwriting": make_handwriting_page,
}
