"""A labelled table set the project renders itself: table pages with their true structure.

Why generate: table structure is only scorable against an exact ground truth (rows, columns,
spans, header rows, cell text), and it must be reproducible on a clean machine from Debian's
fonts alone. Every page is a pure function of (seed, category, index).

    python -m bench.tableset OUT_DIR [--seed N] [--per-category N] [--clean]

writes images plus ``labels.jsonl``; one JSON object per image::

    {"file": "ruled_latin_000.png", "category": "ruled_latin",
     "tables": [{"rows": 6, "cols": 4, "header_rows": 1,
                 "cells": [{"row": 0, "col": 0, "row_span": 1, "col_span": 1, "text": "Item"}, ...]}],
     "outside": ["Table 3. Orders", "Source: ..."]}

``cells`` lists every cell of the grid (empty ones with text ""), anchored at its top-left grid
position. ``outside`` is the text above and below the table, which must not become cells.
Categories differ in one respect each (see ``CATEGORIES``), so a drop points at its cause.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from bench import table_render
from bench.evalset import EN_SENTENCES, ZH_SENTENCES, check_charset, check_fonts

DEFAULT_SEED = 20251202
PER_CATEGORY = 6


@dataclass(frozen=True)
class TruthCell:
    row: int
    col: int
    row_span: int
    col_span: int
    text: str


@dataclass(frozen=True)
class TruthTable:
    rows: int
    cols: int
    header_rows: int
    cells: tuple[TruthCell, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "cells": [asdict(cell) for cell in self.cells]}


@dataclass(frozen=True)
class Recipe:
    """What a category varies: script, rules, spans, blanks, and the camera."""

    script: str  # "latin", "cjk" or "any"
    rules: tuple[str, ...]  # drawn from: "grid" (every cell boxed), "hrules" (booktabs), "none"
    merged: bool = False
    blanks: float = 0.0  # share of body cells left empty
    numeric: bool = False
    rotate: float = 0.0  # largest tilt in degrees
    photo: bool = False
    wrapped: bool = False  # some cells hold two lines
    prose: bool = False  # paragraphs above and below the table
    table: bool = True  # False: a page of running text that holds no table at all
    tight: bool = False  # unruled columns under one em apart


CATEGORIES: dict[str, Recipe] = {
    "ruled_latin": Recipe("latin", ("grid",)),
    "ruled_cjk": Recipe("cjk", ("grid",)),
    "hrules": Recipe("any", ("hrules",)),
    "unruled": Recipe("any", ("none",)),
    "merged": Recipe("any", ("grid",), merged=True),
    "numeric": Recipe("any", ("grid", "hrules"), numeric=True),
    "empty_cells": Recipe("any", ("grid",), blanks=0.25),
    "rotated": Recipe("any", ("grid", "hrules", "none"), rotate=2.5),
    "photo": Recipe("any", ("grid",), photo=True),
    "wrapped": Recipe("any", ("grid",), wrapped=True),
    "in_text": Recipe("any", ("hrules", "none"), prose=True),
    "tight": Recipe("any", ("hrules", "none"), tight=True),
    "no_table": Recipe("any", ("none",), prose=True, table=False),
}

# --------------------------------------------------------------------------- content

LATIN_NAMES = ("Alice Chen", "Bob Smith", "Carol Wang", "David Li", "Emma Brown", "Frank Zhou", "Grace Liu")
LATIN_DEPTS = ("Finance", "Sales", "Research", "Support", "Legal", "Marketing", "Design")
LATIN_CITIES = ("Beijing", "Shanghai", "Shenzhen", "Hangzhou", "Chengdu", "Wuhan", "Nanjing", "Xi'an")
LATIN_ITEMS = (
    "Wireless mouse", "USB cable", "Desk lamp", "Notebook", "Coffee beans", "Monitor stand",
    "Keyboard", "Printer paper", "Office chair", "Headphones", "Water bottle", "Stapler",
)  # fmt: skip
LATIN_COURSES = ("Linear Algebra", "Statistics", "Databases", "Chemistry", "World History", "Economics")
CJK_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强")
CJK_DEPTS = ("财务部", "销售部", "技术部", "人事部", "市场部", "客服部", "法务部")
CJK_CITIES = ("北京", "上海", "广州", "天津", "杭州", "成都", "武汉", "南京", "西安")
CJK_ITEMS = (
    "无线鼠标", "打印纸", "黑色签字笔", "笔记本电脑", "显示器支架", "机械键盘",
    "咖啡豆", "矿泉水", "文件夹", "办公椅", "蓝牙耳机", "台灯",
)  # fmt: skip
CJK_COURSES = ("高等数学", "大学英语", "线性代数", "数据结构", "中国历史", "经济学原理")
REGIONS_LATIN = ("North", "South", "East", "West")
REGIONS_CJK = ("华北", "华南", "华东", "西部")
TITLES_LATIN = ("Table 1. Orders this month", "Staff list", "Course timetable", "Sales by quarter")
TITLES_CJK = ("表 1 本月订单", "员工名单", "课程安排", "季度销售统计")
NOTES_LATIN = ("Source: internal records.", "All amounts in US dollars.", "Updated weekly.")
NOTES_CJK = ("注：金额单位为元。", "数据来源：内部记录", "每周更新一次")
SECOND_LATIN = ("black", "large", "set of 2", "refill", "spare part")
SECOND_CJK = ("黑色", "大号", "两件装", "替换装", "配件")


def _money(rng: random.Random, big: bool = False) -> str:
    value = rng.randint(100, 99999) + rng.choice((0, 0.5, 0.25)) if big else rng.randint(2, 999) + 0.5
    return f"{value:,.2f}"


def _date(rng: random.Random, cjk: bool) -> str:
    y, m, d = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
    return f"{y}年{m}月{d}日" if cjk else f"{y}-{m:02d}-{d:02d}"


def _theme(rng: random.Random, cjk: bool, numeric: bool) -> tuple[list[str], list[list[str]]]:
    """A header and 4-7 body rows of one realistic kind of table."""
    n = rng.randint(4, 7)
    if numeric:
        head = ["地区" if cjk else "Region", "Q1", "Q2", "Q3", "Q4", "合计" if cjk else "Total"]
        names = list(CJK_CITIES if cjk else LATIN_CITIES)
        rng.shuffle(names)
        return head, [[names[i % len(names)]] + [_money(rng, True) for _ in range(5)] for i in range(n)]
    kind = rng.randrange(3)
    if kind == 0:
        head = ["品名", "数量", "单价", "金额"] if cjk else ["Item", "Qty", "Unit price", "Amount"]
        items = rng.sample(CJK_ITEMS if cjk else LATIN_ITEMS, n)
        return head, [[item, str(rng.randint(1, 50)), _money(rng), _money(rng, True)] for item in items]
    if kind == 1:
        head = ["姓名", "部门", "城市", "入职日期"] if cjk else ["Name", "Department", "City", "Start date"]
        names = rng.sample(CJK_NAMES if cjk else LATIN_NAMES, min(n, 7))
        depts, cities = (CJK_DEPTS, CJK_CITIES) if cjk else (LATIN_DEPTS, LATIN_CITIES)
        return head, [[name, rng.choice(depts), rng.choice(cities), _date(rng, cjk)] for name in names]
    head = ["课程", "教室", "教师", "时间"] if cjk else ["Course", "Room", "Teacher", "Time"]
    courses = rng.sample(CJK_COURSES if cjk else LATIN_COURSES, min(n, 6))
    teachers = CJK_NAMES if cjk else LATIN_NAMES
    rows = [
        [c, f"{rng.choice('ABCD')}-{rng.randint(101, 499)}", rng.choice(teachers), f"{rng.randint(8, 17)}:00"]
        for c in courses
    ]
    return head, rows


def _plain(head: list[str], body: list[list[str]], blanks: float, rng: random.Random) -> TruthTable:
    cells = [TruthCell(0, c, 1, 1, text) for c, text in enumerate(head)]
    for r, row in enumerate(body, start=1):
        for c, text in enumerate(row):
            blank = c > 0 and rng.random() < blanks
            cells.append(TruthCell(r, c, 1, 1, "" if blank else text))
    return TruthTable(len(body) + 1, len(head), 1, tuple(cells))


def _merged(rng: random.Random, cjk: bool) -> TruthTable:
    """Two header rows (a year over its quarters) and a first column of region groups."""
    years = rng.sample(range(2019, 2026), 2)
    group, sub = ("地区", "城市") if cjk else ("Region", "City")
    cells = [TruthCell(0, 0, 2, 1, group), TruthCell(0, 1, 2, 1, sub)]
    for k, year in enumerate(sorted(years)):
        cells.append(TruthCell(0, 2 + 2 * k, 1, 2, f"{year}年" if cjk else str(year)))
        cells += [TruthCell(1, 2 + 2 * k + q, 1, 1, f"Q{q + 1}") for q in range(2)]
    regions = rng.sample(REGIONS_CJK if cjk else REGIONS_LATIN, 2)
    cities = rng.sample(CJK_CITIES if cjk else LATIN_CITIES, 6)
    row = 2
    for region in regions:
        span = rng.randint(2, 3)
        cells.append(TruthCell(row, 0, span, 1, region))
        for _ in range(span):
            cells.append(TruthCell(row, 1, 1, 1, cities.pop()))
            cells += [TruthCell(row, c, 1, 1, _money(rng, True)) for c in range(2, 6)]
            row += 1
    return TruthTable(row, 6, 2, tuple(cells))


def _wrap(table: TruthTable, rng: random.Random, cjk: bool) -> TruthTable:
    """Give two or three first-column body cells a second line ("\n" in the drawn text)."""
    rows = rng.sample(range(1, table.rows), min(table.rows - 1, rng.randint(2, 3)))
    second = SECOND_CJK if cjk else SECOND_LATIN
    cells = tuple(
        replace(cell, text=f"{cell.text}\n{rng.choice(second)}")
        if cell.col == 0 and cell.row in rows and cell.text
        else cell
        for cell in table.cells
    )
    return replace(table, cells=cells)


@dataclass(frozen=True)
class Spec:
    """One page to draw: the table (None: none), how it is ruled, and the text around it.

    A cell's text may hold "\n" where it is drawn on two lines; its label is one line."""

    table: TruthTable | None
    rules: str
    title: str
    note: str
    cjk: bool
    above: tuple[str, ...] = ()
    below: tuple[str, ...] = ()
    tight: bool = False


