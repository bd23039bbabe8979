"""The docs agree with the code: generated sections current, every setting and error code documented."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from handler.errors import STATUS_BY_ERROR
from handler.settings import Settings
from infra import gen_docs

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_generated_doc_sections_are_current() -> None:
    assert gen_docs.main(["--check"]) == 0, "run python -m infra.gen_docs"


def test_readme_documents_every_setting_and_error_code() -> None:
    assert [f.metadata["env"] for f in fields(Settings) if f"`{f.metadata['env']}`" not in README] == []
    assert [kind.code for kind in STATUS_BY_ERROR if f"`{kind.code}`" not in README] == []


def test_readme_stays_a_guide() -> None:
    assert len(README.splitlines()) < 300
