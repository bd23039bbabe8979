"""Two columns under full-width text, from a real scan's line boxes: the left column is read to
its end before the right one (issue 16; measured by `python -m bench.realset`, real_columns)."""

from __future__ import annotations

import numpy as np

from ocr_core.layout.arrange import arrange
from ocr_core.lines import TextLine


def _box(left: float, top: float, right: float, bottom: float) -> np.ndarray:
    return np.array([[left, top], [right, top], [right, bottom], [left, bottom]], dtype=np.float64)


def _line(text: str, box: np.ndarray) -> TextLine:
    return TextLine(text, 1.0, tuple((round(x), round(y)) for x, y in box))  # type: ignore[arg-type]


# Line boxes of a scanned two-column brochure (ocrmypdf's linn.png, half size): the end of a
# full-width list, then two columns; the left column's heading shares its row with the right
# column's first line, and paragraphs start at one height on one side and not the other.
FULL_WIDTH = [(185, 508, 348, 533), (170, 534, 1089, 563), (170, 564, 645, 590), (170, 593, 439, 620)]
LEFT_COLUMN = [
    (170, 641, 377, 663), (185, 665, 622, 687), (171, 687, 606, 705), (170, 705, 618, 727),
    (171, 727, 615, 744), (171, 747, 622, 765), (171, 766, 594, 784), (174, 785, 528, 803),
    (185, 803, 601, 825), (168, 823, 604, 845), (168, 843, 602, 866), (170, 863, 578, 885),
    (171, 885, 603, 902), (170, 902, 601, 924), (171, 924, 603, 942), (170, 942, 589, 964),
    (169, 964, 450, 981), (169, 995, 242, 1019), (184, 1021, 596, 1043), (171, 1043, 596, 1060),
]  # fmt: skip
RIGHT_COLUMN = [
    (644, 639, 1084, 661), (645, 660, 1019, 682), (662, 678, 1082, 702), (644, 698, 1079, 722),
    (643, 720, 1084, 742), (645, 739, 1045, 762), (643, 758, 1027, 781), (644, 782, 793, 799),
    (645, 814, 798, 841), (660, 840, 1075, 862), (643, 859, 1063, 881), (644, 881, 1034, 901),
    (643, 899, 1108, 921), (643, 919, 1074, 941), (643, 940, 1084, 962), (644, 962, 1084, 980),
    (644, 997, 977, 1019), (658, 1021, 1093, 1043), (644, 1043, 1079, 1060),
]  # fmt: skip


def test_layout_scanned_columns_under_full_width_text_read_column_by_column() -> None:
    expected = [f"F{i}" for i in range(4)] + [f"L{i}" for i in range(20)] + [f"R{i}" for i in range(19)]
    boxes = FULL_WIDTH + LEFT_COLUMN + RIGHT_COLUMN
    lines = [_line(name, _box(*box)) for name, box in zip(expected, boxes, strict=True)]
    arranged = arrange(list(reversed(lines)), "lines", 1200, 1100)
    assert [item.text for item in arranged.lines] == expected


def test_layout_columns_out_of_step_across_the_gutter_stay_columns() -> None:
    """Rows that fall out of step across the gutter (a blank line on the right only) do not cut
    the left column's paragraphs apart."""
    lines = [_line("top", _box(40, 10, 760, 40)), _line("heading", _box(40, 86, 330, 116))]
    lines += [
        _line(f"L{i:02d}", _box(80 if i % 4 == 0 else 40, 121 + 35 * i, 380, 151 + 35 * i)) for i in range(12)
    ]
    lines += [
        _line(f"R{i:02d}", _box(420, 88 + 52 * (i // 4) + 35 * i, 760, 118 + 52 * (i // 4) + 35 * i))
        for i in range(12)
    ]
    arranged = arrange(list(reversed(lines)), "lines", 800, 700)
    expected = ["top", "heading", *(f"L{i:02d}" for i in range(12)), *(f"R{i:02d}" for i in range(12))]
    assert [item.text for item in arranged.lines] == expected


def test_layout_form_fields_two_a_row_read_row_by_row() -> None:
    """Label/value fields two to a row, far apart (the bench's A4 invoice header, its line boxes):
    a person reads each row left to right before the next, not the left fields first."""
    boxes = {
        "title": (748, 164, 1831, 275),
        "code": (197, 374, 737, 430),
        "date": (1393, 374, 1969, 430),
        "buyer": (193, 462, 844, 518),
        "number": (1397, 462, 1921, 517),
        "tax id": (193, 553, 1028, 609),
    }
    lines = [_line(name, _box(*box)) for name, box in boxes.items()]
    arranged = arrange(list(reversed(lines)), "lines", 2480, 3508)
    assert [item.text for item in arranged.lines] == list(boxes)


def test_layout_short_paragraphs_side_by_side_across_a_gutter_stay_columns() -> None:
    """Two-line paragraphs that end both columns in the same rows, below a blank band: a narrow
    gutter makes them columns of text, each read to its end."""
    lines = [_line(f"L{i}", _box(40, 10 + 35 * i, 380, 40 + 35 * i)) for i in range(4)]
    lines += [_line(f"R{i}", _box(420, 10 + 35 * i, 760, 40 + 35 * i)) for i in range(4)]
    lines += [_line(f"l{i}", _box(40, 200 + 35 * i, 380, 230 + 35 * i)) for i in range(2)]
    lines += [_line(f"r{i}", _box(420, 200 + 35 * i, 760, 230 + 35 * i)) for i in range(2)]
    arranged = arrange(list(reversed(lines)), "lines", 800, 400)
    texts = [item.text for item in arranged.lines]
    assert texts[-4:] == ["l0", "l1", "r0", "r1"]
