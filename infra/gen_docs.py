"""Regenerate the parts of the docs that copy a definition from the code.

    python -m infra.gen_docs          # rewrite them
    python -m infra.gen_docs --check  # exit 1 if any is out of date (tests/test_docs.py)

Two copies are generated, each between `<!-- generated: NAME -->` and `<!-- end generated -->`:
the module map of docs/architecture.md (each Python module's docstring's first line, each of the
page's scripts' opening comment) and the options
table of README.md (the option table, `ocr_core/options/table.py`). Writing them by hand is how
copies drift.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ocr_core.options import OPTION_SPECS

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ocr_core", "handler")


def module_map() -> str:
    rows = ["| module | what it is for |", "|---|---|"]
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            summary = docstring.strip().splitlines()[0] if docstring.strip() else ""
            rows.append(f"| `{path.relative_to(ROOT)}` | {summary.replace('|', '/')} |")
    for path in sorted((ROOT / "web").glob("*.js")):
        rows.append(f"| `{path.relative_to(ROOT)}` | {_opening_comment(path).replace('|', '/')} |")
    return "\n".join(rows)


def _opening_comment(path: Path) -> str:
    """The first sentence of the `//` lines a script starts with."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("//"):
            break
        lines.append(line.removeprefix("//").strip())
    text = " ".join(lines)
    return text.split(". ", 1)[0].rstrip(".") + "."


def options_table() -> str:
    rows = ["| option | values (default first) | what it does |", "|---|---|---|"]
    for spec in OPTION_SPECS:
        if spec.enum:
            values = ", ".join(f"`{value}`" for value in _default_first(spec.enum, spec.default))
        else:
            values = f"default `{spec.default}`" if spec.default is not None else f"e.g. `{spec.example}`"
        notes = spec.description + (
            " (secret: send it in the body, never stored in metadata)" if spec.secret else ""
        )
        rows.append(f"| `{spec.name}` | {values} | {notes.replace('|', '/')} |")
    return "\n".join(rows)


def _default_first(values: tuple[str, ...], default: object) -> list[str]:
    return sorted(values, key=lambda value: value != default)


SECTIONS: dict[Path, dict[str, Callable[[], str]]] = {
    ROOT / "docs" / "architecture.md": {"modules": module_map},
    ROOT / "README.md": {"options": options_table},
}


def render(text: str, generators: dict[str, Callable[[], str]]) -> str:
    for name, generate in generators.items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(<!-- end generated -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"no '<!-- generated: {name} -->' section")
        body = generate()
        text = pattern.sub(lambda match, body=body: match.group(1) + body + "\n" + match.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a generated section is out of date")
    args = parser.parse_args(argv)
    stale = []
    for path, generators in SECTIONS.items():
        current = path.read_text(encoding="utf-8")
        wanted = render(current, generators)
        if wanted != current:
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(wanted, encoding="utf-8")
    if args.check and stale:
        print(f"out of date: {', '.join(map(str, stale))}; run python -m infra.gen_docs", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
