"""Per-target escaping: one line, crontab commands, systemd values and commands,
Kubernetes names and label values."""

from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import Location, UsageError

# RenderedFile and the bundled templates' folder live with the writer, which needs them
# without loading Jinja2 (an unchanged rebuild stops before rendering).
from ..safebytes import systemd_program_problem

if TYPE_CHECKING:
    pass

__all__ = [
    "LINE_BREAKS",
    "cron_command",
    "k8s_name",
    "label_value",
    "one_line",
    "reject_breaks",
    "systemd_command",
    "systemd_value",
]

# Every character some tool treats as a line break: cron and systemd split on \n, but editors,
# YAML and Python's splitlines() also honour the others, so none may reach an output line.
LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    """Collapse every line break (and other control characters) to one space.

    Args:
        text: free text from the catalogue, a locale or a profile.

    Returns:
        The text on a single line, trimmed.
    """
    return _CONTROL.sub("", LINE_BREAKS.sub(" ", text)).strip()


def reject_breaks(value: str, *, what: str, location: Location | None) -> str:
    if LINE_BREAKS.search(value) or _CONTROL.search(value):
        raise UsageError(
            f"{what} {value!r} contains a line break or control character",
            location=location,
            hint="commands and ids must stay on one line; remove the character",
        )
    return value


def _cron_word(arg: str, *, program: bool = False) -> str:
    # Each piece between two ``%`` is shell-quoted on its own and every ``%`` stands bare
    # between them, so no ``%`` ever follows a backslash (see cron_command).
    pieces = [shlex.quote(piece) if piece else "" for piece in arg.split("%")]
    if program and not pieces[0].startswith(("'", "/")):
        # A bare first word may be read as an assignment (A=b) or a reserved word (if).
        pieces[0] = "'" + pieces[0] + "'"
    return "%".join(pieces) or "''"


def cron_command(argv: Sequence[str]) -> str:
    """A crontab command: each argument shell-quoted, every ``%`` escaped as ``\\%``.

    cron (Vixie's do_command.c, kept by Debian and cronie) reads the command once before the
    shell: ``\\%`` becomes ``%``, any other backslash is kept together with the character
    after it, and a bare ``%`` ends the command (the rest goes to stdin). So a backslash just
    before an escaped ``%`` would pair with the escape and free the ``%``. The shell text is
    built so that no ``%`` follows a backslash: an argument is quoted piece by piece around
    its ``%`` signs (``a\\%b`` is written ``'a\\'\\%b``).

    Args:
        argv: the command and its arguments, already free of line breaks.
    """
    words = [_cron_word(arg, program=index == 0) for index, arg in enumerate(argv)]
    return " ".join(words).replace("%", "\\%")


_SYSTEMD_PLAIN = re.compile(r"[A-Za-z0-9_@+=:,./-]+")


def systemd_value(text: str) -> str:
    """A unit-file value on one line, ``%`` doubled (specifiers) and no trailing backslash.

    A trailing backslash would continue the value on the next line of the unit.
    """
    return one_line(text).replace("%", "%%").rstrip("\\").rstrip()


def systemd_command(argv: Sequence[str]) -> str:
    """An ``ExecStart=`` value: arguments quoted by systemd's own rules, not the shell's.

    systemd splits on whitespace, honours double quotes with C escapes, and expands ``%``
    specifiers and ``$VARIABLES``; plain words stay bare so the unit reads naturally. The
    program must be an absolute path: systemd reads a leading ``+ - @ : ! |`` of the first
    word as a prefix even when quoted or escaped (``+`` drops ``User=``), and ``/`` is none.

    Raises:
        UsageError: when systemd could not run ``argv[0]`` as written (see
            :func:`~generator.safebytes.systemd_program_problem`).
    """
    unfit = systemd_program_problem(argv[0]) if argv else "is missing"
    if unfit:
        raise UsageError(
            f"the command {argv[0] if argv else ''!r} {unfit}",
            hint="write the program's full path, such as /usr/local/bin/nlserver",
        )
    # The program's name: systemd expands % specifiers in it but never $VARIABLES.
    program = argv[0].replace("%", "%%")
    words = [program if _SYSTEMD_PLAIN.fullmatch(argv[0]) else f'"{program}"']
    for arg in argv[1:]:
        if _SYSTEMD_PLAIN.fullmatch(arg):
            words.append(arg.replace("%", "%%"))
            continue
        escaped = (
            arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
        )
        words.append(f'"{escaped}"')
    return " ".join(words)


def k8s_name(workflow_id: str, *, prefix: str = "wfgen", limit: int = 52) -> str:
    """A DNS-1123 label for a CronJob, unique even for ids that differ only in case.

    The hash of the exact id makes ``cleanupA`` and ``cleanupa`` two names; 52 characters is
    the CronJob limit (the controller appends 11 characters for each Job).
    """
    digest = hashlib.sha256(workflow_id.encode("utf-8")).hexdigest()[:8]
    slug = re.sub(r"[^a-z0-9]+", "-", workflow_id.lower()).strip("-")
    room = limit - len(prefix) - len(digest) - 2
    slug = slug[:room].strip("-")
    return "-".join(part for part in (prefix, slug, digest) if part)


_LABEL_VALUE = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?")


def label_value(text: str) -> str:
    """``text`` if Kubernetes accepts it as a label value, else a safe hash of it."""
    if _LABEL_VALUE.fullmatch(text):
        return text
    return "sha256-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
