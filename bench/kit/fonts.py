"""Every font the kit draws with: the file, the Debian package that ships it, and what it covers.

Fonts come only from Debian packages (`DEBIAN_FONT_PACKAGES`, installed by `make system-deps`),
so any clean machine renders the same pixels; a missing file raises `FontMissingError` naming
the package to `apt-get install`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont

DEBIAN_FONT_PACKAGES: tuple[str, ...] = (
    "fonts-noto-cjk",
    "fonts-wqy-microhei",
    "fonts-arphic-ukai",
    "fonts-arphic-uming",
    "fonts-dejavu-core",
    "fonts-liberation",
)

NOTO_SANS_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_SANS_CJK_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
NOTO_SERIF_CJK = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SC_FACE = 2
"""Index of the Simplified Chinese face in the Noto CJK collections (0 is the Japanese one)."""


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
    # The face the tests and the sample events draw with: the collection's first (Japanese
    # glyph forms, which cover the Chinese test texts).
    "noto_sans_cjk": FontSpec(NOTO_SANS_CJK, "fonts-noto-cjk", 0),
    "noto_sans_sc": FontSpec(NOTO_SANS_CJK, "fonts-noto-cjk", SC_FACE),
    "noto_sans_sc_bold": FontSpec(NOTO_SANS_CJK_BOLD, "fonts-noto-cjk", SC_FACE),
    "noto_serif_sc": FontSpec(NOTO_SERIF_CJK, "fonts-noto-cjk", SC_FACE),
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
    """A random font of ``pool`` that draws every character of ``text``."""
    choices = [name for name in pool if font_covers(name, text)]
    if not choices:
        raise ValueError(f"no font in {pool} covers {text!r}")
    return rng.choice(choices)
