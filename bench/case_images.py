"""The bench cases' images, drawn with Pillow and the kit's Debian fonts (`bench.kit.fonts`).

Each image is a pure function of its case name: the random generators are seeded by it.
Brush style for the note is AR PL UKai ("ukai_cn"); everything else Noto Sans/Serif CJK SC,
DejaVu and Liberation.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.case_texts import (
    DOCUMENT_BODY,
    DOCUMENT_TITLE,
    HANDWRITING_LINES,
    INVOICE_ITEMS,
    PRODUCTS,
    SIGN_LINES,
)
from bench.kit.fonts import load_font

RGB = tuple[int, int, int]
LINE_COUNTS = (5, 10, 20, 40, 80)
"""Lines on the `lines` group's pages (time vs amount of text)."""


def rng_for(name: str) -> tuple[random.Random, np.random.Generator]:
    seed = zlib.crc32(name.encode())
    return random.Random(seed), np.random.default_rng(seed)


def paper(width: int, height: int, rgb: RGB, noise: float, np_rng: np.random.Generator) -> Image.Image:
    base = np.empty((height, width, 3), np.float32)
    base[:] = rgb
    if noise:
        base += np_rng.normal(0.0, noise, (height, width, 1)).astype(np.float32)
    return Image.fromarray(base.clip(0, 255).astype(np.uint8))


def add_noise(image: Image.Image, sigma: float, np_rng: np.random.Generator) -> Image.Image:
    pixels = np.asarray(image).astype(np.float32)
    pixels += np_rng.normal(0.0, sigma, pixels.shape).astype(np.float32)
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))


def text_width(text: str, face: ImageFont.FreeTypeFont) -> int:
    return math.ceil(face.getlength(text))


def line_crop(name: str, script: str, text: str) -> Image.Image:
    rng, np_rng = rng_for(name)
    if script == "en":
        ref = rng.choice(("dejavu_sans", "liberation_serif", "liberation_sans", "noto_sans_sc"))
    else:
        ref = rng.choice(("noto_sans_sc", "noto_serif_sc"))
    size = rng.randint(30, 42)
    face = load_font(ref, size)
    ascent, descent = face.getmetrics()
    margin_x, margin_y = round(size * rng.uniform(0.2, 0.5)), round(size * rng.uniform(0.12, 0.3))
    width, height = text_width(text, face) + 2 * margin_x, ascent + descent + 2 * margin_y
    shade = rng.randint(232, 252)
    image = paper(width, height, (shade, shade, shade - rng.randint(0, 8)), 2.0, np_rng)
    ink = rng.randint(0, 50)
    ImageDraw.Draw(image).text(
        (margin_x, margin_y + ascent), text, font=face, fill=(ink, ink, ink), anchor="ls"
    )
    return image


def document(name: str, scale: float) -> Image.Image:
    """The 1080p report page; `scale` multiplies every size (1.0 = 1920x1080)."""
    _, np_rng = rng_for(name)
    width, height = round(1920 * scale), round(1080 * scale)
    image = paper(width, height, (252, 252, 250), 0.0, np_rng)
    draw = ImageDraw.Draw(image)
    left, top = round(110 * scale), round(60 * scale)
    title = load_font("noto_sans_sc", round(50 * scale))
    draw.text((left, top + round(50 * scale)), DOCUMENT_TITLE, font=title, fill=(20, 20, 30), anchor="ls")
    body = load_font("noto_sans_sc", round(33 * scale))
    pitch = 62 * scale
    for row, text in enumerate(DOCUMENT_BODY):
        y = top + round(125 * scale + row * pitch)
        draw.text((left, y), text, font=body, fill=(35, 35, 35), anchor="ls")
    return image


INVOICE_COLUMNS = (200, 860, 1320, 1600, 1940, 2280)
INVOICE_ROW_H, INVOICE_TABLE_TOP = 110, 720


def invoice_layout() -> list[tuple[int, int, str, int]]:
    """(x, baseline y, text, font size) of every text on the invoice, in reading order."""
    items = [(760, 260, "增值税普通发票 INVOICE", 96)]
    items += [
        (200, 420, "发票代码：031002300111", 46),
        (1400, 420, "开票日期：2024年03月15日", 46),
        (200, 510, "购买方：上海明远科技有限公司", 46),
        (1400, 510, "发票号码：No. 08675309", 46),
        (200, 600, "纳税人识别号：91310115MA1K4QWE2X", 46),
    ]
    header = ("项目名称", "规格型号", "数量", "单价", "金额")
    rows = [header] + [(n, m, q, p, f"{int(q) * float(p):.2f}") for n, m, q, p in INVOICE_ITEMS]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            items.append((INVOICE_COLUMNS[c] + 24, INVOICE_TABLE_TOP + r * INVOICE_ROW_H + 74, value, 44))
    bottom = INVOICE_TABLE_TOP + len(rows) * INVOICE_ROW_H
    total = sum(int(q) * float(p) for _, _, q, p in INVOICE_ITEMS)
    items += [
        (1400, bottom + 130, f"合计金额：{total:.2f}元", 46),
        (200, bottom + 230, "销售方：北京华信办公用品有限公司", 46),
        (200, bottom + 320, "地址电话：北京市朝阳区建国路88号 010-65001234", 46),
        (200, bottom + 410, "开户行及账号：中国银行北京分行 3456 7890 1234", 46),
        (200, bottom + 560, "备注：请于收到发票后三十日内付款，谢谢合作。", 46),
    ]
    return items


