"""The table scores of the evaluation (`bench.teds`) and the ruling-line finder, on inputs built here."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from bench.teds import cell_exact, cell_text, header_ok, teds
from ocr_core.layout.rules import find_rules, ink_mask


def table(rows: list[list[str]], header_rows: int = 1) -> dict:
    cells = [
        {"row": r, "col": c, "row_span": 1, "col_span": 1, "text": text}
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]
    return {"rows": len(rows), "cols": len(rows[0]), "header_rows": header_rows, "cells": cells}


TRUTH = table([["Item", "Qty"], ["Lamp", "2"], ["Pen", "10"]])


def test_teds_of_identical_tables_is_one() -> None:
    assert teds(TRUTH, TRUTH) == teds(TRUTH, TRUTH, content=False) == 1.0


def test_teds_struct_ignores_text_and_teds_counts_it() -> None:
    misread = table([["Item", "Qty"], ["Lamp", "2"], ["Pan", "10"]])
    assert teds(misread, TRUTH, content=False) == 1.0
    # one character of 3 in one td of 10 nodes (table, 3 tr, 6 td): 1 - (1/3) / 10
    assert teds(misread, TRUTH) == pytest.approx(1 - (1 / 3) / 10)


def test_teds_of_a_missing_row_costs_its_nodes() -> None:
    short = table([["Item", "Qty"], ["Lamp", "2"]])
    assert teds(short, TRUTH, content=False) == pytest.approx(1 - 3 / 10)
    assert teds(None, TRUTH) == 0.0


def test_a_span_is_a_different_cell() -> None:
    merged = copy.deepcopy(TRUTH)
    merged["cells"] = [c for c in merged["cells"] if (c["row"], c["col"]) != (2, 1)]
    merged["cells"][-1]["col_span"] = 2
    assert teds(merged, TRUTH, content=False) == pytest.approx(1 - 2 / 10)  # rename + delete


def test_cell_scores_count_anchor_text_and_header() -> None:
    shifted = table([["Item", "Qty"], ["2", "Lamp"], ["Pen", "10"]], header_rows=0)
    assert cell_exact(shifted, TRUTH) == (4, 6)
    assert cell_text(shifted, TRUTH) == (6, 6)
    assert not header_ok(shifted, TRUTH) and header_ok(TRUTH, TRUTH)


def draw_rule(image: np.ndarray, x0: int, x1: int, y: float, degrees: float, horizontal: bool) -> None:
    slope = math.tan(math.radians(degrees))
    for along in range(x0, x1):
        across = round(y + slope * (along - x0))
        if horizontal:
            image[across : across + 2, along] = 60
        else:
            image[along, across : across + 2] = 60


@pytest.mark.parametrize("degrees", [0.0, 1.5, -2.5])
def test_tilted_rules_are_found_with_their_slope_and_letters_are_not(degrees: float) -> None:
    image = np.full((400, 600), 245, np.uint8)
    draw_rule(image, 50, 550, 100, degrees, horizontal=True)
    draw_rule(image, 120, 380, 300, degrees, horizontal=False)
    for x in range(60, 540, 30):  # short strokes, like letters
        image[200:203, x : x + 18] = 30
        image[240:262, x : x + 3] = 30
    ink = ink_mask(image)
    across, down = find_rules(ink, 60, True), find_rules(ink, 40, False)
    assert len(across) == 1 and len(down) == 1
    rule = across[0]
    assert rule.start == pytest.approx(50, abs=2) and rule.end == pytest.approx(550, abs=2)
    assert rule.slope == pytest.approx(math.tan(math.radians(degrees)), abs=0.004)
    assert rule.at(50) == pytest.approx(100.5, abs=1.5)
    assert down[0].at(120) == pytest.approx(300.5, abs=1.5)


def test_shading_and_uneven_light_are_not_ink() -> None:
    light = np.linspace(150, 250, 600, dtype=np.float32)[None, :].repeat(300, axis=0)
    light[100:160, 100:500] -= 20  # a shaded band
    assert not ink_mask(light.astype(np.uint8)).any()
