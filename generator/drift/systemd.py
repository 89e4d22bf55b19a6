"""systemd timers and their services as systemd loads them from one unit folder.

Each unit is its file merged with its drop-ins, as ``systemctl edit`` writes them: every
``*.conf`` of ``UNIT.d/``, of the dash-prefix folders (``wfgen-.timer.d/``) and of the type's
folder (``timer.d/``), applied in the order of their file names after the unit itself. A
list setting (``OnCalendar=``, ``ExecStart=``, ``Environment=``, ...) gathers every
assignment and an empty assignment clears it; any other setting takes its last value.
Lines end at ``\\n``, ``\\r\\n`` or ``\\r``; a trailing backslash continues a line; ``#`` and
``;`` start comments. ``ExecStart=`` keeps its prefixes (``+``, ``!``, ``-``, ``@``, ``:``,
``|``): ``+`` runs the command with full privileges whatever ``User=`` says.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Location
from ..safebytes import decode_utf8, read_input
from .deployed import Deployed, id_in

__all__ = ["read_systemd", "read_unit_texts", "read_units", "unit_files"]

# Settings that systemd reads as lists (an empty assignment resets them).
_LISTS = {
    "OnCalendar",
    "OnActiveSec",
    "OnBootSec",
    "OnStartupSec",
    "OnUnitActiveSec",
    "OnUnitInactiveSec",
    "OnClockChange",
    "OnTimezoneChange",
    "ExecStart",
    "ExecStartPre",
    "ExecStartPost",
    "ExecStop",
    "ExecStopPost",
    "ExecCondition",
    "Environment",
    "EnvironmentFile",
    "SupplementaryGroups",
    "AmbientCapabilities",
    "CapabilityBoundingSet",
    "ReadWritePaths",
    "BindPaths",
}
_PREFIXES = "-@:+!|"
_UNIT_NAME = re.compile(r"[A-Za-z0-9:_.@\\-]+\.service")
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class _Value:
    value: str
    location: Location


Merged = dict[tuple[str, str], list[_Value]]


def _parse(text: str, name: str, merged: Merged) -> None:
    """Apply one unit file's (or drop-in's) assignments to ``merged``."""
    section = ""
    pending = ""
    start = 0
    for number, raw in enumerate(_LINE_END.split(text), start=1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped[0] in "#;"):
            continue
        if pending and stripped[:1] in ("#", ";"):
            continue  # a comment inside a continued line is skipped
        if stripped.endswith("\\"):
            if not pending:
                start = number
            pending += stripped[:-1] + " "
            continue
        line = pending + stripped
        first = start if pending else number
        pending = ""
        if line.startswith("["):
            section = line[1:].split("]", 1)[0]
            continue
        key, sep, value = line.partition("=")
        if not sep:
            continue  # systemd ignores such a line with a warning
        key, value = key.strip(), value.strip()
        slot = merged.setdefault((section, key), [])
        if key in _LISTS:
            if value == "":
                slot.clear()
            else:
                slot.append(_Value(value, Location(name, first, 1)))
        else:
            slot[:] = [] if value == "" else [_Value(value, Location(name, first, 1))]


def _read(path: Path) -> str:
    try:
        data = read_input(path)
    except OSError as err:
        raise InputError(
            f"cannot read this unit: {err.strerror or err}",
            location=Location(str(path)),
            hint="a unit is a regular file of at most 64 MiB",
        ) from err
    return decode_utf8(data, path=path, what="unit file")


def _drop_in_folders(unit: str) -> list[str]:
    stem, _, kind = unit.rpartition(".")
    folders = [f"{kind}.d"]
    parts = stem.split("-")
    folders += [f"{'-'.join(parts[:n])}-.{kind}.d" for n in range(1, len(parts))]
    folders.append(f"{unit}.d")
    return folders


def unit_files(files: Iterable[str], unit: str) -> list[str]:
    """The paths systemd merges into ``unit``, in its order: the unit, then its drop-ins by
    file name (of two with the same name, the one of the most specific folder)."""
    return _unit_files(_by_folder(files), unit)


def _by_folder(files: Iterable[str]) -> dict[str, list[str]]:
    """Paths by their first part: a unit's name, or a drop-in folder's."""
    index: dict[str, list[str]] = {}
    for path in sorted(files):
        index.setdefault(path.split("/", 1)[0], []).append(path)
    return index


def _unit_files(index: dict[str, list[str]], unit: str) -> list[str]:
    drop_ins: dict[str, str] = {}
    for sub in _drop_in_folders(unit):
        for path in index.get(sub, ()):
            if path.endswith(".conf") and path.count("/") == 1:
                drop_ins[path.rsplit("/", 1)[1]] = path  # a more specific folder wins
    return ([unit] if unit in index.get(unit, ()) else []) + [
        drop_ins[base] for base in sorted(drop_ins)
    ]


def read_unit_texts(
    files: dict[str, str], unit: str, folder: str, index: dict[str, list[str]] | None = None
) -> Merged:
    """``unit`` merged with its drop-ins, from texts keyed by their path below the folder."""
    merged: Merged = {}
    for path in _unit_files(index if index is not None else _by_folder(files), unit):
        _parse(files[path], f"{folder}/{path}" if folder else path, merged)
    return merged


def _folder_texts(folder: Path) -> dict[str, str]:
    """The unit files and drop-ins of ``folder`` (one level of ``*.d`` folders), by path."""
    files: dict[str, str] = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        raise InputError(f"{folder}: cannot list this folder ({err.strerror or err})") from err
    for entry in entries:
        path = folder / entry.name
        if entry.name.endswith((".timer", ".service")):
            files[entry.name] = _read(path)
        elif entry.name.endswith(".d"):
            try:
                if not entry.is_dir():
                    continue
                subs = sorted(os.scandir(path), key=lambda e: e.name)
            except OSError as err:
                raise InputError(
                    f"cannot list this drop-in folder ({err.strerror or err})",
                    location=Location(str(path)),
                ) from err
            for sub in subs:
                if sub.name.endswith(".conf"):
                    files[f"{entry.name}/{sub.name}"] = _read(path / sub.name)
    return files


def _argv(value: str) -> tuple[str, tuple[str, ...]]:
    """An ``ExecStart=`` value's prefixes and words, as systemd splits and unescapes them."""
    prefix = ""
    while value[:1] and value[0] in _PREFIXES:
        prefix += value[0]
        value = value[1:]
    try:
        words = shlex.split(value, posix=True)
    except ValueError:
        return prefix, (value,)
    return prefix, tuple(w.replace("%%", "%").replace("$$", "$") for w in words)


