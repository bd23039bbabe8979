"""One page's lines in reading order, with what joins each line to the next (`end`).

Lines are grouped into blocks and the blocks ordered (`blocks`); the layout option then says how
lines are written out: one per line, joined into paragraphs, all on one line, or in detection
order. Tilted pages are measured along their text direction (`skew`). Pages of vertical Chinese
columns are turned a quarter first, so columns read right to left and each top to bottom;
upside-down pages are turned over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ocr_core.geometry import Rect
from ocr_core.layout.blocks import group_blocks, order_blocks
from ocr_core.layout.skew import level_rects
from ocr_core.lines import TextLine
from ocr_core.script import is_wide

LAYOUTS = ("lines", "paragraphs", "single_line", "none")


@dataclass(frozen=True)
class Arranged:
    """One page's lines in reading order (with `end` set) and its blocks as indices into them."""

    lines: tuple[TextLine, ...]
    blocks: tuple[tuple[int, ...], ...]


def arrange(
    lines: Sequence[TextLine], layout: str, width: int, height: int, upside_down: bool = False
) -> Arranged:
    """Order one page's lines (given in detection order) and set their `end` for `layout`."""
    if not lines:
        return Arranged((), ())
    levelled = level_rects([line.box for line in lines], width, height)
    rects = [_frame(rect, width, height, upside_down) for rect in levelled]
    if sum(r.is_vertical for r in rects) * 2 > len(rects):
        rects = [Rect(r.top, width - r.right, r.bottom, width - r.left) for r in rects]  # columns -> rows
    groups = group_blocks(rects)
    if layout == "none":
        order = list(range(len(lines)))
    else:
        groups = order_blocks(groups, rects)
        order = [index for group in groups for index in group]
    position = {index: slot for slot, index in enumerate(order)}
    block_of = {index: number for number, group in enumerate(groups) for index in group}
    ordered = [lines[index] for index in order]
    ends = []
    for slot, index in enumerate(order):
        following = order[slot + 1] if slot + 1 < len(order) else None
        same_block = following is not None and block_of[following] == block_of[index]
        ends.append(
            _end(
                layout, lines[index].text, lines[following].text if following is not None else "", same_block
            )
        )
    arranged = tuple(replace(line, end=end) for line, end in zip(ordered, ends, strict=True))
    blocks = tuple(tuple(sorted(position[i] for i in group)) for group in groups)
    return Arranged(arranged, tuple(sorted(blocks)))


def joiner(before: str, after: str) -> str:
    """What joins two lines of one paragraph: nothing between CJK text or after a hyphenated word."""
    if not before or not after:
        return ""
    if is_wide(before[-1]) or is_wide(after[0]):
        return ""
    if before.endswith("-") and len(before) > 1 and before[-2].isalpha():
        return ""
    return " "


def _end(layout: str, text: str, following: str, same_block: bool) -> str:
    if layout == "single_line" or (layout == "paragraphs" and same_block):
        return joiner(text, following) if following else " "
    return "\n"


def _frame(rect: Rect, width: int, height: int, upside_down: bool) -> Rect:
    if not upside_down:
        return rect
    return Rect(width - rect.right, height - rect.bottom, width - rect.left, height - rect.top)
