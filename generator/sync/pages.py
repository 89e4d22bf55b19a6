"""What one product's English pages say about each workflow they list.

Pages are read by the readers of ``docs check`` (:func:`generator.docs.read_page`). A
workflow listed on several pages of a product keeps the first page's label and description
(module pages before list pages, each group by file name), the package of the list page's
Package column, and the schedule all its pages' sentences agree on
(:func:`generator.schedules.english.combine`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..docs import Page, Row, read_page
from ..docs.markup import clean, strip_markup
from ..errors import InputError, Location
from ..schedules.english import (
    Reading,
    combine,
    is_schedule_statement,
    read_sentence,
    schedule_sentences,
    split_sentences,
    without_schedule,
)

__all__ = ["Documented", "SourcePage", "documented_workflows", "page_text", "read_source_page"]

_SUFFIX = re.compile(r"\s+-\s+Campaign v\d+ only$")
# "Installed by default, starting v8.5": the package, then the version that brought it.
_SINCE = re.compile(r",\s*(?P<note>starting v\d+(?:\.\d+)*)$")
# A pointer to another page ("For more information, refer to this page.") is not part of
# what the workflow does.
_POINTER = re.compile(
    r"^(?:for more (?:information|details)\b|(?:you can )?learn more\b|refer to\b|see also\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SourcePage:
    """An English page as sync reads it: the page, its product, where it came from."""

    page: Page
    product: str
    name: str  # how the catalogue names it (schedule_source.page): the file name
    lines: tuple[str, ...]
    commit: str | None = None  # the documentation commit of this version, when known
    date: str | None = None
    repo_path: str | None = None  # the page's path in its documentation repository
    repo: Path | None = None  # the git checkout it was read from

    @property
    def shown(self) -> str:
        """How reports name the page: its file, or ``<checkout>/<path>@<commit>`` from git."""
        if self.repo is not None and self.repo_path is not None:
            return f"{self.repo / self.repo_path}@{self.commit}"
        return str(self.page.path)

    @property
    def is_list(self) -> bool:
        """A list of technical workflows (every module's rows), not one module's page."""
        return self.page.layout == "list-table" or any(r.package for r in self.page.rows)


@dataclass(frozen=True)
class Sentence:
    """A schedule sentence where a page writes it."""

    page: str  # the page's name, as schedule_source names it
    path: str  # where reports show the page (SourcePage.shown)
    line: int
    reading: Reading


@dataclass(frozen=True)
class Documented:
    """One workflow as one product's pages document it."""

    id: str
    product: str
    label: str
    description: str
    package: str  # "" when no page gives one
    note: str  # what the Package cell adds to the package ("starting v8.5"), or ""
    page: SourcePage  # the first page that lists it
    line: int
    labels: tuple[str, ...]  # every label its pages give (any of them is in step)
    cells: tuple[str, ...]  # every description cell its pages give, as read
    sentences: tuple[Sentence, ...]
    schedule: Reading | None  # the sentences put together; None when no page gives one

    @property
    def schedule_page(self) -> Sentence | None:
        """The first sentence, whose page the catalogue's schedule_source names."""
        return self.sentences[0] if self.sentences else None


def read_source_page(
    path: Path,
    *,
    product: str | None,
    data_name: str | None = None,
    commit: str | None = None,
    date: str | None = None,
    repo_path: str | None = None,
    repo: Path | None = None,
) -> SourcePage:
    """Read one English page for sync.

    Raises:
        InputError: when the page cannot be read or its product is not known.
    """
    page = read_page(path, locale="en")
    chosen = product or page.product
    if chosen is None:
        raise InputError(
            "the page does not say its product",
            location=Location.of(path, 1),
            hint="give --product classic-v7, v8 or standard",
        )
    text = path.read_text(encoding="utf-8-sig")
    return SourcePage(
        page=page,
        product=chosen,
        name=data_name or path.name,
        lines=tuple(text.replace("\r\n", "\n").split("\n")),
        commit=commit,
        date=date,
        repo_path=repo_path,
        repo=repo,
    )


def page_text(lines: tuple[str, ...] | list[str]) -> str:
    """The words of a page as a reader sees them, on one line (for quoting checks)."""
    return " ".join(clean(line) for line in lines if line.strip())


def description_of(row: Row) -> str:
    """The row's description without what it says about when the workflow runs.

    A sentence about the schedule ("It is triggered every day at 2am by default.") goes; a
    schedule phrase in a sentence about what the workflow does ("imports fans ... every day
    at 7am") is cut out of it, unless another sentence of the cell states the schedule;
    a sentence whose schedule was not read stays as written.
    """
    sentences = split_sentences(row.description)
    readings = [read_sentence(s) for s in sentences]
    stated = any(
        r is not None and (r.schedule is not None or r.manual_only) and is_schedule_statement(s)
        for s, r in zip(sentences, readings, strict=True)
    )
    kept: list[str] = []
    subject = ""  # "This workflow" of a dropped schedule sentence, which "It" then stands for
    for written, reading in zip(sentences, readings, strict=True):
        sentence = written
        if subject and not kept and written.startswith("It "):
            sentence = f"{subject} {written[3:]}"
        if _POINTER.match(sentence):
            continue
        if reading is None or (reading.schedule is None and not reading.manual_only):
            kept.append(sentence)
        elif is_schedule_statement(sentence):
            if not kept and sentence.startswith("This workflow "):
                subject = "This workflow"
            continue
        elif stated:
            kept.append(sentence)
        else:
            kept.append(without_schedule(sentence))
    # A cell that only says when the workflow runs is its own description.
    return " ".join(s for s in kept if s).strip() or " ".join(row.description.split())


def _sentence_line(source: SourcePage, row: Row, sentence: str) -> int:
    """The line of the page where ``sentence`` starts (the row's line when not found)."""
    words = sentence.split()[:5]
    probe = " ".join(words)
    for index in range(max(row.line - 1, 0), len(source.lines)):
        if probe in " ".join(strip_markup(source.lines[index]).split()):
            return index + 1
        if index > row.line + 40:
            break
    return row.line


def _lead_sentence(source: SourcePage) -> Sentence | None:
    """The schedule the lead of a one-workflow page gives ("The workflow detailed below is
    scheduled to run every hour."), where the page writes it."""
    if len(source.page.rows) != 1 or not source.page.lead:
        return None
    lead = combine(schedule_sentences(source.page.lead))
    if lead is None:
        return None
    probe = " ".join(lead.sentences[0].split()[:5])
    line = next(
        (
            i
            for i, text in enumerate(source.lines, 1)
            if probe in " ".join(strip_markup(text).split())
        ),
        1,
    )
    return Sentence(source.name, source.shown, line, lead)


def documented_workflows(pages: list[SourcePage], product: str) -> dict[str, Documented]:
    """Every workflow ``product``'s pages list, by documented id, in first-listed order."""
    ordered = sorted((p for p in pages if p.product == product), key=lambda p: (p.is_list, p.name))
    rows: dict[str, list[tuple[SourcePage, Row]]] = {}
    for source in ordered:
        for row in source.page.rows:
            if row.documented_id:
                rows.setdefault(row.documented_id, []).append((source, row))
    found: dict[str, Documented] = {}
    for ident, listed in rows.items():
        first_source, first = listed[0]
        sentences: list[Sentence] = []
        for source, row in listed:
            lead = _lead_sentence(source)
            if lead is not None:
                sentences.append(lead)
            # The sentences of one cell are one source ("not run periodically. It must be
            # started by the user ..."); the cells of all pages must then agree.
            cell = combine(schedule_sentences(row.description))
            if cell is not None:
                line = _sentence_line(source, row, cell.sentences[0])
                sentences.append(Sentence(source.name, source.shown, line, cell))
        package = next((_SUFFIX.sub("", r.package) for _, r in listed if r.package), "")
        since = _SINCE.search(package)
        note = since["note"] if since else ""
        package = package[: since.start()] if since else package
        found[ident] = Documented(
            id=ident,
            product=product,
            label=first.label,
            description=description_of(first),
            package=package,
            note=note,
            page=first_source,
            line=first.line,
            labels=tuple(dict.fromkeys(r.label for _, r in listed)),
            cells=tuple(r.description for _, r in listed),
            sentences=tuple(sentences),
            schedule=combine(s.reading for s in sentences),
        )
    return found