def make_spec(recipe: Recipe, rng: random.Random) -> Spec:
    cjk = recipe.script == "cjk" or (recipe.script == "any" and rng.random() < 0.5)
    if recipe.merged:
        table = _merged(rng, cjk)
    else:
        head, body = _theme(rng, cjk, recipe.numeric)
        table = _plain(head, body, recipe.blanks, rng)
    if cjk and rng.random() < 0.3:  # some Chinese tables carry Latin words too
        table = replace(table, cells=tuple(_mix(cell, rng) for cell in table.cells))
    if recipe.wrapped:
        table = _wrap(table, rng, cjk)
    title = rng.choice(TITLES_CJK if cjk else TITLES_LATIN)
    note = rng.choice(NOTES_CJK if cjk else NOTES_LATIN)
    above: tuple[str, ...] = ()
    below: tuple[str, ...] = ()
    if recipe.prose:
        pool = rng.sample(ZH_SENTENCES if cjk else EN_SENTENCES, 6)
        above, below = tuple(pool[:3]), tuple(pool[3:])
    for text in [title, note, *above, *below, *(cell.text.replace("\n", "") for cell in table.cells)]:
        check_charset(text)
    rules = rng.choice(recipe.rules)
    return Spec(table if recipe.table else None, rules, title, note, cjk, above, below, recipe.tight)


