"""The texts of each line category: drawn from the pools in `texts`, plus random dates,
prices, phone numbers and ids; and the character set every label must stay within.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from bench.evalset.texts import EN_PHRASES, HANDWRITING_NOTES, MIXED_PHRASES, MONTHS_EN, ZH_PHRASES

# Full-width punctuation allowed besides ASCII and GB2312 level-1 hanzi.
EXTRA_CHARS = "，。：；（）￥、"


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


def random_day(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)


def random_date(rng: random.Random) -> str:
    y, m, d = random_day(rng)
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
    y, m, d = random_day(rng)
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
