"""Provenance: every ``schedule_source`` quotes a sentence that is on the page it names.

A hand edit that moves a quoted sentence away from the documentation (a time changed in the
quote, a sentence reworded) is reported at the quote, when the named English page is in
the folder given; a page that is not there is not checked (and not reported).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, Severity
from .pages import page_text
from .tree import CatalogTree

__all__ = ["provenance_problems"]


def _catalog_roots(paths: Sequence[Path]) -> list[Path]:
    roots: list[Path] = []
    for path in paths:
        for candidate in (path, *path.parents):
            if (candidate / "workflows").is_dir() or (candidate / "modules.yaml").is_file():
                roots.append(candidate)
                break
    return list(dict.fromkeys(roots))


def _sources(data: Any) -> Iterator[tuple[str, Any]]:
    """(where, source mapping) of the entry's schedule_source and its products' ones."""
    if isinstance(data.get("schedule_source"), dict):
        yield "schedule_source", data["schedule_source"]
    for product, variant in (data.get("per_product") or {}).items():
        if isinstance(variant, dict) and isinstance(variant.get("schedule_source"), dict):
            yield f"per_product.{product}.schedule_source", variant["schedule_source"]


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


def provenance_problems(paths: Sequence[Path], *, english: Path) -> list[Problem]:
    """A problem for each quoted sentence that its named page in ``english`` does not say.

    Args:
        paths: the catalogue paths validate was given.
        english: a folder of English pages named as ``schedule_source.page`` names them.
    """
    problems: list[Problem] = []
    texts: dict[str, str | None] = {}
    for root in _catalog_roots(paths):
        tree = CatalogTree.read(root)
        named = [p.resolve() for p in paths]
        for entry in tree.entries:
            file = entry.file.resolve()
            if not any(file == p or p in file.parents for p in named):
                continue
            for where, source in _sources(entry.data):
                page = str(source.get("page", ""))
                if page not in texts:
                    path = english / page
                    try:
                        lines = path.read_text(encoding="utf-8-sig").splitlines()
                    except (OSError, UnicodeDecodeError):
                        texts[page] = None
                    else:
                        texts[page] = _words(page_text(lines))
                said = texts[page]
                quote = str(source.get("text", ""))
                if said is None or _words(quote) in said:
                    continue
                line, col = source.lc.value("text") if "text" in source else (source.lc.line, 0)
                problems.append(
                    Problem(
                        location=Location.of(entry.file, line + 1, col + 1),
                        message=f"{entry.id}: {where}.text is not on {page}: {quote!r}",
                        severity=Severity.ERROR,
                        code="schedule-source",
                        subject=entry.id,
                        hint=f"quote the sentence as {english / page} writes it, or run `wfgen catalog sync`",
                    )
                )
    return problems
