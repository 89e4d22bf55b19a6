"""README.md and the pages under docs/: every relative link reaches a file, every anchor a
heading of its page (GitHub's anchors), and every page is reachable from the README."""

from __future__ import annotations

import itertools
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt

from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def _tokens(path: Path) -> list[object]:
    return list(MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8")))


def slug(title: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", title.strip().lower()))


@cache
def anchors(path: Path) -> frozenset[str]:
    """The anchors of a page's headings (a repeated heading's gets -1, -2, ... as on GitHub)."""
    tokens = _tokens(path)
    seen: dict[str, int] = {}
    found = set()
    for opening, inline in itertools.pairwise(tokens):
        if getattr(opening, "type", "") == "heading_open":
            base = slug(getattr(inline, "content", ""))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return frozenset(found)


def links(path: Path) -> list[str]:
    """Every link target of a page (inline links and images), in order."""
    out = []
    for token in _tokens(path):
        for child in getattr(token, "children", None) or ():
            if child.type == "link_open":
                out.append(str(child.attrs.get("href", "")))
            elif child.type == "image":
                out.append(str(child.attrs.get("src", "")))
    return out


def broken(path: Path) -> list[str]:
    """The links of ``path`` that reach no file or no heading, each with the reason."""
    problems = []
    for target in links(path):
        parts = urlsplit(target)
        if parts.scheme in ("http", "https", "mailto"):
            continue
        if parts.scheme or parts.netloc:
            problems.append(f"{target}: not a link into the repository")
            continue
        linked = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not linked.exists():
            problems.append(f"{target}: no such file")
        elif parts.path and not linked.is_relative_to(ROOT):
            problems.append(f"{target}: outside the repository")
        elif parts.fragment:
            if linked.suffix != ".md":
                problems.append(f"{target}: an anchor into a file that is not Markdown")
            elif unquote(parts.fragment) not in anchors(linked):
                problems.append(f"{target}: no such heading in {_id(linked)}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_every_link_reaches_its_file_and_heading(page: Path) -> None:
    """A relative link names an existing file, and its anchor a heading of that page."""
    assert broken(page) == []


def test_every_page_under_docs_is_reachable_from_the_readme() -> None:
    """Following links from README.md reaches every page under docs/: none is orphaned."""
    reached = {ROOT / "README.md"}
    todo = [ROOT / "README.md"]
    while todo:
        page = todo.pop()
        for target in links(page):
            parts = urlsplit(target)
            if parts.scheme or not parts.path.endswith(".md"):
                continue
            linked = (page.parent / unquote(parts.path)).resolve()
            if linked.is_file() and linked not in reached:
                reached.add(linked)
                todo.append(linked)
    assert sorted(_id(p) for p in PAGES if p not in reached) == []


def test_the_readme_is_a_front_page() -> None:
    """README.md stays a front page: at most 200 lines, the reference being under docs/."""
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 200


def test_the_check_finds_a_broken_link_and_anchor(tmp_path: Path) -> None:
    """The check itself: a missing file and a missing heading are both reported."""
    page = ROOT / "docs" / "ci.md"
    fake = tmp_path / "page.md"
    fake.write_text(
        f"# Title\n\n[ok](#title) [gone](missing.md) [bad]({page.as_posix()}#nowhere)\n",
        encoding="utf-8",
    )
    assert broken(fake) == [
        "missing.md: no such file",
        f"{page.as_posix()}#nowhere: no such heading in docs/ci.md",
    ]
