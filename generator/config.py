"""The project: its folder, found upward from the current one, and the defaults it sets.

A project is the folder holding ``wfgen.toml``, or a ``pyproject.toml`` with a
``[tool.wfgen]`` table, searched from the current folder up to the file-system root (as git,
ruff and pytest search theirs); the nearest wins, and in one folder ``wfgen.toml`` wins over
``pyproject.toml``. Without one, the project is the current folder with the default layout.

Keys are the long command-line options they default (paths relative to the project folder):
``catalog``, ``locales``, ``templates``, ``out`` (folders), ``env``, ``locale`` (lists) and
``strict`` (a boolean: warnings fail ``build``, ``validate``, ``schedule lint``, ``l10n check``
and ``docs check``, as ``--strict`` does).
An option given on the command line always wins over the file. An ``l10n`` table holds
the settings of ``wfgen l10n check`` (``l10n.generic.load_config`` checks it).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, Location, UsageError
from .safebytes import decode_utf8, position_of_byte

__all__ = [
    "CONFIG_NAME",
    "PYPROJECT_TABLE",
    "Project",
    "find_config",
    "key_location",
    "load_project",
    "read_settings",
]

CONFIG_NAME = "wfgen.toml"
PYPROJECT_TABLE = "tool.wfgen"
_PATH_KEYS = ("catalog", "locales", "templates", "out")
_LIST_KEYS = ("env", "locale")
_BOOL_KEYS = ("strict",)
_URL_KEYS = ("base_url",)
# The site's address: http(s), a host, an optional path; no query or fragment.
BASE_URL = re.compile(r"https?://[^\s/?#]+(/[^\s?#]*)?")
_DEFAULTS = {"catalog": "catalog", "locales": "locales", "out": "out"}


@dataclass(frozen=True)
class Project:
    """Where a command's inputs and outputs are when its options do not say.

    Paths are relative to the current folder when the project folder is it or one above it
    (``catalog`` seen from ``catalog/workflows`` is ``../../catalog``), so messages name files
    the way the user reaches them.
    """

    root: Path
    config: Path | None  # the file the settings came from; None: none found, defaults
    catalog: Path
    locales: Path
    out: Path
    templates: Path | None
    environments: tuple[str, ...]
    build_locales: tuple[str, ...]
    strict: bool = False
    base_url: str | None = None  # the site's address when published (absolute links, sitemap)

    def describe(self) -> str:
        """Where the settings came from, for error messages."""
        if self.config is None:
            return (
                f"no {CONFIG_NAME} (or pyproject.toml with [{PYPROJECT_TABLE}]) in "
                f"{self.root} or any folder above it"
            )
        return f"project {self.config}"


def _has_table(pyproject: Path) -> bool:
    """Whether a ``pyproject.toml`` declares ``[tool.wfgen]`` (cheap test before parsing)."""
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*wfgen\s*[\].]", text, re.MULTILINE) is not None


def find_config(start: Path) -> Path | None:
    """The nearest ``wfgen.toml`` or ``pyproject.toml`` with ``[tool.wfgen]`` at or above ``start``."""
    start = start.absolute()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


def key_location(path: Path, text: str, key: str, *, table: str = "") -> Location:
    """Line and column of ``key = ...`` in the settings table of ``path`` (1-based).

    ``table`` names a table inside the settings (``l10n`` is ``[l10n]`` in ``wfgen.toml``,
    ``[tool.wfgen.l10n]`` in ``pyproject.toml``). A key that is not found falls back to the
    table's header line, then to the file.
    """
    lines = text.splitlines()
    parts = [*([] if path.name == CONFIG_NAME else ["tool", "wfgen"]), *([table] if table else [])]
    start = 0
    if parts:
        header = re.compile(r"\s*\[\s*" + r"\s*\.\s*".join(map(re.escape, parts)) + r"\s*\]")
        for number, line in enumerate(lines):
            if header.match(line):
                start = number + 1
                break
        else:
            if table:  # an inline or dotted table: where its key is
                return key_location(path, text, table)
    pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number in range(start, len(lines)):
        if lines[number].lstrip().startswith("["):
            break
        match = pattern.match(lines[number])
        if match:
            return Location.of(
                path, number + 1, len(lines[number]) - len(lines[number].lstrip()) + 1
            )
    return Location.of(path, start, 1 if start else 0)


def read_settings(path: Path) -> tuple[dict[str, Any], str]:
    """The settings table of ``path`` (all of ``wfgen.toml``, ``[tool.wfgen]`` of a
    ``pyproject.toml``) and the file's text.

    Raises:
        UsageError: when the file cannot be read, is not UTF-8 or not TOML, located.
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UsageError(f"{path}: cannot read: {err.strerror or err}") from err
    try:
        text = decode_utf8(raw, path=path, keep_bom=True)
    except InputError as err:
        raise UsageError(str(err)) from err
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = re.search(r"\(at line (\d+), column (\d+)\)$", message)
        ended = re.search(r"\(at end of document\)$", message)
        if found:
            where = Location.of(path, int(found.group(1)), int(found.group(2)))
            message = message[: found.start()].rstrip()
        elif ended:  # the position just past the last character, as an editor shows it
            where = Location.of(path, *position_of_byte(raw, len(raw)))
            message = f"{message[: ended.start()].rstrip()} at the end of the file"
        else:
            where = Location.of(path)
        raise UsageError(f"{where}: invalid TOML: {message}") from err
    if path.name == CONFIG_NAME:
        return data, text
    tool = data.get("tool", {})
    table = tool.get("wfgen", {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise UsageError(f"{key_location(path, text, 'wfgen')}: [tool.wfgen] must be a table")
    return table, text


def _relative(path: Path, cwd: Path) -> Path:
    """``path`` as reached from ``cwd`` when it is below an ancestor of ``cwd``; else as is."""
    if not path.is_absolute():
        return path
    try:
        return Path(os.path.relpath(path, cwd))
    except ValueError:  # another drive (Windows)
        return path


def load_project(cwd: Path | None = None) -> Project:  # noqa: PLR0912 - each project setting is read and checked in turn, with its own located message
    """The project of ``cwd`` (default: the current folder), with its settings checked."""
    cwd = (cwd or Path.cwd()).absolute()
    config = find_config(cwd)
    if config is None:
        return Project(
            root=cwd,
            config=None,
            catalog=Path(_DEFAULTS["catalog"]),
            locales=Path(_DEFAULTS["locales"]),
            out=Path(_DEFAULTS["out"]),
            templates=None,
            environments=(),
            build_locales=(),
        )
    settings, text = read_settings(config)
    root = config.parent
    known = (*_PATH_KEYS, *_LIST_KEYS, *_BOOL_KEYS, *_URL_KEYS)
    strict = False
    base_url: str | None = None
    paths: dict[str, Path | None] = dict.fromkeys(_PATH_KEYS)
    lists: dict[str, tuple[str, ...]] = dict.fromkeys(_LIST_KEYS, ())
    for key, value in settings.items():
        where = key_location(config, text, key)
        if key == "l10n":
            continue  # `l10n check` settings: read and checked by l10n.generic.load_config
        if key not in known:
            raise UsageError(f"{where}: unknown key {key!r}; hint: known keys: {', '.join(known)}")
        if key in _URL_KEYS:
            if not isinstance(value, str) or not BASE_URL.fullmatch(value):
                raise UsageError(
                    f'{where}: {key} must be an http(s) address, e.g. {key} = "https://docs.example.com/workflows"'
                )
            base_url = value
        elif key in _PATH_KEYS:
            if not isinstance(value, str) or not value.strip():
                raise UsageError(f"{where}: {key} must be a folder path (a non-empty string)")
            paths[key] = _relative(root / value, cwd)
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise UsageError(f"{where}: {key} must be true or false")
            strict = value
        else:
            if not isinstance(value, list) or not all(
                isinstance(item, str) and item.strip() for item in value
            ):
                raise UsageError(f'{where}: {key} must be a list of names, e.g. {key} = ["..."]')
            lists[key] = tuple(value)
    for key, default in _DEFAULTS.items():
        if paths[key] is None:
            paths[key] = _relative(root / default, cwd)
    catalog, locales, out = paths["catalog"], paths["locales"], paths["out"]
    assert catalog is not None and locales is not None and out is not None
    return Project(
        root=root,
        config=config,
        catalog=catalog,
        locales=locales,
        out=out,
        templates=paths["templates"],
        environments=lists["env"],
        build_locales=lists["locale"],
        strict=strict,
        base_url=base_url,
    )
