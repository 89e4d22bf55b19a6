"""The English page a translation was made from, as the strongest evidence for its rows.

A localized page's frontmatter names ``source-git-commit``: the English commit it was
translated from. The English page at that commit is read from ``--english DIR``:

- a git checkout of the English documentation: ``git show <commit>:<path>``, where the path
  is the page's own path in its (localized) repository when it lies in a git work tree, else
  the one file of that commit with the page's file name;
- or a plain folder of snapshots named ``<commit>_<name>.md`` (any depth; the commit may be
  abbreviated to 7 or more hex digits), the layout of a corpus collected for testing.

When both tables have the same number of rows they are paired row by row. The English row's
id, when the catalogue confirms it (the English page's own check says ``ok``), decides the
localized row; when it does not, the English page itself is wrong there (a repeated or
unknown id) and that is reported as an ``english-defect`` finding, the localized row keeping
its own verdict. Without a commit, a source or an equal row count nothing changes.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import Location, Problem, Severity, WfgenError
from ..model import Catalog
from ..output import write_new
from .align import align
from .reader import read_page
from .results import DocsReport, PageReport, RowResult

__all__ = ["EnglishSource", "EnglishSources", "english_refiner", "with_english"]

_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
_SNAPSHOT = re.compile(r"^(?P<commit>[0-9a-f]{7,40})_(?P<name>.+)$")
_GIT_TIMEOUT = 30


@dataclass(frozen=True)
class EnglishSource:
    """The English page found for a translation: its text and where it came from."""

    commit: str
    shown: str  # how reports name it: a file, or "<dir>/<path>@<commit>"
    data: bytes
    relative: str  # path in the English repository (git) or the snapshot's file name


@dataclass
class EnglishSources:
    """Finds English pages under one folder; caches what git says per commit."""

    root: Path
    _git: bool | None = field(default=None, repr=False)
    _trees: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _snapshots: dict[str, list[tuple[str, Path]]] | None = field(default=None, repr=False)

    def find(self, page: Path, commit: str) -> EnglishSource | str:
        """The English page for ``page`` at ``commit``, or why it cannot be found."""
        commit = commit.strip().lower()
        if not _COMMIT.match(commit):
            return f"source-git-commit {commit!r} is not a commit hash"
        if self.is_git():
            return self._from_git(page, commit)
        return self._from_snapshots(page, commit)

    def is_git(self) -> bool:
        """True when the folder is (inside) a git repository."""
        if self._git is None:
            done = _git(self.root, "rev-parse", "--git-dir")
            self._git = done is not None
        return self._git

    def _from_git(self, page: Path, commit: str) -> EnglishSource | str:
        if _git(self.root, "cat-file", "-e", f"{commit}^{{commit}}") is None:
            return f"commit {commit[:12]} is not in {self.root}"
        candidates: list[str] = []
        own = _own_path(page)
        if own and _git(self.root, "cat-file", "-e", f"{commit}:{own}") is not None:
            candidates = [own]
        else:
            tree = self._trees.get(commit)
            if tree is None:
                listed = _git(self.root, "ls-tree", "-r", "--name-only", "-z", commit)
                tree = self._trees[commit] = (
                    [p for p in listed.decode("utf-8", "replace").split("\0") if p]
                    if listed
                    else []
                )
            candidates = [p for p in tree if p.rsplit("/", 1)[-1] == page.name]
        if len(candidates) != 1:
            how = "no file" if not candidates else f"{len(candidates)} files"
            return f"{how} named {page.name} at commit {commit[:12]} in {self.root}"
        data = _git(self.root, "show", f"{commit}:{candidates[0]}")
        if data is None:
            return f"git show {commit[:12]}:{candidates[0]} failed in {self.root}"
        shown = f"{self.root / candidates[0]}@{commit[:12]}"
        return EnglishSource(commit, shown, data, candidates[0])

    def _from_snapshots(self, page: Path, commit: str) -> EnglishSource | str:
        if not self.root.is_dir():
            return f"{self.root} is not a folder"
        if self._snapshots is None:
            index: dict[str, list[tuple[str, Path]]] = {}
            for path in sorted(self.root.rglob("*_*")):
                match = _SNAPSHOT.match(path.name)
                if match and path.is_file():
                    index.setdefault(match["name"], []).append((match["commit"], path))
            self._snapshots = index
        match = _SNAPSHOT.match(page.name)
        name = match["name"] if match else page.name
        found = [
            path
            for snap, path in self._snapshots.get(name, [])
            if commit.startswith(snap) or snap.startswith(commit)
        ]
        if len(found) > 1:
            # Same commit and name in two products' folders: the one beside the page's own.
            found = [p for p in found if p.parent.name == page.parent.name] or found
        if len(found) != 1:
            how = "no snapshot" if not found else f"{len(found)} snapshots"
            return f"{how} {commit[:12]}_{name} under {self.root}"
        try:
            data = found[0].read_bytes()
        except OSError as err:
            return f"cannot read {found[0]}: {err.strerror}"
        return EnglishSource(commit, str(found[0]), data, found[0].name)


def _git(root: Path, *args: str) -> bytes | None:
    """Run git in ``root``; its stdout, or None when it fails or is missing."""
    env = {**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            # No fsmonitor: a page's own repository is not trusted to run programs.
            [
                "git",
                "-C",
                str(root),
                "-c",
                "core.quotepath=off",
                "-c",
                "core.fsmonitor=false",
                *args,
            ],
            capture_output=True,
            check=False,
            env=env,
            timeout=_GIT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _own_path(page: Path) -> str | None:
    """The page's path inside its own git work tree (same in the English repository)."""
    prefix = _git(page.resolve().parent, "rev-parse", "--show-prefix")
    if prefix is None:
        return None
    relative = prefix.decode("utf-8", "replace").strip() + page.name
    return None if relative.startswith("-") else relative


