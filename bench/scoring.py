"""The one rule for comparing OCR output with ground truth: bench, evaluation and tests.

Comparison form of a line (``normalise``, applied to reference and prediction alike):
  * full-width ASCII forms U+FF01-FF5E become their ASCII twins (``，`` -> ``,``, ``：`` -> ``:``,
    ``（`` -> ``(``, full-width digits and letters), the ideographic space becomes a space, and
    ``￥`` and ``¥`` both become ``¥``. The two forms look alike at line height and the
    recognisers' dictionaries hold both, so telling them apart is not OCR;
  * other Chinese punctuation (``。``, ``、``, ``《》`` ...) is kept as it is;
  * whitespace runs collapse to one space and ends are stripped;
  * a space next to a wide character (``ocr_core.script.is_wide``: CJK ideographs and
    punctuation, kana, Hangul) is dropped, so "北京 Beijing" == "北京Beijing": the gap between
    Chinese and Latin text is typography, and recognisers disagree on it. Spaces between Latin
    words still count. Case is kept.

Text with several lines is compared line by line (newlines are kept). ``normalise_strict``
keeps every space, for work on spacing itself; ``squash`` drops them all, for comparisons that
must not care how detection split or merged lines.

Scores (``score_line`` for a line crop, ``score_lines`` for a page; definitions in their
docstrings) are summed per category with ``+`` and read as ``accuracy``, ``found`` and ``cer``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from ocr_core.script import is_wide

Rule = Callable[[str], str]
"""Text -> its comparison form."""

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH.update({0x3000: 0x20, 0xFFE5: 0xA5})


def _collapse(line: str) -> str:
    return " ".join(line.translate(_FULL_WIDTH).split())


def _drop_spaces_by_wide(line: str) -> str:
    kept = [
        char
        for index, char in enumerate(line)
        if char != " " or not (is_wide(line[index - 1]) or is_wide(line[index + 1]))
    ]
    return "".join(kept)


def normalise(text: str) -> str:
    """The comparison form of ``text``: the module's rule, each line on its own."""
    return "\n".join(_drop_spaces_by_wide(_collapse(line)) for line in text.split("\n"))


def normalise_strict(text: str) -> str:
    """As ``normalise``, but every space counts, also next to Chinese text."""
    return "\n".join(_collapse(line) for line in text.split("\n"))


def squash(text: str) -> str:
    """The comparison form without any spaces, for layout-insensitive comparisons."""
    return normalise(text).replace(" ", "")


# --------------------------------------------------------------------------- edit distance


def levenshtein(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """Unit-cost insert/delete/substitute distance, O(len(a) * len(b)) time, O(len(b)) memory;
    of strings, or of any sequences (e.g. line orders)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def substring_distance(needle: str, haystack: str) -> int:
    """Fewest edits turning ``needle`` into some substring of ``haystack`` (free start/end)."""
    if not needle:
        return 0
    previous = [0] * (len(haystack) + 1)  # matching may start anywhere in the haystack
    for i, char_n in enumerate(needle, 1):
        current = [i]
        for j, char_h in enumerate(haystack, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_n != char_h)))
        previous = current
    return min(previous)  # ... and end anywhere


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class Score:
    """Reference lines, how many were read exactly and how many were found, and the edits per
    reference character; scores add up over images."""

    lines: int
    exact: int
    found: int
    chars: int
    edits: int

    def __add__(self, other: Score) -> Score:
        return Score(
            self.lines + other.lines,
            self.exact + other.exact,
            self.found + other.found,
            self.chars + other.chars,
            self.edits + other.edits,
        )

    @property
    def accuracy(self) -> float:
        return self.exact / self.lines if self.lines else float("nan")

    @property
    def found_share(self) -> float:
        return self.found / self.lines if self.lines else float("nan")

    @property
    def cer(self) -> float:
        return self.edits / self.chars if self.chars else float("nan")


NO_SCORE = Score(0, 0, 0, 0, 0)


def total(scores: Iterable[Score]) -> Score:
    return sum(scores, NO_SCORE)


def score_line(reference: str, predicted: Sequence[str], rule: Rule = normalise) -> Score:
    """A line crop: the prediction is every returned line joined by a space.

    Exact: equal comparison forms. Found: the reference is contained in the prediction once
    spaces are removed. CER: edit distance between the comparison forms / reference length.
    """
    joined = " ".join(predicted)
    ref, pred = rule(reference), rule(joined)
    found = int(squash(reference) in squash(joined))
    return Score(1, int(ref == pred), found, len(ref), levenshtein(ref, pred))


def score_lines(
    references: Sequence[str], predicted: Sequence[str], partial: bool = False, rule: Rule = normalise
) -> Score:
    """A page: reference lines against predicted lines.

    Exact: reference lines that some predicted line equals (one-to-one: a repeated cell must be
    read as often as it appears). Found: reference lines contained in the concatenated
    prediction once spaces are removed (forgives a line split or merged by detection). CER:
    distance between all reference lines and all predicted lines, each concatenated in reading
    order without spaces. With ``partial`` (pictures with unlabelled text) CER is instead the
    cost of finding each reference line inside the prediction: extra text is not charged.
    """
    unmatched = Counter(rule(p) for p in predicted)
    exact = 0
    for ref in (rule(r) for r in references):
        if unmatched[ref] > 0:
            unmatched[ref] -= 1
            exact += 1
    flat_pred = "".join(squash(p) for p in predicted)
    flat_refs = [squash(r) for r in references]
    found = sum(1 for r in flat_refs if r and r in flat_pred)
    if partial:
        edits = sum(substring_distance(r, flat_pred) for r in flat_refs)
    else:
        edits = levenshtein("".join(flat_refs), flat_pred)
    return Score(len(references), exact, found, sum(len(r) for r in flat_refs), edits)
