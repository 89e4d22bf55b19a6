"""Unified diffs of bytes, as ``git apply`` and ``patch`` read them."""

from __future__ import annotations

import difflib

__all__ = ["unified_diff"]


def unified_diff(old: bytes, new: bytes, *, before: str, after: str, context: int = 3) -> str:
    """A unified diff of two UTF-8 texts that ``git apply`` and ``patch`` accept.

    Lines are split at ``\\n`` only (``str.splitlines`` also splits at U+2028, a form feed
    or a lone CR, cutting one line of the file in two in the patch); a last line without a
    newline is marked ``\\ No newline at end of file``. Empty when the texts are equal.

    Raises:
        UnicodeDecodeError: when either text is not UTF-8.
    """
    a, b = _split_lines(old), _split_lines(new)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_hunk_range(first[1], last[2])} +{_hunk_range(first[3], last[4])} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out.extend(_diff_line(" ", line) for line in a[a1:a2])
                continue
            out.extend(_diff_line("-", line) for line in a[a1:a2])
            out.extend(_diff_line("+", line) for line in b[b1:b2])
    if not out:
        return ""
    return f"--- {before}\n+++ {after}\n" + "".join(out)


def _split_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    lines = text.split("\n")
    ended = [line + "\n" for line in lines[:-1]]
    return [*ended, lines[-1]] if lines[-1] else ended


def _diff_line(mark: str, line: str) -> str:
    if line.endswith("\n"):
        return mark + line
    return f"{mark}{line}\n\\ No newline at end of file\n"


def _hunk_range(start: int, stop: int) -> str:
    """``start,length`` of a hunk as diff writes it (1-based; one line: no length)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"
