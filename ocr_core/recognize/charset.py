"""Which recognizer classes a request allows: `lang` and `allowed_chars` as a CTC class mask.

The mask is applied inside the CTC argmax (see `ctc.py`), so a step whose best class is not
allowed goes to the best allowed class instead of being dropped afterwards: a meter read with
`allowed_chars=0123456789` turns a doubtful "O" into "0" rather than losing the digit.

`lang=zh` (or `zh-Hans`) removes traditional-only characters: those Big5 encodes and GB2312 does
not (7,282 of the small dictionary's 15,908 ideographs); `lang=zh-Hant` removes simplified-only
characters, those GB2312 encodes and Big5 does not. The stricter "GB2312 only" rule would also remove
1,924 characters that are in neither set yet are used in simplified text (names and places such
as 堃, 喆, 旸, and 啰), so it is not used. `lang=en` removes CJK ideographs, kana, Hangul and
full-width forms. The blank and the space class are always allowed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ocr_core.script import is_east_asian

_CACHE_SIZE = 32
_masks: dict[tuple[int, str, str | None], np.ndarray] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class CharFilter:
    """A request's character restrictions; `active` is False when it changes nothing."""

    lang: str = "auto"
    allowed_chars: str | None = None

    @property
    def active(self) -> bool:
        return self.lang != "auto" or self.allowed_chars is not None


def class_mask(characters: Sequence[str], char_filter: CharFilter) -> np.ndarray | None:
    """Booleans over the classes (blank, dictionary, space), or None when everything is allowed.

    Cached per dictionary object (the engine keeps one list per dictionary file for the process).
    """
    if not char_filter.active:
        return None
    key = (id(characters), char_filter.lang, char_filter.allowed_chars)
    with _lock:
        mask = _masks.get(key)
    if mask is None:
        mask = np.array([_allowed(char, char_filter) for char in characters], dtype=bool)
        mask[0] = True  # the CTC blank
        if characters and characters[-1] == " ":
            mask[-1] = True
        with _lock:
            if len(_masks) >= _CACHE_SIZE:
                _masks.pop(next(iter(_masks)))
            _masks[key] = mask
    return mask


def _allowed(char: str, char_filter: CharFilter) -> bool:
    if char_filter.allowed_chars is not None and char not in char_filter.allowed_chars:
        return False
    if char_filter.lang in ("zh", "zh-Hans"):
        return not is_traditional_only(char)
    if char_filter.lang == "zh-Hant":
        return not is_simplified_only(char)
    if char_filter.lang == "en":
        return not is_east_asian(char)
    return True


def is_traditional_only(char: str) -> bool:
    """Encodable in Big5 (traditional) but not in GB2312 (simplified): e.g. 區, 陽, 電."""
    return _encodes(char, "big5") and not _encodes(char, "gb2312") and is_east_asian(char)


def is_simplified_only(char: str) -> bool:
    """Encodable in GB2312 (simplified) but not in Big5 (traditional): e.g. 区, 阳, 电."""
    return _encodes(char, "gb2312") and not _encodes(char, "big5") and is_east_asian(char)


def _encodes(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True