def with_english(
    report: DocsReport,
    *,
    english_dir: Path,
    catalog: Catalog,
    read: Callable[[Path], dict[str, object]] | None = None,
) -> DocsReport:
    """``report`` with each page's rows decided by its English source where it can be.

    Args:
        report: what ``check_pages`` found.
        english_dir: a git checkout of the English documentation, or a snapshot folder.
        catalog: the canonical catalogue.
        read: page path -> frontmatter (default: read the page again).

    Returns:
        The same report, with row verdicts backed by the English rows, ``english-defect``
        findings for English rows the catalogue does not confirm, and an ``english-source``
        note (info finding) when a page names a commit whose English page is not found.
    """
    sources = EnglishSources(english_dir)
    frontmatter_of = read or (lambda p: read_page(p).frontmatter)
    pages = []
    for page in report.pages:
        try:
            value = frontmatter_of(page.path).get("source-git-commit")
            commit = "" if value is None else str(value)
        except WfgenError:
            commit = ""
        if not commit or not page.rows:
            pages.append(page)
            continue
        found = sources.find(page.path, commit)
        if isinstance(found, str):
            pages.append(_with_findings(page, [_info(page, found)]))
            continue
        pages.append(_pair(page, found, catalog))
    return replace(report, pages=tuple(pages))


def english_refiner(english_dir: Path, catalog: Catalog) -> Callable[[DocsReport], DocsReport]:
    """``with_english`` as a one-argument step (for ``fix_pages(refine=...)``)."""
    return lambda report: with_english(report, english_dir=english_dir, catalog=catalog)


def _info(page: PageReport, message: str) -> Problem:
    return Problem(
        Location.of(page.path, 1),
        f"English source not used: {message}",
        Severity.INFO,
        code="english-source",
        hint="pass --english a checkout of the English repository that holds that commit",
    )


def _with_findings(page: PageReport, findings: Sequence[Problem]) -> PageReport:
    return replace(page, findings=(*page.findings, *findings))


