"""Which kind of writing a character is: the one rule every stage asks.

"Wide" is Unicode's East Asian Width W or F: CJK ideographs (supplementary planes included),
kana, Hangul, CJK punctuation and full-width forms. Wide characters are words on their own
(word boxes), take no space between them when lines are joined (layout), are what `lang=en`
removes (charset, with the half-width forms of the same scripts), and get no space recovered
next to full-width punctuation (CTC).
"""

from __future__ import annotations

import unicodedata


def is_wide(char: str) -> bool:
    """A CJK-style character (East Asian Width W or F); False for an empty string."""
    return bool(char) and unicodedata.east_asian_width(char[0]) in ("W", "F")


def is_east_asian(char: str) -> bool:
    """Wide, or a half-width form of an East Asian script (half-width katakana and Hangul):
    what `lang=en` never reads."""
    return is_wide(char) or (bool(char) and unicodedata.east_asian_width(char[0]) == "H")


def is_full_width_punctuation(char: str) -> bool:
    """CJK symbols and punctuation or full-width forms: they carry their own spacing."""
    code = ord(char[0]) if char else 0
    return 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF
