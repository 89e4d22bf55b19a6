"""Which folders ``--out`` may name: wfgen's own output folder or a new one, nothing else.

A build replaces the output folder as a whole, so pointing it at a home folder, the project or
its inputs would replace them. The check runs before anything is read or written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import UsageError

__all__ = ["check_out_dir"]

_HINT = "name a new folder, or one an earlier wfgen build wrote (it holds manifest.json)"


def _is_wfgen_output(folder: Path) -> bool:
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("generator") == "wfgen"


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out_dir(out: Path, *, inputs: Iterable[Path]) -> None:
    """Refuse an output folder that a build must not replace.

    Args:
        out: the folder named by ``--out``.
        inputs: the catalogue, locales and templates folders of this build.

    Raises:
        UsageError: when ``out`` is an existing non-folder, the root, the home folder, the
            current folder, holds or lies inside an input folder, or is a folder with files
            that no wfgen build wrote.
    """
    if out.is_symlink():
        raise UsageError(f"{out}: --out is a symbolic link; a build would replace it", hint=_HINT)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: --out names an existing file, not a folder", hint=_HINT)
    target = out.resolve()
    forbidden = {Path(target.anchor), Path.home().resolve(), Path.cwd().resolve()}
    if target in forbidden:
        raise UsageError(f"{out}: --out must not be the root, home or current folder", hint=_HINT)
    for item in inputs:
        folder = item.resolve()
        if _within(folder, target) or _within(target, folder):
            raise UsageError(
                f"{out}: --out overlaps the input folder {item}; a build would replace it",
                hint=_HINT,
            )
    if target.is_dir():
        try:
            with os.scandir(target) as entries:
                empty = next(entries, None) is None
        except OSError as err:
            raise UsageError(f"{out}: cannot list the folder: {err.strerror or err}") from err
        if not empty and not _is_wfgen_output(target):
            raise UsageError(
                f"{out}: the folder holds files but no wfgen manifest.json; "
                "a build would replace them",
                hint=_HINT,
            )
