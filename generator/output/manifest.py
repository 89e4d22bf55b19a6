"""out/manifest.json: the files wfgen owns with their hashes and inputs, the fingerprint of
what the build read, its warnings; an unchanged rebuild is known from it alone."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, Severity
from .folder import existing_files, read_or_none
from .values import MANIFEST, MANIFEST_FORMAT, RenderedFile, Written

__all__ = ["manifest_file", "manifest_of", "read_manifest", "up_to_date"]


def manifest_file(
    files: Sequence[RenderedFile], *, fingerprint: str = "", warnings: Sequence[Problem] = ()
) -> RenderedFile:
    """out/manifest.json: every generated file with its sha256 and the inputs it came from.

    ``fingerprint`` (of every input and of wfgen itself) and the build's ``warnings`` let an
    unchanged rebuild stop early (:func:`up_to_date`) and still report what it reported.
    """
    written = [Written(f.path, hashlib.sha256(f.content).hexdigest(), f.inputs) for f in files]
    return manifest_of(written, fingerprint=fingerprint, warnings=warnings)


def manifest_of(
    files: Sequence[Written], *, fingerprint: str = "", warnings: Sequence[Problem] = ()
) -> RenderedFile:
    """:func:`manifest_file` from what :class:`OutputWriter` recorded of each file written."""
    entries = {
        f.path: {"sha256": f.sha256, "inputs": sorted(set(f.inputs))}
        for f in sorted(files, key=lambda f: f.path)
    }
    data: dict[str, object] = {"generator": "wfgen", "format": MANIFEST_FORMAT}
    if fingerprint:
        data["fingerprint"] = fingerprint
        data["warnings"] = [p.to_json() for p in warnings]
    data["files"] = entries
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    inputs = sorted({i for f in files for i in f.inputs})
    return RenderedFile(MANIFEST, text.encode("utf-8"), tuple(inputs))


def read_manifest(out_dir: Path) -> set[str]:
    """Paths the previous build recorded as its own (empty when there is no usable manifest)."""
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError):
        # An unreadable manifest proves nothing: treat every old file as someone else's.
        return set()
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return set()
    return {str(p) for p in files} | {MANIFEST}


def up_to_date(
    out_dir: Path, fingerprint: str
) -> tuple[tuple[str, ...], tuple[Problem, ...]] | None:
    """When out/ holds exactly what a build with ``fingerprint`` wrote, untouched since:
    its files and the warnings that build reported. None when anything differs.

    Every file's sha256 is checked, so a hand edit or a deleted file is always noticed.
    """
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not fingerprint or data.get("fingerprint") != fingerprint:
        return None
    files = data.get("files")
    if not isinstance(files, dict) or set(existing_files(out_dir)) != {*files, MANIFEST}:
        return None
    for name, entry in files.items():
        content = read_or_none(out_dir / name)
        if content is None or hashlib.sha256(content).hexdigest() != entry.get("sha256"):
            return None
    warnings = tuple(
        _problem(item) for item in data.get("warnings") or () if isinstance(item, dict)
    )
    return (*sorted(files), MANIFEST), warnings


def _problem(item: dict[str, Any]) -> Problem:
    return Problem(
        Location(str(item.get("file", "")), int(item.get("line", 0)), int(item.get("col", 0))),
        str(item.get("message", "")),
        Severity(str(item.get("severity", "warning"))),
        code=str(item.get("code", "")),
        json_path=str(item.get("path", "")),
        hint=str(item.get("hint", "")),
        subject=str(item.get("id", "")),
    )