def invoice(name: str) -> Image.Image:
    """A4 at 300 dpi: header, a ruled item table (every cell is one line of ground truth), totals."""
    _, np_rng = rng_for(name)
    width, height = 2480, 3508
    image = paper(width, height, (247, 246, 242), 3.0, np_rng)
    draw = ImageDraw.Draw(image)
    for x, y, text, size in invoice_layout():
        draw.text((x, y), text, font=load_font("noto_sans_sc", size), fill=(25, 25, 30), anchor="ls")
    rows = len(INVOICE_ITEMS) + 1
    bottom = INVOICE_TABLE_TOP + rows * INVOICE_ROW_H
    for r in range(rows + 1):
        y = INVOICE_TABLE_TOP + r * INVOICE_ROW_H
        draw.line([(INVOICE_COLUMNS[0], y), (INVOICE_COLUMNS[-1], y)], fill=(90, 90, 90), width=3)
    for x in INVOICE_COLUMNS:
        draw.line([(x, INVOICE_TABLE_TOP), (x, bottom)], fill=(90, 90, 90), width=3)
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    return add_noise(image, 4.0, np_rng)


def street_sign(name: str) -> Image.Image:
    """A green sign on a noisy, uneven background, slightly tilted in perspective, blurred like a photo."""
    rng, np_rng = rng_for(name)
    width, height = 1280, 960
    y = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    sky = np.array([150, 180, 215], np.float32) * (1 - y) + np.array([110, 105, 95], np.float32) * y
    coarse = np_rng.normal(0.0, 22.0, (height // 40 + 1, width // 40 + 1, 1)).astype(np.float32)
    coarse = coarse + np_rng.normal(0.0, 5.0, (*coarse.shape[:2], 3)).astype(np.float32)
    blotches = np.asarray(
        Image.fromarray(((coarse + 128).clip(0, 255)).astype(np.uint8)).resize(
            (width, height), Image.Resampling.BICUBIC
        )
    ).astype(np.float32)
    background = (sky + blotches - 128).clip(0, 255).astype(np.uint8)
    image = Image.fromarray(np.ascontiguousarray(np.broadcast_to(background, (height, width, 3))))
    draw = ImageDraw.Draw(image)
    box = (150, 250, 1130, 720)
    draw.rounded_rectangle(box, radius=30, fill=(18, 110, 70), outline=(240, 240, 240), width=10)
    white = (245, 245, 245)
    draw.text((640, 400), SIGN_LINES[0], font=load_font("noto_sans_sc", 130), fill=white, anchor="ms")
    draw.text((640, 520), SIGN_LINES[1], font=load_font("dejavu_sans", 64), fill=white, anchor="ms")
    draw.text((640, 640), SIGN_LINES[2], font=load_font("noto_sans_sc", 56), fill=white, anchor="ms")
    draw.rectangle((620, 720, 660, height), fill=(90, 90, 95))  # the post
    # Perspective: the right side a little further away than the left.
    coeffs = perspective_coeffs(
        [(0, 0), (width, 0), (width, height), (0, height)],
        [(0, rng.uniform(-10, 0)), (width, 50), (width - 20, height - 45), (10, height)],
    )
    image = image.transform(
        (width, height),
        Image.Transform.PERSPECTIVE,
        coeffs,
        Image.Resampling.BICUBIC,
        fillcolor=(120, 130, 140),
    )
    image = image.filter(ImageFilter.GaussianBlur(1.1))
    return add_noise(image, 7.0, np_rng)


def perspective_coeffs(
    target: Sequence[tuple[float, float]], source: Sequence[tuple[float, float]]
) -> list[float]:
    """Pillow's 8 PERSPECTIVE coefficients mapping output points `target` to input points `source`."""
    rows = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    rhs = np.array([c for point in source for c in point], np.float64)
    return np.linalg.solve(np.array(rows, np.float64), rhs).tolist()


def handwriting_note(name: str) -> Image.Image:
    """Six brush-style lines on ruled cream paper, each a little rotated and shifted."""
    rng, np_rng = rng_for(name)
    width, height = 1400, 1000
    image = paper(width, height, (250, 244, 225), 2.5, np_rng)
    draw = ImageDraw.Draw(image)
    pitch, top = 135, 170
    for r in range(7):
        y = top + r * pitch + 14
        draw.line([(60, y), (width - 60, y)], fill=(170, 190, 225), width=2)
    face = load_font("ukai_cn", 60)
    for r, text in enumerate(HANDWRITING_LINES):
        layer = Image.new("L", (text_width(text, face) + 40, 110), 0)
        ImageDraw.Draw(layer).text((20, 80), text, font=face, fill=255, anchor="ls")
        layer = layer.rotate(rng.uniform(-2.0, 2.0), resample=Image.Resampling.BICUBIC, expand=True)
        x, y = 90 + rng.randint(0, 60), top + r * pitch - 80 + rng.randint(-6, 6)
        ink = Image.new("RGB", layer.size, (30, 40, 90))
        image.paste(ink, (x, y), layer)
    return image.filter(ImageFilter.GaussianBlur(0.5))


def line_list_page(count: int) -> tuple[Image.Image, list[str]]:
    """An A4 page at 150 dpi with `count` short lines in two columns (rows read left to right)."""
    rng, np_rng = rng_for("line_list")  # one pool: the 5-line page is the start of the 80-line page
    width, height = 1240, 1754
    image = paper(width, height, (252, 252, 250), 0.0, np_rng)
    draw = ImageDraw.Draw(image)
    face = load_font("noto_sans_sc", 25)
    texts = []
    for index in range(max(LINE_COUNTS)):
        product = PRODUCTS[index % len(PRODUCTS)]
        price = f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}"
        texts.append(f"{index + 1:02d} {product} x{rng.randint(1, 99)} 单价{price}元")
    lines = texts[:count]
    for index, text in enumerate(lines):
        row, column = divmod(index, 2)
        draw.text((80 + column * 590, 100 + row * 40), text, font=face, fill=(30, 30, 30), anchor="ls")
    return image, lines
