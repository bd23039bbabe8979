"""Scores of one page for `bench.realset`: lines, reading order as a sequence, split lines.

The per-line scores of `bench.evaluate` say whether each line was read; they forgive any order
and any cut. A person reading the result does not: a sign's last word listed after the row
below it, or a paragraph interleaved with its neighbour column, reads wrong even when every
word is right. So, per page:

* ``order CER``: edit distance between the reference lines and the predicted lines, each
  concatenated in reading order (spaces removed, `bench.evaluate.normalise` applied), over the
  reference length. Rows marked ``partial`` (more text in the picture than is labelled) instead
  cost the edits to find each reference line in the prediction: order is not scored there.
* ``order edits``: every predicted line is matched (case-blind) to the reference line(s) it holds
  (a whole line, several merged lines, or a fragment of one); the matched reference indices, in the order
  the lines came out, form a sequence whose edit distance to the same indices sorted is the
  number of lines out of place. A page is ``in order`` when that is 0.
* ``split``: reference lines that came back as two or more predicted lines.
* ``exact``: reference lines some predicted line equals (one-to-one), with spaces near CJK text
  ignored as `bench.evaluate` does, unless the row sets ``spaces`` (the CJK/digit gap cases,
  where the space is what is measured).

Lines given as ``anywhere`` (a figure caption whose place in the order is a matter of taste)
are dropped from the prediction before scoring, wherever they come.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bench.scoring import levenshtein, normalise, squash, substring_distance

MATCH_COST = 0.34
"""A predicted line matches a reference (or a fragment of one) within this share of edits."""
MIN_FRAGMENT = 3
"""Shorter predicted pieces are not matched as fragments (two letters match anything)."""
COVER_COST = 0.25
"""A reference line lies inside a longer predicted line within this share of its own length."""

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0xFFE5: 0xA5})


@dataclass
class PageScore:
    ref_lines: int
    exact: int
    ref_chars: int
    edits: int
    order_edits: int
    matched: int
    split: int
    partial: bool


def spaced(text: str) -> str:
    """Comparison form that keeps every space (full-width forms and yen signs folded as
    `bench.evaluate.normalise` does, runs collapsed)."""
    return " ".join(text.translate(_FULLWIDTH).split())


def _align_end(needle: str, haystack: str) -> tuple[int, int]:
    """(fewest edits turning `needle` into a substring of `haystack`, end of that substring)."""
    if not needle or not haystack:
        return len(needle), 0
    hay = np.frombuffer(haystack.encode("utf-32-le"), dtype=np.uint32)
    idx = np.arange(len(hay) + 1)
    previous = np.zeros(len(hay) + 1, dtype=np.int64)
    for i, char in enumerate(needle, 1):
        cost = (hay != ord(char)).astype(np.int64)
        base = np.empty_like(previous)
        base[0] = i
        base[1:] = np.minimum(previous[1:] + 1, previous[:-1] + cost)
        previous = np.minimum.accumulate(base - idx) + idx  # insertions along the haystack
    end = int(np.argmin(previous))
    return int(previous[end]), end


def _bag_overlap(a: Counter[str], b: Counter[str]) -> int:
    return sum(min(count, b[char]) for char, count in a.items())


def match_lines(refs: Sequence[str], preds: Sequence[str]) -> list[list[int]]:
    """For each predicted line, the reference indices it holds, in their order inside it."""
    bags = [Counter(r) for r in refs]
    used: set[int] = set()
    out: list[list[int]] = []
    for pred in preds:
        pbag = Counter(pred)
        candidates: list[tuple[float, int, int, int]] = []  # (cost share, -length, end, ref)
        for k, ref in enumerate(refs):
            if not ref or len(ref) > 1.4 * len(pred) + 1:
                continue
            if _bag_overlap(bags[k], pbag) < (1 - COVER_COST) * len(ref):
                continue
            cost, end = _align_end(ref, pred)
            if cost <= COVER_COST * len(ref):
                candidates.append((cost / len(ref) + 0.01 * (k in used), -len(ref), end, k))
        covered: list[tuple[int, int, int]] = []  # (start, end, ref), best matches first
        for _, length, end, k in sorted(candidates):
            start = max(end + length, 0)
            if not any(start < e - 1 and end > s + 1 for s, e, _ in covered):
                covered.append((start, end, k))
        if covered and sum(len(refs[k]) for *_, k in covered) >= 0.5 * len(pred):
            held = [k for *_, k in sorted(covered)]
        else:
            held = _fragment_of(pred, refs, bags, pbag, used)
        used.update(held)
        out.append(held)
    return out


def _fragment_of(
    pred: str, refs: Sequence[str], bags: Sequence[Counter[str]], pbag: Counter[str], used: set[int]
) -> list[int]:
    """The one reference line `pred` is a piece of; none when it is short or could be a piece of
    lines that differ (a garbled word found in several lines says nothing about order)."""
    if len(pred) < MIN_FRAGMENT:
        return []
    found: list[tuple[int, bool, int]] = []  # (edits, already matched, reference)
    for k, ref in enumerate(refs):
        if len(pred) > 1.4 * len(ref) + 1 or _bag_overlap(pbag, bags[k]) < (1 - MATCH_COST) * len(pred):
            continue
        edits = substring_distance(pred, ref)
        if edits <= MATCH_COST * len(pred):
            found.append((edits, k in used, k))
    found.sort()
    if not found:
        return []
    rivals = [k for edits, _, k in found[1:] if edits < found[0][0] + 2 and refs[k] != refs[found[0][2]]]
    return [] if rivals else [found[0][2]]


def order_sequence(held: Sequence[Sequence[int]]) -> list[int]:
    """Matched reference indices in output order, consecutive repeats (fragments) collapsed."""
    sequence: list[int] = []
    for group in held:
        for k in group:
            if not sequence or sequence[-1] != k:
                sequence.append(k)
    return sequence


def score_page(row: dict[str, Any], predicted: Sequence[str]) -> PageScore:
    partial = bool(row.get("partial", False))
    anywhere = [squash(a) for a in row.get("anywhere", ())]
    preds = [p for p in predicted if squash(p) and not _is_anywhere(squash(p), anywhere)]
    refs = [squash(r) for r in row["lines"]]
    flat_pred = "".join(squash(p) for p in preds)
    if partial:
        edits = sum(substring_distance(r, flat_pred) for r in refs)
    else:
        edits = levenshtein("".join(refs), flat_pred)
    # Order is matched case-blind: a recognizer that reads a page in capitals still orders it.
    held = match_lines([r.casefold() for r in refs], [squash(p).casefold() for p in preds])
    sequence = order_sequence(held)
    order_edits = levenshtein(sequence, sorted(sequence))
    pieces = Counter(k for group in held for k in set(group))
    # On partial pages the same words may stand elsewhere in the picture (a second sign).
    split = 0 if partial else sum(1 for k, count in pieces.items() if count > 1 and refs.count(refs[k]) == 1)
    return PageScore(
        len(refs),
        exact_lines(row, preds),
        sum(len(r) for r in refs),
        edits,
        order_edits,
        len(set(sequence)),
        split,
        partial,
    )


def exact_lines(row: dict[str, Any], predicted: Sequence[str]) -> int:
    form = spaced if row.get("spaces") else normalise
    unmatched = Counter(form(p) for p in predicted)
    exact = 0
    for ref in row["lines"]:
        if unmatched[form(ref)] > 0:
            unmatched[form(ref)] -= 1
            exact += 1
    return exact


def _is_anywhere(pred: str, anywhere: Sequence[str]) -> bool:
    return any(levenshtein(pred, a) <= MATCH_COST * max(len(a), 1) for a in anywhere)
