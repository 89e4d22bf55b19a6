"""The static site under out/site/<locale>/: structure read back with html.parser."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import BuildSettings, render_all

ROOT = Path(__file__).resolve().parent.parent


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    settings = BuildSettings(
        catalog=ROOT / "catalog", locales_dir=ROOT / "locales", out=ROOT / "unused-out"
    )
    files, _warnings = render_all(settings)
    return {f.path: f.content.decode() for f in files if f.path.startswith("site/")}


def _parse(text: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Links()
    parser.feed(text)
    return parser.tags


def test_every_locale_has_index_and_module_pages(site: dict[str, str]) -> None:
    for locale in ("en", "sv", "de", "it"):
        assert f"site/{locale}/index.html" in site
        assert f"site/{locale}/deliveries.html" in site


def test_every_relative_link_resolves(site: dict[str, str]) -> None:
    for path, text in site.items():
        folder = path.rsplit("/", 1)[0]
        for tag, attrs in _parse(text):
            href = attrs.get("src") if tag == "script" else attrs.get("href")
            if tag not in ("a", "link", "script") or not href:
                continue
            target, _, anchor = href.partition("#")
            resolved = path if not target else _join(folder, target)
            assert resolved in site, f"{path}: broken link {href}"
            if anchor:
                ids = {a.get("id") for _t, a in _parse(site[resolved])}
                assert anchor in ids, f"{path}: missing anchor {href}"


def _join(folder: str, target: str) -> str:
    parts = folder.split("/")
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def test_language_switcher_and_hreflang(site: dict[str, str]) -> None:
    tags = _parse(site["site/sv/deliveries.html"])
    html = next(a for t, a in tags if t == "html")
    assert html["lang"] == "sv"
    alternates = {a["hreflang"] for t, a in tags if t == "link" and a.get("rel") == "alternate"}
    assert alternates == {"en", "sv", "de", "it"}
    switch = {a["href"] for t, a in tags if t == "a" and a.get("hreflang")}
    assert "../de/deliveries.html" in switch


def test_tables_anchor_ids_and_obsolete(site: dict[str, str]) -> None:
    page = site["site/sv/deliveries.html"]
    assert '<th scope="col">' in page and "<thead>" in page
    assert '<tr id="tracking">' in page and "<code>tracking</code>" in page
    assert 'href="#tracking"' in page
    assert "Spårning" in page


def test_search_index_holds_ids_and_translated_labels(site: dict[str, str]) -> None:
    text = site["site/sv/search-index.js"]
    assert text.startswith("window.WFGEN_INDEX=")
    entries = json.loads(text.removeprefix("window.WFGEN_INDEX=").rstrip().rstrip(";"))
    tracking = next(e for e in entries if e["id"] == "tracking")
    assert tracking["label"] == "Spårning" and tracking["page"] == "deliveries"
    assert "site/search.js" in site
