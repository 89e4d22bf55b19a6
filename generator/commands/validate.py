"""``wfgen validate``: every YAML file under the paths checked by the rules of its kind
(:mod:`generator.load.kinds`), then raw cron against the targets of the profiles, then the
schedule lint of each profile (the warnings ``wfgen build`` gives).

The rules are the loaders' own, so what ``wfgen build`` would refuse is refused here with
the same file:line:col message, and what it warns about is a warning here. Each file is
parsed once. A file with errors does not hide the others' problems: the entries and
profiles that load are checked further, so one run reports every problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CatalogError, Problem, Severity, sort_problems

if TYPE_CHECKING:
    from ..load.document import Documents

__all__ = ["ValidateResult", "ValidateSettings", "validate", "validate_files"]


@dataclass(frozen=True)
class ValidateSettings:
    """Options of ``wfgen validate``."""

    paths: tuple[Path, ...]
    strict: bool = False  # warnings fail too
    english: Path | None = None


@dataclass(frozen=True)
class ValidateResult:
    """Every problem, sorted by file and line, and how many files were checked."""

    problems: list[Problem]
    files: int
    failed: bool  # an error, or a warning under ``strict``


def validate_files(settings: ValidateSettings) -> ValidateResult:
    """``wfgen validate``: every problem of the files under the settings' paths.

    Raises:
        InputError: when a path is missing or unreadable.
    """
    from ..load.catalog import discover

    problems = validate(settings.paths, english=settings.english)
    failing = {Severity.ERROR, Severity.WARNING} if settings.strict else {Severity.ERROR}
    return ValidateResult(
        problems=problems,
        files=len(discover(list(settings.paths))),
        failed=any(p.severity in failing for p in problems),
    )


def validate(
    paths: Sequence[Path],
    *,
    documents: Documents | None = None,
    environments: Sequence[str] = (),
    english: Path | None = None,
) -> list[Problem]:
    """Every problem of the files under ``paths``, sorted by file and line.

    Args:
        paths: catalogue files or folders.
        documents: files the command has parsed already (``wfgen build`` shares its own).
        environments: lint only these profiles (by name); empty: every profile.
        english: a folder of the English pages: each ``schedule_source`` must quote a
            sentence its named page says, when that page is in the folder.

    Raises:
        InputError: when a path is missing or unreadable.
    """
    from ..load.catalog import discover, load_catalog, validate_paths
    from ..load.document import Documents as _Documents
    from ..load.document import kind_of
    from ..load.profiles import load_environment
    from ..schedule_lint import lint_environment, validate_dialects

    documents = documents if documents is not None else _Documents()
    problems = validate_paths(list(paths), documents=documents)
    # What the schedulers each environment renders for would refuse, at the schedule.
    problems += validate_dialects(list(paths), documents=documents)
    catalog, _ = load_catalog(list(paths), documents=documents, partial=True)
    for path in discover(list(paths)):
        loaded = documents.get(path)
        if loaded is None or not isinstance(loaded.data, dict):
            continue
        if kind_of(loaded.data, path) != "environment":
            continue
        try:
            environment = load_environment(path, documents=documents)
        except CatalogError:
            continue  # its problems are among those validation reported
        if environments and environment.name not in environments:
            continue
        problems += lint_environment(environment=environment, catalog=catalog)
    if english is not None and not any(p.severity is Severity.ERROR for p in problems):
        from ..sync.provenance import provenance_problems

        problems += provenance_problems(list(paths), english=english)
    unique = {(p.location, p.message, p.code, p.severity): p for p in problems}
    return sort_problems(list(unique.values()))
