"""The one-pass PO reader gives the catalogue the four passes it replaces gave (wfgen's scans
around Babel's parser): every entry's fields, the headers and the bytes written back, on
every PO file in the tree, on generated ones and on edited copies of them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from babel.messages.catalog import Catalog as PoCatalog
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.l10n import po_parse, po_write
from generator.l10n.posyntax import PoSyntaxError, check_po_syntax
from tests.conftest import ROOT, examples

TREE = sorted(
    p
    for pattern in ("*.po", "*.pot")
    for p in ROOT.rglob(pattern)
    if ".venv" not in p.parts and ".data" not in p.parts
)


def _entries(catalog: PoCatalog) -> list[tuple[Any, ...]]:
    return [
        (
            m.id,
            m.string,
            m.context,
            m.locations,
            sorted(m.flags),
            m.auto_comments,
            m.user_comments,
            m.previous_id,
            m.lineno,
        )
        for m in [*catalog, *catalog.obsolete.values()]
    ]


def _same(text: str, locale: str | None) -> bool:
    """Both readers agree on ``text``; True when the one pass read it itself."""
    try:
        check_po_syntax(text)
    except PoSyntaxError:
        return False  # never read: the file is refused before
    try:
        old: PoCatalog | Exception = po_parse._four_passes(text, locale)
    except Exception as err:  # Babel's own refusal: the one pass must refuse the same way
        old = err
    try:
        fast: PoCatalog | None = po_parse._one_pass(text, locale)
    except po_parse._Unusual:
        fast = None
    if fast is None:
        return False
    assert not isinstance(old, Exception), f"Babel refused what the one pass read: {old}"
    assert _entries(fast) == _entries(old)
    assert list(fast.obsolete) == list(old.obsolete)
    assert fast.mime_headers == old.mime_headers
    assert (fast.header_comment, fast.fuzzy, fast.locale) == (
        old.header_comment,
        old.fuzzy,
        old.locale,
    )
    assert po_write.dump_po(fast) == po_write.dump_po(old)
    return True


def _locale(path: Path) -> str | None:
    return path.parent.parent.name if path.suffix == ".po" else None


def test_every_po_file_in_the_tree_reads_the_same() -> None:
    """Each PO and POT file of the repository (catalogue, fixtures) gives the same catalogue."""
    assert TREE, "no PO file found"
    read = [p for p in TREE if _same(p.read_text(encoding="utf-8"), _locale(p))]
    # The files that pass the grammar check take the one pass (none of them is unusual).
    assert len(read) >= len(TREE) // 2, [str(p) for p in TREE if p not in read]


def _generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_generate_po", ROOT / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_generated_po_files_read_the_same(tmp_path: Path) -> None:
    """The benchmark's generated PO files (fuzzy entries, previous msgids, obsolete ones)."""
    (folder,) = _generate().generate(tmp_path, (300,), seed=5)
    files = [*sorted((folder / "locales").rglob("*.po")), folder / "locales" / "workflows.pot"]
    for path in files:
        assert _same(path.read_text(encoding="utf-8"), _locale(path)), path


_BASE = (ROOT / "locales" / "sv" / "LC_MESSAGES" / "workflows.po").read_text(encoding="utf-8")
_LINES = _BASE.splitlines()
# Lines a hand edit may add: comments of every kind, flags, previous msgids, obsolete entries,
# odd spacing, an escape Babel keeps as written.
_EXTRA = [
    "# a translator's note",
    "#",
    "#. an extracted comment",
    "#: catalog/workflows/x.yaml:3 other.yaml",
    "#: name:notanumber",
    "#, fuzzy",
    "#, python-format",
    "#, fuzzy, python-brace-format",
    "#,",
    '#| msgid "Old text"',
    '#~| msgid "Older text"',
    '#~ msgctxt "gone|label"',
    '#~ msgid "Gone"',
    '#~ msgstr "Borta"',
    "#foo",
    '"continued \\" text"',
    '"\\a\\x41\\101"',
    "   ",
    "",
]


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(_LINES)),
            st.sampled_from(["insert", "delete", "duplicate"]),
            st.sampled_from(_EXTRA),
        ),
        max_size=6,
    )
)
@settings(max_examples=examples(60))
def test_edited_po_files_read_the_same(edits: list[tuple[int, str, str]]) -> None:
    """Line edits of a real PO file: wherever the grammar check passes, both readers agree."""
    lines = list(_LINES)
    for wanted, how, extra in edits:
        at = min(wanted, len(lines))
        if how == "insert":
            lines.insert(at, extra)
        elif lines and at < len(lines):
            if how == "delete":
                del lines[at]
            else:
                lines.insert(at, lines[at])
    _same("\n".join(lines) + "\n", "sv")


@pytest.mark.parametrize(
    "text",
    [
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n#-#-#-#-# a\n',
        'msgid ""\nmsgstr ""\n\n#: \u2068a b.yaml\u2069:3\nmsgctxt "x|label"\nmsgid "X"\nmsgstr "Y"\n',
    ],
    ids=["conflict-marker", "isolated-location"],
)
def test_unusual_lines_are_left_to_babel(text: str) -> None:
    """A merge conflict marker or an isolated file name goes through Babel's parser."""
    with pytest.raises(po_parse._Unusual):
        po_parse._one_pass(text, "sv")
