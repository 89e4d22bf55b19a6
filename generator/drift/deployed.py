"""What is deployed, read as its scheduler reads it -> :class:`Deployed` jobs tied to workflow
ids by the profile's command.

A crontab is read as cron reads it (Vixie cron's ``load_env``/``load_entry``, kept by
Debian's cron and cronie): lines end at ``\\n`` only, an environment line is ``NAME = VALUE``
with optional blanks and quotes, ``CRON_TZ`` (never ``TZ``) sets the schedule's zone for the
lines after it, a ``cron.d`` line carries a user field, and the command is read as cron hands
it to ``/bin/sh -c`` (``\\%`` is ``%``, a bare ``%`` starts the job's standard input).
"""

from __future__ import annotations

import dataclasses
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import Location

__all__ = ["Deployed", "id_in", "read_crontab"]


@dataclass(frozen=True)
class Deployed:
    """One job as deployed; ``id`` is None for a job wfgen did not write.

    ``settings`` are the other fields that change how, as whom or whether the job runs
    (user, privileges, image, namespace, concurrency, suspension, unit settings), compared
    one by one with what the catalogue renders. ``timezone`` None is the host's zone.
    ``invalid`` says why the scheduler refuses or misreads the job (then nothing else of it
    is compared).
    """

    source: str  # crontab | kubernetes | systemd
    location: Location
    id: str | None
    schedules: tuple[str, ...]
    command: tuple[str, ...]
    timezone: str | None = None
    what: str = ""  # the line or name, for messages
    settings: tuple[tuple[str, str], ...] = ()
    invalid: str = ""
    zone_note: str = ""  # why the zone is what it is, for messages
    # (setting, where its value stands, its line) where that is not the job's own line.
    places: tuple[tuple[str, Location, str], ...] = ()

    def place(self, key: str) -> tuple[Location, str]:
        """Where the setting ``key`` (or ``command``) stands and its line, for a finding."""
        found = {k: (at, text) for k, at, text in self.places}
        if key in found:
            return found[key]
        if (key.startswith("[Service]") or key.startswith("ExecStart")) and "[Service]" in found:
            return found["[Service]"][0], ""
        return self.location, self.what


def id_in(argv: Iterable[str], template: tuple[str, ...]) -> str | None:
    """The workflow id carried by ``argv``, found where the profile's command puts ``{id}``."""
    argv = list(argv)
    if not argv or not template or argv[0] != template[0]:
        return None
    for part in template:
        if "{id}" not in part:
            continue
        prefix, _, suffix = part.partition("{id}")
        for arg in argv[1:]:
            if arg.startswith(prefix) and arg.endswith(suffix) and len(arg) > len(prefix + suffix):
                return arg[len(prefix) : len(arg) - len(suffix)]
    return None


# --- crontab --------------------------------------------------------------------------------

# Vixie cron's load_env: a name (quoted, or up to a blank or '='), blanks, '=', blanks, the
# value to the end of the line, trailing blanks dropped, one pair of matching quotes removed.
_ENV = re.compile(r"""[ \t]*(?P<name>"[^"]*"|'[^']*'|[^ \t=]+)[ \t]*=[ \t]*(?P<value>.*)""")
_FIELDS = re.compile(r"[ \t]*" + r"([^ \t]+)[ \t]+" * 5 + r"(.*)")
_NICKNAME = re.compile(r"[ \t]*(@[^ \t]+)[ \t]+(.*)")
# Expansions, operators, globs, a comment (# at a word's start), an assignment before the
# command (NAME=value as the first word): the shell does more than split there.
_SHELL_SPECIAL = re.compile(r"[$`;&|<>(){}*?\[\]~]|(?:^|[ \t])#|^[ \t]*[A-Za-z_][A-Za-z0-9_]*=")
_SHELL_QUOTING = re.compile(r"['\"\\\n]")
_BLANKS = re.compile(r"[ \t]+")  # what the shell splits words at (IFS)
# Variables that only say where cron mails a job's output: they change nothing that runs.
_MAIL_ONLY = frozenset({"MAILTO", "MAILFROM", "CONTENT_TYPE", "CONTENT_TRANSFER_ENCODING"})


def _env_line(line: str) -> tuple[str, str] | None:
    if line.lstrip(" \t")[:1].isdigit() or line.lstrip(" \t")[:1] in "*@":
        return None
    match = _ENV.fullmatch(line)
    if match is None:
        return None
    name, value = match.group("name"), match.group("value").rstrip(" \t")
    for quote in "\"'":
        if len(name) >= 2 and name[0] == name[-1] == quote:
            name = name[1:-1]
        if len(value) >= 2 and value[0] == value[-1] == quote:
            value = value[1:-1]
    return name, value


def cron_shell_text(command: str) -> tuple[str, str | None]:
    """The shell text cron runs and the job's standard input (None when there is none)."""
    if "%" not in command:
        return command, None  # a backslash is kept with what follows it: nothing changes
    out: list[str] = []
    index = 0
    while index < len(command):
        char = command[index]
        if char == "\\" and index + 1 < len(command):
            nxt = command[index + 1]
            out.append("%" if nxt == "%" else char + nxt)
            index += 2
            continue
        if char == "%":
            return "".join(out), command[index + 1 :]
        out.append(char)
        index += 1
    return "".join(out), None


