"""Rendered pages and lines, one group per way real photos are read wrong (see `bench.realset`).

Each case is a pure function of (seed, class, index), drawn with the Debian fonts and the
rendering primitives of `bench.evalset`, and its ground truth lists the lines in the order a
person reads them. The classes:

* ``split_row``: rows with a wide gap or a long dash (``——``) between two fragments; the row
  is one line;
* ``tilt``: a paragraph page turned by 2-6 degrees;
* ``vertical``: vertical Chinese, columns read top to bottom, right to left;
* ``mixed_script``: simplified lines rich in characters that have a traditional twin (and a
  few traditional lines), read as line crops, each once tight on white and once with margins;
* ``cjk_gap``: CJK text next to digits or Latin, with a visible gap (a space) or none; spaces
  are scored;
* ``lookalike``: Latin words and numbers whose letters have digit twins (``l``/``1``, ``O``/``0``,
  ``B``/``8``);
* ``dense_form``: label/value pairs, two per row, closely spaced: label, then its value, row by row.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import numpy as np
from PIL import Image, ImageDraw

from bench.evalset.backgrounds import near_black, near_white, paper
from bench.evalset.degrade import add_noise, gaussian_blur, rotate_expand
from bench.evalset.generate import sample_rngs
from bench.evalset.labels import Rendered
from bench.kit.canvas import compose, render_mask, solid
from bench.kit.fonts import load_font

RNG = tuple[random.Random, np.random.Generator]

SPLIT_ROWS: tuple[tuple[str, str, str], ...] = (
    ("第一章", "——", "总则"),
    ("营业时间", "gap", "09:00-21:00"),
    ("北京西站", "——", "天安门东"),
    ("Exit", "gap", "出口"),
    ("Opening Hours", "gap", "Mon-Fri"),
    ("会议纪要", "——", "第三季度"),
    ("联系电话", "gap", "010-62758888"),
    ("Platform 2", "gap", "Shanghai"),
    ("结论", "——", "同意立项"),
    ("North Gate", "gap", "北门"),
    ("价格", "gap", "128元"),
    ("Chapter 5", "——", "Results"),
)
PARAGRAPHS: tuple[str, ...] = (
    "本项目旨在提升城市公共服务水平",
    "The committee met on Tuesday to review",
    "各部门应当按照要求及时报送材料",
    "the budget for the coming year and",
    "会议决定下个月开始试点工作",
    "approved the plan with minor changes.",
    "请各单位认真组织学习相关文件",
    "Questions may be sent to the office.",
)
VERTICAL_TEXTS: tuple[str, ...] = (
    "春眠不觉晓",
    "处处闻啼鸟",
    "夜来风雨声",
    "花落知多少",
    "白日依山尽",
    "黄河入海流",
    "欲穷千里目",
    "更上一层楼",
)
SIMPLIFIED: tuple[str, ...] = (
    "黄石市人民医院",
    "黄石市",
    "结论与讨论",
    "发展和改革委员会",
    "长江经济带",
    "电话号码变更通知",
    "东区门诊楼",
    "请于开会前签到",
    "历史与现实",
    "银行卡挂失",
    "铁路运输服务",
    "学习贯彻会议精神",
    "广东省气象台",
)
TRADITIONAL: tuple[str, ...] = ("臺灣大學圖書館", "電話號碼", "東區門診樓", "歷史與現實", "發展與改革")
CJK_GAPS: tuple[tuple[str, ...], ...] = (
    ("2017年11月22日",),
    ("这些", "2799.90元"),
    ("第3季度",),
    ("共", "12", "件"),
    ("版本", "V2.1"),
    ("订单号", "A20231105"),
    ("房间", "305"),
    ("电话010-62758888",),
    ("支付", "Alipay"),
    ("合计￥356.00",),
    ("WiFi密码", "88886666"),
    ("5G网络",),
)
LOOKALIKES: tuple[str, ...] = (
    "Email",
    "Hello World",
    "file list",
    "Room 101",
    "Total 1024",
    "BOOK 808",
    "OFFICE 2010",
    "Bill No. 8801",
    "level 11",
    "Call 0101",
    "lily",
    "Model B8",
)
FORM_PAIRS: tuple[tuple[str, str], ...] = (
    ("姓名：", "张三"),
    ("性别：", "男"),
    ("出生日期：", "1990年5月12日"),
    ("民族：", "汉"),
    ("电话：", "13812345678"),
    ("邮编：", "100871"),
    ("单位：", "北京大学"),
    ("职务：", "教授"),
    ("Name:", "Li Wei"),
    ("Date:", "2023-06-01"),
    ("金额：", "￥1,280.00"),
    ("编号：", "No.20230601"),
    ("地址：", "海淀区中关村大街"),
    ("备注：", "无"),
)
FONTS_ZH = ("noto_sans_sc", "noto_serif_sc", "wqy_microhei")
FONTS_EN = ("dejavu_sans", "liberation_sans", "liberation_serif", "liberation_mono", "dejavu_serif")


def _finish(canvas: np.ndarray, rng: RNG, lines: Sequence[str], blur: float = 0.0) -> Rendered:
    pixels = gaussian_blur(canvas, blur) if blur else canvas
    return Rendered(add_noise(pixels, rng[1], 2.0), tuple(lines), "png")


def split_row(index: int, rng: RNG) -> Rendered:
    r = rng[0]
    rows = r.sample(SPLIT_ROWS, 4)
    size = r.randint(30, 40)
    font = load_font(r.choice(FONTS_ZH), size)
    canvas = paper(120 + int(size * 2.2) * len(rows) + 60, 1300, rng[1])
    y, lines = 80, []
    for left, kind, right in rows:
        x = 80 + r.randint(0, 40)
        for part, gap in ((left, 0), (kind, 0.2) if kind == "——" else ("", 0), (right, 0.2)):
            if not part:
                x += int(size * r.uniform(1.6, 3.0))  # the wide gap a person still reads across
                continue
            mask = render_mask(part, font)
            x += int(gap * size)
            compose(canvas, mask, near_black(r), x, y)
            x += mask.shape[1]
        lines.append(f"{left}{'——' if kind == '——' else ' '}{right}")
        y += int(size * 2.2)
    return _finish(canvas, rng, lines)


def tilt(index: int, rng: RNG) -> Rendered:
    r = rng[0]
    lines = list(PARAGRAPHS[: r.randint(5, 8)])
    size = r.randint(26, 34)
    font = load_font("noto_sans_sc", size)
    pitch = int(size * 1.7)
    canvas = solid(160 + pitch * len(lines), 1100, near_white(r))
    for i, text in enumerate(lines):
        compose(canvas, render_mask(text, font), near_black(r), 80, 80 + i * pitch)
    angle = r.choice((-1, 1)) * (2.0 + index % 5)  # 2..6 degrees, both ways
    return _finish(rotate_expand(canvas, angle, canvas[0, 0]), rng, lines, 0.6)


def vertical(index: int, rng: RNG) -> Rendered:
    r = rng[0]
    columns = r.sample(VERTICAL_TEXTS, r.randint(3, 6))
    size = r.randint(34, 46)
    font = load_font(r.choice(FONTS_ZH), size)
    pitch_x, pitch_y = int(size * 2.0), int(size * 1.15)
    width = 160 + pitch_x * len(columns)
    canvas = paper(160 + pitch_y * max(len(c) for c in columns), width, rng[1])
    for col, text in enumerate(columns):  # the first column is the rightmost
        x = width - 100 - (col + 1) * pitch_x
        for row, char in enumerate(text):
            mask = render_mask(char, font)
            compose(canvas, mask, near_black(r), x + (size - mask.shape[1]) // 2, 80 + row * pitch_y)
    return _finish(canvas, rng, columns)


def _line_crop(parts: Sequence[str], font_name: str, size: int, gap: float, r: random.Random) -> np.ndarray:
    font = load_font(font_name, size)
    masks = [render_mask(p, font) for p in parts]
    height = max(m.shape[0] for m in masks)
    spacing = int(gap * size)
    width = sum(m.shape[1] for m in masks) + spacing * (len(masks) - 1)
    canvas = solid(height + 16, width + 16, near_white(r))
    x = 8
    for mask in masks:
        compose(canvas, mask, near_black(r), x, 8 + height - mask.shape[0])
        x += mask.shape[1] + spacing
    return canvas


def mixed_script(index: int, rng: RNG) -> Rendered:
    """Every text twice: a tight crop on white, and a crop with margins and noise."""
    texts = SIMPLIFIED + TRADITIONAL
    text = texts[index % len(texts)]
    r = rng[0]
    if index < len(texts):
        font = load_font(r.choice(FONTS_ZH), r.randint(24, 40))
        left, top, right, bottom = font.getbbox(text)
        image = Image.new("RGB", (right - left + 16, bottom - top + 16), "white")
        ImageDraw.Draw(image).text((8 - left, 8 - top), text, font=font, fill="black")
        return Rendered(np.asarray(image, dtype=np.float32), (text,), "png")
    return _finish(_line_crop([text], r.choice(FONTS_ZH), r.randint(28, 40), 0, r), rng, [text])


def cjk_gap(index: int, rng: RNG) -> Rendered:
    parts = CJK_GAPS[index % len(CJK_GAPS)]
    r = rng[0]
    canvas = _line_crop(parts, r.choice(FONTS_ZH), r.randint(28, 40), r.uniform(0.5, 0.8), r)
    return _finish(canvas, rng, [" ".join(parts)])


def lookalike(index: int, rng: RNG) -> Rendered:
    text = LOOKALIKES[index % len(LOOKALIKES)]
    r = rng[0]
    canvas = _line_crop([text], r.choice(FONTS_EN), r.randint(22, 34), 0, r)
    return _finish(canvas, rng, [text], blur=0.7)


def dense_form(index: int, rng: RNG) -> Rendered:
    r = rng[0]
    pairs = r.sample(FORM_PAIRS, 10)
    size = r.randint(26, 32)
    font = load_font(r.choice(FONTS_ZH), size)
    pitch = int(size * 1.6)
    canvas = solid(160 + pitch * 5, 1400, near_white(r))
    lines = []
    for i, (label, value) in enumerate(pairs):
        row, col = divmod(i, 2)
        x, y = 80 + col * 660, 80 + row * pitch
        label_mask = render_mask(label, font)
        compose(canvas, label_mask, near_black(r), x, y)
        compose(canvas, render_mask(value, font), near_black(r), x + 190 + r.randint(0, 30), y)
        lines += [label, value]
    return _finish(canvas, rng, lines)


CLASSES: dict[str, tuple[str, int, Callable[[int, RNG], Rendered]]] = {
    "split_row": ("page", 4, split_row),
    "tilt": ("page", 5, tilt),
    "vertical": ("page", 3, vertical),
    "mixed_script": ("line", 2 * (len(SIMPLIFIED) + len(TRADITIONAL)), mixed_script),
    "cjk_gap": ("line", len(CJK_GAPS), cjk_gap),
    "lookalike": ("line", len(LOOKALIKES), lookalike),
    "dense_form": ("page", 3, dense_form),
}
"""class -> (kind, number of cases, maker)."""


def rendered_cases(seed: int) -> list[tuple[dict[str, object], Rendered]]:
    """(label row, image) for every rendered case; rows name their class and kind."""
    cases = []
    for name, (kind, count, make) in CLASSES.items():
        for index in range(count):
            rendered = make(index, sample_rngs(seed, f"realcase:{name}", index))
            row: dict[str, object] = {
                "file": f"{name}_{index:02d}.{rendered.fmt}",
                "category": name,
                "kind": kind,
                "lines": list(rendered.lines),
                "partial": False,
            }
            if name == "cjk_gap":
                row["spaces"] = True
            cases.append((row, rendered))
    return cases
