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
    """One page's lines in reading order (with `end` set) and its blocks as indices into them;
    `order` gives each of those lines' index in the lines as given."""

    lines: tuple[TextLine, ...]
    blocks: tuple[tuple[int, ...], ...]
    order: tuple[int, ...] = ()


def arrange(
    lines: Sequence[TextLine],
    layout: str,
    width: int,
    height: int,
    upside_down: bool = False,
    tables: Sequence[Sequence[int]] = (),
) -> Arranged:
    """Order one page's lines (given in detection order) and set their `end` for `layout`.

    `tables` are the lines of each table, already in their reading order (row by row): each is
    one block, placed among the others like any block, its lines never joined into a paragraph.
    """
    if not lines:
        return Arranged((), ())
    levelled = level_rects([line.box for line in lines], width, height)
    rects = [_frame(rect, width, height, upside_down) for rect in levelled]
    if sum(r.is_vertical for r in rects) * 2 > len(rects):
        rects = [Rect(r.top, width - r.right, r.bottom, width - r.left) for r in rects]  # columns -> rows
    groups = _with_tables(rects, tables)
    fixed = {index for table in tables for index in table}
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
        same_block = following is not None and block_of[following] == block_of[index] and index not in fixed
        ends.append(
            _end(
                layout, lines[index].text, lines[following].text if following is not None else "", same_block
            )
        )
    arranged = tuple(replace(line, end=end) for line, end in zip(ordered, ends, strict=True))
    blocks = tuple(tuple(sorted(position[i] for i in group)) for group in groups)
    return Arranged(arranged, tuple(sorted(blocks)), tuple(order))


def _with_tables(rects: Sequence[Rect], tables: Sequence[Sequence[int]]) -> list[list[int]]:
    """Blocks of the lines outside tables, then each table as one block in its own order."""
    fixed = {index for table in tables for index in table}
    free = [index for index in range(len(rects)) if index not in fixed]
    groups = [[free[k] for k in group] for group in group_blocks([rects[i] for i in free])]
    return groups + [list(table) for table in tables if table]


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
