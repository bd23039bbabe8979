"""Layout: blocks, reading order across columns, and line `end`s for each `layout` option."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from bench.kit.render import encode, font
from bench.scoring import normalise
from handler.app import create_app
from handler.settings import Settings
from ocr_core import OcrEngine, OcrOptions
from ocr_core.layout.arrange import arrange
from ocr_core.lines import TextLine

LEFT = ("Columns of a newsletter are read", "from the top of the left one", "down to its very last line")
RIGHT = ("and only then does the reader", "move on to the right column", "which finishes the story")
FIRST = ("The first paragraph starts here", "and it goes on for a while")
SECOND = ("Another paragraph follows it", "after a clear blank line")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()))


def draw_lines(items: list[tuple[str, int, int]], size: tuple[int, int], font_size: int = 28) -> bytes:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for text, x, y in items:
        draw.text((x, y), text, font=font(font_size), fill="black")
    return encode(image)


def two_columns() -> bytes:
    # Baselines line up across the gutter, as typesetting does: rows alone would interleave them.
    items = [(text, 40, 40 + 40 * i) for i, text in enumerate(LEFT)]
    items += [(text, 460, 40 + 40 * i) for i, text in enumerate(RIGHT)]
    return draw_lines(items, (880, 200), font_size=24)


def paragraphs() -> bytes:
    items = [(text, 40, 40 + 44 * i) for i, text in enumerate(FIRST)]
    items += [(text, 40, 200 + 44 * i) for i, text in enumerate(SECOND)]
    return draw_lines(items, (620, 320))


def post(client: TestClient, data: bytes, **query: str) -> dict:
    response = client.post("/ocr", params=query, files={"image": ("page.png", data, "image/png")})
    assert response.status_code == 200, response.text
    return response.json()


def test_two_column_page_reads_left_column_before_right(client: TestClient) -> None:
    body = post(client, two_columns())
    assert [line["text"] for line in body["results"]] == [*LEFT, *RIGHT]
    assert [block["lines"] for block in body["blocks"]] == [[0, 1, 2], [3, 4, 5]]


def test_paragraphs_layout_groups_lines_and_joins_them(client: TestClient) -> None:
    body = post(client, paragraphs(), layout="paragraphs")
    assert [block["lines"] for block in body["blocks"]] == [[0, 1], [2, 3]]
    assert body["text"] == f"{' '.join(FIRST)}\n{' '.join(SECOND)}"
    assert [line["end"] for line in body["results"]] == [" ", "\n", " ", ""]


@pytest.mark.parametrize("layout", ["lines", "paragraphs", "single_line", "none"])
def test_line_ends_rebuild_text_for_every_layout(engine: OcrEngine, layout: str) -> None:
    result = engine.run(two_columns(), OcrOptions(layout=layout))
    assert "".join(line.text + line.end for line in result.lines) == result.text
    assert sorted(i for block in result.blocks for i in block.lines) == list(range(len(result.lines)))


def test_single_line_layout_puts_everything_on_one_line(engine: OcrEngine) -> None:
    result = engine.run(paragraphs(), OcrOptions(layout="single_line"))
    assert result.text == " ".join([*FIRST, *SECOND])


def test_lines_layout_keeps_newline_joined_text(engine: OcrEngine) -> None:
    result = engine.run(paragraphs())
    assert result.text == "\n".join(line.text for line in result.lines)
    assert normalise(result.text) == "\n".join([*FIRST, *SECOND])


def line(text: str, left: float, top: float, right: float, bottom: float) -> TextLine:
    return TextLine(text, 1.0, ((left, top), (right, top), (right, bottom), (left, bottom)))  # type: ignore[arg-type]


def test_layout_vertical_columns_read_right_to_left() -> None:
    columns = [line(str(i), 100 + 60 * i, 20, 140 + 60 * i, 400) for i in range(4)]
    arranged = arrange(columns, "lines", 400, 420)
    assert [item.text for item in arranged.lines] == ["3", "2", "1", "0"]


def test_layout_table_cells_keep_row_order() -> None:
    cells = [
        line(f"{row}{col}", 40 + 300 * col, 30 + 50 * row, 120 + 300 * col, 60 + 50 * row)
        for row in range(3)
        for col in range(2)
    ]
    arranged = arrange(list(reversed(cells)), "lines", 500, 200)
    assert [item.text for item in arranged.lines] == ["00", "01", "10", "11", "20", "21"]


def test_layout_heading_over_two_columns_stays_its_own_block() -> None:
    heading = line("heading", 40, 10, 760, 40)
    left = [line(f"L{i}", 40, 60 + 40 * i, 380, 90 + 40 * i) for i in range(3)]
    right = [line(f"R{i}", 420, 60 + 40 * i, 760, 90 + 40 * i) for i in range(3)]
    arranged = arrange([*right, heading, *left], "lines", 800, 200)
    assert [item.text for item in arranged.lines] == ["heading", "L0", "L1", "L2", "R0", "R1", "R2"]
    assert arranged.blocks == ((0,), (1, 2, 3), (4, 5, 6))


def test_layout_upside_down_page_reads_from_the_bottom() -> None:
    rows = [line(str(i), 40, 300 - 60 * i, 400, 330 - 60 * i) for i in range(3)]  # 0 is lowest
    arranged = arrange(rows, "lines", 440, 360, upside_down=True)
    assert [item.text for item in arranged.lines] == ["0", "1", "2"]
    assert np.isfinite([item.box[0][0] for item in arranged.lines]).all()
