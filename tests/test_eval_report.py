"""`make eval`'s table: line accuracy under the evaluation's rule, and with every space counted."""

from __future__ import annotations

from pathlib import Path

from bench.eval_report import Outcome, report, summarise
from bench.evalset.labels import Row
from bench.evaluate import score
from bench.scoring import normalise_strict


def outcome(row: Row, predicted: list[str]) -> Outcome:
    return Outcome(
        file=row["file"],
        category=row["category"],
        kind=row["kind"],
        preset="accurate",
        mode="auto",
        predicted=predicted,
        chosen_mode=row["kind"],
        seconds=0.01,
        error=None,
        score=score(row, predicted),
        spaced=score(row, predicted, normalise_strict),
    )


def test_eval_table_counts_spaces_next_to_chinese_only_in_its_spaces_column() -> None:
    usb: Row = {"file": "a.png", "category": "mixed", "kind": "line", "lines": ["USB 数据线"]}
    hello: Row = {"file": "b.png", "category": "mixed", "kind": "line", "lines": ["Hello World"]}
    outcomes = [outcome(usb, ["USB数据线"]), outcome(hello, ["Hello World"])]
    mixed = next(s for s in summarise(outcomes) if s.category == "mixed")
    assert (mixed.accuracy, mixed.spaced) == (1.0, 0.5)
    table = report(outcomes, Path("eval_data"), ("accurate",))
    assert "| spaces too |" in table
    assert "| accurate | auto | mixed | line | 2 | 2 | 1.000 | 0.500 |" in table
