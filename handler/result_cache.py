"""A bounded in-process cache of OCR results, keyed by the file's SHA-256 and the options.

The original service planned this "hash cache": clients retry, pages get re-submitted, and
the upload page's "Recognize again" resends the same bytes. A warm Lambda keeps the process,
so a repeated image answers from memory without inference. Results hold no pixels (a few KB
each), and the entry count is capped (`OCR_CACHE_SIZE`, 0 turns it off), so memory stays bounded.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable

from ocr_core import Limits, OcrEngine, OcrOptions, OcrResult

CacheKey = tuple[str, OcrOptions, Limits, str]


class ResultCache:
    """Least-recently-used map from (file digest, options, limits) to a finished result."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, OcrResult] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(data: bytes, options: OcrOptions, engine: OcrEngine) -> CacheKey:
        """Same bytes, same options, same engine (limits and model files): same answer."""
        return hashlib.sha256(data).hexdigest(), options, engine.limits, str(engine.model_dir)

    def get(self, key: CacheKey) -> OcrResult | None:
        with self._lock:
            result = self._entries.get(key)
            if result is not None:
                self._entries.move_to_end(key)
            return result

    def put(self, key: CacheKey, result: OcrResult) -> None:
        if self.max_entries <= 0:
            return
        with self._lock:
            self._entries[key] = result
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