def shell_argv(text: str) -> tuple[str, ...]:
    """The words ``/bin/sh -c`` runs for ``text``; the text itself, as one word, when the
    shell would do more than split and unquote it (expansions, operators, globs)."""
    if not _SHELL_QUOTING.search(text):
        if _SHELL_SPECIAL.search(text):
            return (text,)
        return tuple(w for w in _BLANKS.split(text) if w)
    try:
        words = shlex.split(text)
    except ValueError:
        return (text,)
    if _SHELL_SPECIAL.search(_unquoted(text)):
        return (text,)
    return tuple(words)


def _unquoted(text: str) -> str:
    """``text`` without its single-quoted parts (where the shell expands nothing)."""
    return re.sub(r"'[^']*'", "", text)


def _is_cron_d(lines: list[str], program: str) -> bool:
    """A cron.d file (a user field before each command) rather than a user's crontab:
    decided by where the profile's program stands on the job lines."""
    user_field = plain = 0
    for line in lines:
        match = _NICKNAME.fullmatch(line) or _FIELDS.fullmatch(line)
        if match is None:
            continue
        words = match.groups()[-1].split()
        if words[:1] == [program]:
            plain += 1
        elif words[1:2] == [program]:
            user_field += 1
    return user_field > plain


def read_crontab(text: str, name: str, template: tuple[str, ...]) -> list[Deployed]:
    """Entries of a user crontab (``crontab -l``) or a ``cron.d`` file (with a user field).

    Lines are split at ``\\n`` only, as cron splits them; ``CRON_TZ=`` applies to the lines
    after it. A line cron would refuse or misread is kept with ``invalid`` set.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    unterminated = bool(text) and not text.endswith("\n")
    cron_d = _is_cron_d(lines, template[0] if template else "")
    out: list[Deployed] = []
    timezone: str | None = None
    tz_line = 0
    environment: dict[str, tuple[Location, str, str]] = {}
    for number, line in enumerate(lines, start=1):
        where = Location(name, number, 1)
        body = line.lstrip(" \t")
        if not body or body.startswith("#"):
            continue
        if unterminated and number == len(lines):
            out.append(
                Deployed(
                    "crontab",
                    where,
                    _id_of_words(line, template),
                    (),
                    (),
                    timezone,
                    what=line,
                    invalid="no newline ends the file: Debian's crontab refuses to install it "
                    "and cron may skip this last line",
                )
            )
            continue
        if "\r" in line:
            out.append(
                Deployed(
                    "crontab",
                    where,
                    _id_of_words(line.replace("\r", ""), template),
                    (),
                    (),
                    timezone,
                    what=line.replace("\r", "\\r"),
                    invalid="a carriage return (a CRLF line end): cron keeps it as part of "
                    "the line, so the last word of the command or value ends with \\r",
                )
            )
            continue
        env = _env_line(line)
        if env is not None:
            if env[0] == "CRON_TZ":
                timezone = env[1]
            elif env[0] not in _MAIL_ONLY:
                environment[env[0]] = (where, line, env[1])
                if env[0] == "TZ":
                    tz_line = number
            continue
        entry = _crontab_entry(line, where, timezone, cron_d, template)
        if environment:
            # Every job after an assignment runs with it: SHELL, PATH, LD_PRELOAD... change
            # what runs; each is compared as a setting of the job, found at its line.
            entry = dataclasses.replace(
                entry,
                settings=(
                    *entry.settings,
                    *((f"environment {k}", v) for k, (_, _, v) in sorted(environment.items())),
                ),
                places=tuple(
                    (f"environment {k}", at, text)
                    for k, (at, text, _) in sorted(environment.items())
                ),
            )
        if timezone is None and tz_line:
            note = f"TZ= on line {tz_line} sets the job's environment only; cron takes "
            entry = dataclasses.replace(entry, zone_note=note + "the zone from CRON_TZ")
        out.append(entry)
    return out


def _id_of_words(line: str, template: tuple[str, ...]) -> str | None:
    words = line.split()
    for start in range(len(words)):
        found = id_in(words[start:], template)
        if found is not None:
            return found
    return None


def _crontab_entry(
    line: str, where: Location, timezone: str | None, cron_d: bool, template: tuple[str, ...]
) -> Deployed:
    nick = _NICKNAME.fullmatch(line)
    fields = None if nick else _FIELDS.fullmatch(line)
    if nick is not None:
        schedule, rest = nick.group(1), nick.group(2)
    elif fields is not None:
        schedule, rest = " ".join(fields.groups()[:5]), fields.group(6)
    else:
        return Deployed(
            "crontab", where, None, (), (), timezone, what=line, invalid="not a cron entry"
        )
    settings: tuple[tuple[str, str], ...] = ()
    if cron_d:
        user, _, rest = rest.lstrip(" \t").partition(" ")
        if "\t" in user:
            user, _, more = user.partition("\t")
            rest = more + " " + rest
        settings = (("user", user),)
    shell, stdin = cron_shell_text(rest.strip(" \t"))
    argv = shell_argv(shell)
    if stdin is not None:
        settings = (*settings, ("standard input (after a bare %)", stdin))
    return Deployed(
        "crontab",
        where,
        id_in(argv, template) or _id_of_words(shell, template),
        (schedule,),
        argv,
        timezone,
        what=line,
        settings=settings,
    )
