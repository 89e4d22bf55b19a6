"""``build --check``: what a build would change in out/, as unified diffs; nothing written."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import UsageError
from .folder import existing_files, read_or_none, safe_path
from .manifest import read_manifest
from .values import MANIFEST, RenderedFile, WriteResult

__all__ = ["check_output", "plan_files"]


_FINGERPRINT = re.compile(rb'^  "fingerprint": "[0-9a-f]*",\n', re.MULTILINE)


def _same_manifest(old: bytes | None, new: bytes) -> bool:
    """Whether two manifests differ at most in their fingerprint. The fingerprint is the
    unchanged-rebuild check's key (it covers wfgen's own code and inputs that change no
    output, such as a comment in the catalogue), not an output: ``--check`` compares what
    was generated, so another wfgen release that writes the same files passes it."""
    return old is not None and _FINGERPRINT.sub(b"", old, count=1) == _FINGERPRINT.sub(
        b"", new, count=1
    )


def _lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    return data.decode("utf-8", errors="replace").splitlines(keepends=True)


# The manifest's lines that only repeat what the other files' diffs show (their sha256) or
# that --check does not compare (the fingerprint): left out of its diff.
_HASH_LINES = re.compile(rb'^ *"(?:sha256|fingerprint)": "[0-9a-f]*",?\n', re.MULTILINE)


def _manifest_diff(name: str, old: bytes | None, new: bytes | None) -> str:
    """The manifest's diff without its hash lines: which files and inputs changed."""
    text = _diff(
        name,
        _HASH_LINES.sub(b"", old) if old is not None else None,
        _HASH_LINES.sub(b"", new) if new is not None else None,
    )
    if text.startswith("Binary or unreadable"):  # only hashes differ
        return f"{name}: only the sha256 of files differ (their diffs are above or below)\n"
    return text


def _diff(name: str, old: bytes | None, new: bytes | None) -> str:
    before = f"a/{name}" if old is not None else "/dev/null"
    after = f"b/{name}" if new is not None else "/dev/null"
    text = "".join(difflib.unified_diff(_lines(old), _lines(new), before, after))
    if text and not text.endswith("\n"):
        text += "\n\\ No newline at end of file\n"
    return text or f"Binary or unreadable file {name} differs\n"


def plan_files(
    files: Sequence[RenderedFile], out_dir: Path
) -> tuple[dict[str, RenderedFile], dict[str, Path], set[str]]:
    wanted: dict[str, RenderedFile] = {}
    for f in files:
        key = safe_path(f.path).as_posix()
        if key in wanted:
            raise UsageError(f"two outputs would be written to {key}")
        wanted[key] = f
    return wanted, existing_files(out_dir), read_manifest(out_dir)


def check_output(files: Sequence[RenderedFile], *, out_dir: Path) -> WriteResult:
    """Compare out/ with what would be generated; write nothing.

    Args:
        files: the rendered files, manifest included.
        out_dir: the output folder.

    Returns:
        The unified diff of every added, changed or removed file (empty when out/ matches).
    """
    wanted, existing, _owned = plan_files(files, out_dir)
    parts: list[str] = []
    written, unchanged, added = [], [], []
    for key in sorted(wanted):
        new = wanted[key].content
        old = read_or_none(existing[key]) if key in existing else None
        if old == new or (key == MANIFEST and _same_manifest(old, new)):
            unchanged.append(key)
            continue
        written.append(key)
        if key not in existing:
            added.append(key)
        show = _manifest_diff if key == MANIFEST else _diff
        parts.append(show(f"{out_dir.name}/{key}", old, new))
    extra = sorted(set(existing) - set(wanted))
    parts.extend(
        _diff(f"{out_dir.name}/{key}", read_or_none(existing[key]) or b"", None) for key in extra
    )
    return WriteResult(
        written=tuple(written),
        unchanged=tuple(unchanged),
        removed=tuple(extra),
        diff="".join(parts),
        added=tuple(added),
    )
