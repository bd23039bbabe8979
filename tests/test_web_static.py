"""Static checks of web/: CSP-friendly markup, no network at run time, complete translations.

These need no browser; test_web_page.py checks the same page's behaviour in Chromium.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.web.harness import REPO

WEB = REPO / "web"
SCRIPTS = sorted(WEB.glob("*.js"))
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


class _Markup(HTMLParser):
    """Collects every tag with its attributes, and whether a script element has inline code."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline_script = False
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script = True


@pytest.fixture(scope="module")
def markup() -> _Markup:
    parser = _Markup()
    parser.feed((WEB / "index.html").read_text(encoding="utf-8"))
    return parser


def translations(lang: str) -> set[str]:
    source = (WEB / "i18n.js").read_text(encoding="utf-8")
    block = re.search(rf"\n  {lang}: \{{\n(.*?)\n  \}},", source, re.S)
    assert block, f"no {lang} block in i18n.js"
    return set(re.findall(r'^    "?([\w-]+)"?:', block.group(1), re.M))


def test_index_html_has_no_inline_script_handlers_or_styles(markup: _Markup) -> None:
    assert not markup.inline_script
    for tag, attrs in markup.tags:
        assert not [name for name in attrs if name.startswith("on")], f"inline handler on <{tag}>"
        assert "style" not in attrs, f"inline style on <{tag}>"
        if tag == "script":
            assert attrs.get("src"), "every script is a file"


def test_index_html_loads_config_before_the_app_module(markup: _Markup) -> None:
    scripts = [attrs for tag, attrs in markup.tags if tag == "script"]
    assert [s["src"] for s in scripts] == ["config.js", "app.js"]
    assert scripts[1].get("type") == "module"


def test_every_local_reference_exists_and_nothing_is_fetched_from_elsewhere(markup: _Markup) -> None:
    for tag, attrs in markup.tags:
        for name in ("src", "href"):
            url = attrs.get(name)
            if url is None or tag == "a":
                continue
            assert not re.match(r"^(https?:)?//", url), f"<{tag} {name}={url}> loads from the network"
            assert (WEB / url).is_file(), f"<{tag} {name}={url}> is missing"
    for script in SCRIPTS:
        for module in re.findall(
            r'^import .* from "\./([\w.-]+)";', script.read_text(encoding="utf-8"), re.M
        ):
            assert (WEB / module).is_file(), f"{script.name} imports missing {module}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_scripts_are_strict_and_never_build_html_from_strings(script: Path) -> None:
    source = script.read_text(encoding="utf-8")
    if script.name != "config.js":
        assert '"use strict";' in source
    # Recognized text is user content: it goes in with textContent, never as markup.
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert risky not in source
    assert not re.search(r"https?://", source.replace(SVG_NAMESPACE, "")), "no network URLs in scripts"


def test_checked_in_config_means_same_origin() -> None:
    config = (WEB / "config.js").read_text(encoding="utf-8")
    assert re.search(r'window\.OCR_CONFIG = \{apiBase: "", syncMaxBytes: \d+\};', config)


def test_both_languages_have_the_same_labels() -> None:
    english, chinese = translations("en"), translations("zh")
    singulars = {key for key in english if key.endswith("_one")}  # Chinese has no singular forms
    assert {key.removesuffix("_one") for key in singulars} <= english
    english -= singulars
    assert english - chinese == set(), "labels missing in Chinese"
    assert chinese - english == set(), "labels missing in English"


def test_every_label_used_is_translated(markup: _Markup) -> None:
    english = translations("en")
    used = {
        value for _, attrs in markup.tags for name, value in attrs.items() if name.startswith("data-i18n")
    }
    for script in SCRIPTS:
        used |= set(re.findall(r'\bt\("(\w+)"', script.read_text(encoding="utf-8")))
        used |= set(re.findall(r'^\s+\w+: "(err\w+)",$', script.read_text(encoding="utf-8"), re.M))
    assert used - english == set()