def label(table: TruthTable) -> dict[str, Any]:
    """The table's label: drawn line breaks inside a cell read as one line of text."""
    cells = tuple(replace(cell, text=cell.text.replace("\n", " ")) for cell in table.cells)
    return replace(table, cells=cells).to_dict()


def _mix(cell: TruthCell, rng: random.Random) -> TruthCell:
    if cell.row > 0 and cell.text in CJK_ITEMS and rng.random() < 0.4:
        return replace(cell, text=cell.text + " " + rng.choice(("Pro", "Mini", "A4", "USB")))
    return cell


# --------------------------------------------------------------------------- set


def sample_rng(seed: int, category: str, index: int) -> random.Random:
    return random.Random(f"{seed}:{category}:{index}")


def generate(
    out_dir: Path, seed: int = DEFAULT_SEED, per_category: int = PER_CATEGORY
) -> list[dict[str, Any]]:
    check_fonts()
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for category, recipe in CATEGORIES.items():
        for index in range(per_category):
            rng = sample_rng(seed, category, index)
            spec = make_spec(recipe, rng)
            pixels = table_render.render_page(spec, recipe, rng)
            name = f"{category}_{index:03d}.png"
            table_render.save(pixels, out_dir / name)
            rows.append(
                {
                    "file": name,
                    "category": category,
                    "tables": [label(spec.table)] if spec.table else [],
                    "outside": [spec.title, *spec.above, *spec.below, spec.note],
                }
            )
    write_labels(out_dir, rows)
    return rows


def write_labels(out_dir: Path, rows: Sequence[dict[str, Any]], append: bool = False) -> None:
    with (out_dir / "labels.jsonl").open("a" if append else "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_labels(data_dir: Path) -> list[dict[str, Any]]:
    path = data_dir / "labels.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--per-category", type=int, default=PER_CATEGORY)
    parser.add_argument("--clean", action="store_true", help="delete OUT_DIR first")
    args = parser.parse_args(argv)
    if args.clean and args.out_dir.exists():
        shutil.rmtree(args.out_dir)
    started = time.perf_counter()
    rows = generate(args.out_dir, args.seed, args.per_category)
    print(f"{len(rows)} table pages in {time.perf_counter() - started:.1f}s -> {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
