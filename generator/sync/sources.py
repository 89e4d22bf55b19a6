"""SOURCE arguments of ``catalog sync`` -> English pages to read.

A SOURCE is a page, a folder of pages (walked; files without a table of workflows are
left out), or a git checkout of an English documentation repository, whose technical
workflow pages are found by their tables at ``HEAD`` or at ``--rev``. A page taken from git
is copied under a temporary folder named after the repository, so that its product is told
from the repository's name when its frontmatter does not say it, and it knows its commit
and date (for ``last_listed``).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ..docs.batch import find_pages
from ..docs.reader import workflow_layout
from ..errors import InputError, Location, UsageError
from ..output import write_new
from .pages import SourcePage, read_source_page

__all__ = ["last_listing", "read_sources"]

_GIT_TIMEOUT = 60
_SNAPSHOT = re.compile(r"^(?P<commit>[0-9a-f]{12,40})_")


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


def _is_checkout(folder: Path) -> bool:
    top = _git(folder, "rev-parse", "--show-toplevel")
    return top is not None and Path(top.strip()).resolve() == folder.resolve()


def _from_git(folder: Path, rev: str, product: str | None, scratch: Path) -> list[SourcePage]:
    commit = _git(folder, "rev-parse", "--verify", f"{rev}^{{commit}}")
    if commit is None:
        raise UsageError(
            f"{folder}: revision {rev!r} is not in this repository",
            hint="give --rev a commit, branch or tag of the documentation repository",
        )
    commit = commit.strip()
    # Only the pages with a table at that revision, found by git itself (a documentation
    # repository holds thousands of pages).
    listing = _git(folder, "grep", "-l", "-I", "-E", r"<table|^\|", commit, "--", "*.md") or ""
    pages: list[SourcePage] = []
    for line in sorted(listing.splitlines()):
        relative = line.removeprefix(f"{commit}:")
        shown = subprocess.run(
            ["git", "-C", str(folder), "show", f"{commit}:{relative}"],
            capture_output=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
        if shown.returncode != 0:
            continue
        copy = scratch / folder.resolve().name / relative
        write_new(copy, shown.stdout)
        if workflow_layout(copy) == "none":
            continue
        log = _git(folder, "log", "-1", "--format=%H %cs", commit, "--", relative) or ""
        version, _, date = log.strip().partition(" ")
        pages.append(
            read_source_page(
                copy,
                product=product,
                data_name=Path(relative).name,
                commit=(version or commit)[:12],
                date=date or None,
                repo_path=relative,
                repo=folder,
            )
        )
    return pages


def read_sources(
    sources: Sequence[Path], *, product: str | None, rev: str | None, scratch: Path
) -> list[SourcePage]:
    """Every English page the SOURCE arguments name, in order.

    Raises:
        InputError: when a page cannot be read or does not say its product.
        UsageError: for --rev without a git checkout, or a revision the checkout lacks.
    """
    pages: list[SourcePage] = []
    files: list[Path] = []
    for source in sources:
        if not source.exists():
            raise InputError("no such file or folder", location=Location.of(source))
        if source.is_dir() and _is_checkout(source):
            pages.extend(_from_git(source, rev or "HEAD", product, scratch))
            continue
        if rev is not None:
            raise UsageError(f"{source}: --rev needs a git checkout of the documentation")
        files.append(source)
    if files:
        found, walked = find_pages(files)
        for path in found:
            if path in walked and workflow_layout(path) == "none":
                continue
            snapshot = _SNAPSHOT.match(path.name)
            pages.append(
                read_source_page(
                    path,
                    product=product,
                    commit=snapshot["commit"] if snapshot else None,
                )
            )
    return pages


def last_listing(page: SourcePage, ident: str) -> tuple[str, str | None] | None:
    """The last version of a git page that still wrote ``ident``: (commit, date), or None
    when the page is not from git or its history never wrote it."""
    if page.repo is None or page.repo_path is None or page.commit is None:
        return None
    removed = _git(
        page.repo, "log", "-1", "--format=%H", f"-S{ident}", page.commit, "--", page.repo_path
    )
    if not removed or not removed.strip():
        return None
    before = _git(
        page.repo, "log", "-1", "--format=%H %cs", f"{removed.strip()}^", "--", page.repo_path
    )
    if not before or not before.strip():
        return None
    commit, _, date = before.strip().partition(" ")
    shown = _git(page.repo, "show", f"{commit}:{page.repo_path}")
    if shown is None or ident not in shown:
        return None
    return commit[:12], date or None
