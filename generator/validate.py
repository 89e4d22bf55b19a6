"""``wfgen validate``: every YAML file under the paths checked by the rules of its kind
(:mod:`generator.load.kinds`), then raw cron against the targets of the profiles.

The rules are the loaders' own, so what ``wfgen build`` would refuse is refused here with
the same file:line:col message. Each file is parsed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .errors import Problem, Severity, sort_problems

__all__ = ["validate"]


def validate(paths: Sequence[Path], *, english: Path | None = None) -> list[Problem]:
    """Every problem of the files under ``paths``, sorted by file and line.

    With ``english`` (a folder of the English pages), each ``schedule_source`` must quote
    a sentence its named page says, when that page is in the folder.

    Raises:
        InputError: when a path is missing or unreadable.
    """
    from .load.catalog import validate_paths
    from .load.document import Documents
    from .schedule_lint import validate_dialects

    documents = Documents()
    problems = validate_paths(list(paths), documents=documents)
    if not any(p.severity is Severity.ERROR for p in problems):
        # What the schedulers each environment renders for would refuse, at the schedule.
        problems = sort_problems(problems + validate_dialects(list(paths), documents=documents))
    if english is not None and not any(p.severity is Severity.ERROR for p in problems):
        from .sync.provenance import provenance_problems

        problems = sort_problems(problems + provenance_problems(list(paths), english=english))
    return problems