def _read_english(source: EnglishSource, catalog: Catalog) -> PageReport | str:
    """Read and check the English page (written to a temporary file for the reader)."""
    with tempfile.TemporaryDirectory(prefix="wfgen-english-") as folder:
        path = Path(folder) / Path(source.relative).name
        write_new(path, source.data)
        try:
            english = read_page(path, locale="en")
        except WfgenError as err:
            return f"the English page cannot be read: {err}"
        return replace(align(english, catalog), path=Path(source.shown))


# long: pairs a page with its English source row by row; the cases are the page layouts
def _pair(page: PageReport, source: EnglishSource, catalog: Catalog) -> PageReport:
    english = _read_english(source, catalog)
    if isinstance(english, str):
        return _with_findings(page, [_info(page, english)])
    findings: list[Problem] = []
    short = source.commit[:12]
    pairs = _pairs(page.rows, english.rows)
    if len(english.rows) != len(page.rows):
        message = (
            f"the English page at {short} has {len(english.rows)} row(s), this page "
            f"{len(page.rows)}: {len(pairs)} row(s) paired between rows with the same id"
        )
        findings.append(_info(page, message))
    paired = dict(pairs)
    rows: list[RowResult] = []
    for number, local in enumerate(page.rows):
        if number not in paired:
            rows.append(local)
            continue
        source_row = english.rows[paired[number]]
        written = source_row.row.documented_id
        if source_row.status != "ok" or not source_row.canonical_id:
            why = source_row.evidence[0] if source_row.evidence else "no canonical workflow"
            findings.append(
                Problem(
                    Location.of(source.shown, source_row.row.line),
                    f"the English page documents `{written}` on row {source_row.row.index + 1} "
                    f"({source_row.row.label!r}), which the catalogue does not confirm: {why}",
                    Severity.WARNING,
                    code="english-defect",
                    subject=written,
                    hint=f"row {local.row.index + 1} of {page.path} keeps its own evidence; "
                    "report the English page upstream",
                )
            )
            rows.append(local)
            continue
        canonical = source_row.canonical_id
        said = (
            f"row {source_row.row.index + 1} of the English page at {short} documents `{written}`"
        )
        documented = local.row.documented_id
        status = "ok" if documented in (written, canonical) else "mismatch"
        evidence = [said]
        if local.canonical_id and local.canonical_id != canonical:
            evidence.append(f"the page's own evidence pointed to `{local.canonical_id}`")
        elif local.status in ("unresolved", "unknown"):
            evidence.append("the page's own evidence was not conclusive")
        if status == "mismatch":
            evidence.append(f"replace `{documented}` with `{canonical}`")
        workflow = catalog.get(canonical)
        rows.append(
            RowResult(
                row=local.row,
                canonical_id=canonical,
                status=status,
                confidence=1.0,
                evidence=tuple(evidence),
                obsolete=bool(workflow and workflow.obsolete),
                replaced_by=workflow.replaced_by if workflow else None,
            )
        )
    return replace(page, rows=tuple(rows), findings=(*page.findings, *findings))


def _pairs(local: Sequence[RowResult], english: Sequence[RowResult]) -> list[tuple[int, int]]:
    """(local row, English row) index pairs.

    Tables of equal length pair row by row. Otherwise rows written with the same id anchor
    the two tables, and the rows between two anchors pair up only where both gaps are equally
    long: a row one reader missed never shifts its neighbours onto the wrong English row.
    """
    if len(local) == len(english):
        return [(i, i) for i in range(len(local))]
    matcher = difflib.SequenceMatcher(
        a=[r.documented_id.casefold() for r in local],
        b=[r.documented_id.casefold() for r in english],
        autojunk=False,
    )
    pairs: list[tuple[int, int]] = []
    last_a = last_b = 0
    for block in matcher.get_matching_blocks():
        gap_a, gap_b = block.a - last_a, block.b - last_b
        if gap_a == gap_b:
            pairs += [(last_a + k, last_b + k) for k in range(gap_a)]
        pairs += [(block.a + k, block.b + k) for k in range(block.size)]
        last_a, last_b = block.a + block.size, block.b + block.size
    return pairs
