"""Shell completion of the project's own names: environments, locales, workflow ids.

Click calls these while the shell completes a word (``wfgen build --env <TAB>``); they read
the project found from the current folder (or the ``--catalog`` / ``--locales`` already on
the command line) and never fail: a project that cannot be read completes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

__all__ = ["complete_environments", "complete_locales", "complete_new_locale", "complete_workflows"]

_ID = re.compile(r"^\s*-\s+id:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)


def _folders(ctx: click.Context) -> tuple[Path, Path] | None:
    """The catalogue and locales folders: from the command line, else the project."""
    from ..config import load_project
    from ..errors import WfgenError

    try:
        found = load_project()
    except (WfgenError, OSError):
        return None
    catalog = ctx.params.get("catalog")
    locales = ctx.params.get("locales_dir")
    return (
        catalog if isinstance(catalog, Path) else found.catalog,
        locales if isinstance(locales, Path) else found.locales,
    )


def _items(names: list[str], incomplete: str) -> list[CompletionItem]:
    return [CompletionItem(n) for n in sorted(set(names)) if n.startswith(incomplete)]


def complete_environments(ctx: click.Context, param: Any, incomplete: str) -> list[CompletionItem]:
    """The environment profiles of the catalogue (``environments/<name>.yaml``)."""
    folders = _folders(ctx)
    if folders is None:
        return []
    try:
        files = list((folders[0] / "environments").iterdir())
    except OSError:
        return []
    return _items([p.stem for p in files if p.suffix in (".yaml", ".yml")], incomplete)


def complete_locales(ctx: click.Context, param: Any, incomplete: str) -> list[CompletionItem]:
    """The locales that have a PO file, and English."""
    folders = _folders(ctx)
    if folders is None:
        return []
    try:
        found = [p.name for p in folders[1].iterdir() if (p / "LC_MESSAGES").is_dir()]
    except OSError:
        found = []
    return _items([*found, "en"], incomplete)


def complete_new_locale(ctx: click.Context, param: Any, incomplete: str) -> list[CompletionItem]:
    """Every CLDR locale (``l10n init``), once at least a letter is typed."""
    if not incomplete:
        return []
    from babel.localedata import locale_identifiers

    return _items([name for name in locale_identifiers() if name != "root"], incomplete)


def complete_workflows(ctx: click.Context, param: Any, incomplete: str) -> list[CompletionItem]:
    """The workflow ids of the catalogue (``workflows/*.yaml``), read without validating."""
    folders = _folders(ctx)
    if folders is None:
        return []
    ids: list[str] = []
    try:
        for path in sorted((folders[0] / "workflows").glob("*.y*ml")):
            ids.extend(_ID.findall(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return []
    return _items(ids, incomplete)