def _zone(calendar: str) -> str | None:
    last = calendar.rsplit(maxsplit=1)[-1] if calendar.split() else ""
    return last if "/" in last or last in ("UTC", "GMT") else None


def read_systemd(folder: Path, template: tuple[str, ...]) -> list[Deployed]:
    """Timers of a unit folder, each merged with its drop-ins, with its service's settings."""
    if not folder.is_dir():
        raise InputError(f"{folder}: no such directory", hint="give the folder of the .timer units")
    return read_units(_folder_texts(folder), str(folder), template)


def read_units(files: dict[str, str], folder: str, template: tuple[str, ...]) -> list[Deployed]:
    """Timers of unit texts keyed by their path below ``folder``."""
    out = []
    index = _by_folder(files)
    started: set[str] = set()
    for unit in sorted(f for f in files if f.endswith(".timer") and "/" not in f):
        timer = read_unit_texts(files, unit, folder, index)
        where = Location(f"{folder}/{unit}" if folder else unit, 1, 1)
        calendars = timer.get(("Timer", "OnCalendar"), [])
        target = timer.get(("Timer", "Unit"), [])
        service = target[-1].value if target else unit.removesuffix(".timer") + ".service"
        settings: list[tuple[str, str]] = [
            (f"[Timer] {key}", " | ".join(v.value for v in values))
            for (section, key), values in sorted(timer.items())
            if section == "Timer" and key not in ("OnCalendar", "Unit") and values
        ]
        places = _places(timer)
        invalid = ""
        argv: tuple[str, ...] = ()
        if not _UNIT_NAME.fullmatch(service):
            invalid = f"Unit={service} names no service unit of this folder"
        elif service in files:
            started.add(service)
            merged = read_unit_texts(files, service, folder, index)
            places.update(_places(merged))
            places["[Service]"] = (Location(f"{folder}/{service}" if folder else service), "")
            starts = merged.get(("Service", "ExecStart"), [])
            if starts:
                prefix, argv = _argv(starts[0].value)
                settings.append(("ExecStart prefix", prefix))
                first = (starts[0].location, f"ExecStart={starts[0].value}")
                places["command"] = places["ExecStart prefix"] = first
                later = starts[-1]
                places["ExecStart lines"] = (later.location, f"ExecStart={later.value}")
            settings.append(("ExecStart lines", str(len(starts))))
            settings.extend(
                (f"[Service] {key}", " | ".join(v.value for v in values))
                for (section, key), values in sorted(merged.items())
                if section == "Service" and key != "ExecStart" and values
            )
        zones = {_zone(c.value) for c in calendars}
        found = id_in(argv, template)
        if found is None and not argv and unit.startswith("wfgen-"):
            found = unit.removeprefix("wfgen-").removesuffix(".timer")  # service gone
        out.append(
            Deployed(
                "systemd",
                calendars[0].location if calendars else where,
                found,
                tuple(c.value for c in calendars),
                argv,
                None if None in zones or not zones else ", ".join(sorted(z for z in zones if z)),
                what=unit,
                settings=tuple(settings),
                invalid=invalid,
                places=tuple((key, at, text) for key, (at, text) in sorted(places.items())),
            )
        )
    for service in sorted(f for f in files if f.endswith(".service") and "/" not in f):
        if service not in started:  # no timer of the folder starts it: listed, never silent
            at = Location(f"{folder}/{service}" if folder else service, 1, 1)
            out.append(
                Deployed("systemd", at, None, (), (), what=f"{service} (no timer starts it)")
            )
    return out


def _places(merged: Merged) -> dict[str, tuple[Location, str]]:
    """Where each setting's (last) value stands, and its line as written."""
    return {
        f"[{section}] {key}": (values[-1].location, f"{key}={values[-1].value}")
        for (section, key), values in merged.items()
        if values
    }
