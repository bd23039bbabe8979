"""The CLI's JSON contract: one object per file per line on stdout, errors on stderr, exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.kit.render import render_line, render_page
from bench.scoring import normalise


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ocr_core", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_json_prints_one_object_per_file_with_page_lines(tmp_path: Path) -> None:
    page = tmp_path / "page.png"
    render_page(["第一行 first line", "第二行 second line"]).save(page)
    line = tmp_path / "line.jpg"
    render_line("你好2024").save(line, quality=95)
    completed = _run(str(page), str(line), "--json")
    assert completed.returncode == 0, completed.stderr
    rows = [json.loads(text) for text in completed.stdout.splitlines()]
    assert [row["file"] for row in rows] == [str(page), str(line)]
    texts = [normalise(entry["text"]) for entry in rows[0]["results"]]
    assert texts == ["第一行first line", "第二行second line"]
    assert rows[1]["text"] == "你好2024" and rows[1]["pages"][0]["mode"] == "line"


def test_cli_failed_file_gives_error_object_stderr_and_exit_1(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.png"
    bogus.write_text("not an image")
    good = tmp_path / "good.png"
    render_line("OK").save(good)
    completed = _run(str(bogus), str(good), "--json", "--model", "fast")
    assert completed.returncode == 1
    rows = [json.loads(text) for text in completed.stdout.splitlines()]
    assert rows[0]["success"] is False and rows[0]["error"]["code"] == "unsupported_media_type"
    assert rows[1]["success"] is True
    assert "notes.png" in completed.stderr


def test_cli_plain_output_is_text_and_confidence(tmp_path: Path) -> None:
    line = tmp_path / "line.png"
    render_line("Hello").save(line)
    completed = _run(str(line), "--mode", "line")
    text, confidence = completed.stdout.strip().split("\t")
    assert text == "Hello" and 0.5 < float(confidence) <= 1.0


def test_cli_option_flags_reach_the_engine(tmp_path: Path) -> None:
    line = tmp_path / "line.png"
    render_line("Thank you 2024").save(line)
    completed = _run(str(line), "--json", "--option", "boxes=word", "--option", "allowed_chars=0123456789")
    assert completed.returncode == 0, completed.stderr
    row = json.loads(completed.stdout)
    assert set(row["text"]) <= set("0123456789 ") and "2024" in row["text"]
    assert row["results"][0]["words"]


def test_cli_bad_option_value_is_an_error_object(tmp_path: Path) -> None:
    line = tmp_path / "line.png"
    render_line("OK").save(line)
    completed = _run(str(line), "--json", "--option", "layout=sideways")
    assert completed.returncode == 1
    assert json.loads(completed.stdout)["error"]["code"] == "invalid_option"


def test_cli_option_given_by_name_is_not_overridden_by_a_flag_default(tmp_path: Path) -> None:
    page = tmp_path / "page.png"
    render_page(["第一行 first line", "第二行 second line"]).save(page)
    by_option = json.loads(_run(str(page), "--json", "--option", "mode=line").stdout)
    assert by_option["pages"][0]["mode"] == "line"
    by_flag = json.loads(_run(str(page), "--json", "--mode", "line").stdout)
    assert by_flag["pages"][0]["mode"] == "line"


def test_cli_same_option_twice_with_different_values_is_refused(tmp_path: Path) -> None:
    line = tmp_path / "line.png"
    render_line("OK").save(line)
    completed = _run(str(line), "--mode", "page", "--option", "mode=line")
    assert completed.returncode == 2 and "mode" in completed.stderr


def test_cli_every_file_gets_its_json_line_whatever_fails(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.png"
    folder.mkdir()
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(b"%PDF-1.7\n1 0 obj <<")
    good = tmp_path / "good.png"
    render_line("OK 2024").save(good)
    completed = _run(str(folder), str(truncated), str(good), "--json", "--option", "layuot=lines")
    rows = [json.loads(text) for text in completed.stdout.splitlines()]
    assert [row["file"] for row in rows] == [str(folder), str(truncated), str(good)]
    assert all(row["error"]["code"] == "invalid_option" for row in rows)  # the misspelled option
    completed = _run(str(folder), str(truncated), str(good), "--json")
    rows = [json.loads(text) for text in completed.stdout.splitlines()]
    assert [row["success"] for row in rows] == [False, False, True]
    assert rows[0]["error"]["code"] == "file_unreadable" and rows[1]["error"]["code"] == "invalid_image"
    assert completed.returncode == 1
