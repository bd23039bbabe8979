"""Table scores: TEDS (tree edit distance similarity) and cell accuracy, one definition for all.

TEDS is PubTabNet's metric: a table is a tree ``table > tr > td`` (a ``td`` carries its
``colspan``/``rowspan`` and its text as a list of characters), and

    TEDS = 1 - edit_distance(predicted, true) / max(nodes(predicted), nodes(true))

Inserting or deleting a node costs 1; renaming costs 1 between different tags or spans, and
between two ``td`` of the same spans the normalised Levenshtein distance of their texts (0 in
the structure-only variant, TEDS-struct). The edit distance is APTED's (``apted`` from PyPI, the
reference implementation's choice). Texts are compared in ``bench.evaluate.normalise`` form.

Both sides are given as ``{"rows", "cols", "header_rows", "cells": [{"row", "col", "row_span",
"col_span", "text"}]}``: the label format of ``bench.tableset`` and the engine's table JSON.
Header rows are scored apart (``header_ok``): the tree has no ``thead``.

Cell scores: ``cell_exact`` is the share of true cells (empty ones too) whose predicted cell at
the same grid anchor has the same spans and text; ``cell_text`` the share of non-empty true
texts found among the predicted cells' texts (one to one, position ignored), which isolates
reading and assigning text from the grid.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from apted import APTED, Config

from bench.scoring import levenshtein, normalise

Table = Mapping[str, Any]


@dataclass
class Node:
    tag: str
    spans: tuple[int, int] = (1, 1)
    text: str = ""
    children: list[Node] = field(default_factory=list)

    def size(self) -> int:
        return 1 + sum(child.size() for child in self.children)


class _Costs(Config):  # type: ignore[misc]
    def __init__(self, content: bool):
        self.content = content

    def rename(self, node1: Node, node2: Node) -> float:
        if node1.tag != node2.tag or node1.spans != node2.spans:
            return 1.0
        if node1.tag == "td" and self.content and (node1.text or node2.text):
            return levenshtein(node1.text, node2.text) / max(len(node1.text), len(node2.text))
        return 0.0

    def children(self, node: Node) -> list[Node]:
        return node.children


def tree(table: Table) -> Node:
    rows = [Node("tr") for _ in range(int(table["rows"]))]
    for cell in sorted(table["cells"], key=lambda c: (c["row"], c["col"])):
        if 0 <= cell["row"] < len(rows):
            spans = (int(cell["row_span"]), int(cell["col_span"]))
            rows[cell["row"]].children.append(Node("td", spans, normalise(cell["text"])))
    return Node("table", children=rows)


def teds(predicted: Table | None, true: Table, content: bool = True) -> float:
    """1.0 for identical tables, 0.0 when nothing was predicted."""
    if predicted is None:
        return 0.0
    a, b = tree(predicted), tree(true)
    distance = APTED(a, b, _Costs(content)).compute_edit_distance()
    return max(0.0, 1.0 - distance / max(a.size(), b.size()))


def _anchored(table: Table) -> dict[tuple[int, int], tuple[int, int, str]]:
    return {
        (c["row"], c["col"]): (int(c["row_span"]), int(c["col_span"]), normalise(c["text"]))
        for c in table["cells"]
    }


def cell_exact(predicted: Table | None, true: Table) -> tuple[int, int]:
    """(true cells matched at their anchor with spans and text, true cells)."""
    truth = _anchored(true)
    if predicted is None:
        return 0, len(truth)
    found = _anchored(predicted)
    return sum(found.get(anchor) == value for anchor, value in truth.items()), len(truth)


def cell_text(predicted: Table | None, true: Table) -> tuple[int, int]:
    """(non-empty true texts found among predicted cell texts one to one, non-empty true texts)."""
    wanted = [normalise(c["text"]) for c in true["cells"] if normalise(c["text"])]
    if predicted is None:
        return 0, len(wanted)
    pool = Counter(normalise(c["text"]) for c in predicted["cells"])
    hits = 0
    for text in wanted:
        if pool[text] > 0:
            pool[text] -= 1
            hits += 1
    return hits, len(wanted)


def header_ok(predicted: Table | None, true: Table) -> bool:
    return predicted is not None and int(predicted["header_rows"]) == int(true["header_rows"])
