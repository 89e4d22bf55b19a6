"""PO files are read only when GNU msgfmt would read them the same way; nothing damaged is
ever written back, and concurrent writers never share a temporary file."""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import cli
from generator.errors import InputError
from generator.l10n.po import available_locales, po_path, read_po_file
from generator.l10n.po_write import write_if_changed
from generator.l10n.posyntax import PoSyntaxError, check_po_syntax

from .conftest import CATALOG, LOCALES, examples

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
GOOD = 'msgctxt "billing|label"\nmsgid "Billing"\nmsgstr "Fakturering"\n'

# (name, entry text after the header, line, col, a word of the message, msgfmt refuses it)
BROKEN = [
    ("unterminated", 'msgctxt "a"\nmsgid "x\nmsgstr "y"\n', 6, 9, "end of line", True),
    (
        "duplicate",
        'msgctxt "a"\nmsgid "x"\nmsgstr "y"\n\nmsgctxt "a"\nmsgid "x"\nmsgstr "z"\n',
        9,
        1,
        "duplicate",
        True,
    ),
    ("context-without-msgid", 'msgctxt "a"\nmsgstr "y"\n', 6, 1, "msgid", True),
    (
        "plural",
        'msgctxt "a"\nmsgid "x"\nmsgid_plural "xs"\nmsgstr[0] "y"\nmsgstr[1] "ys"\n',
        7,
        1,
        "plural",
        True,
    ),
    ("bad-escape", 'msgctxt "a"\nmsgid "x"\nmsgstr "y\\q"\n', 7, 10, "escape", True),
    ("nul", 'msgctxt "a"\nmsgid "x"\nmsgstr "Fakturerin\0g"\n', 7, 19, "NUL", False),
    ("two-msgstr", 'msgctxt "a"\nmsgid "x"\nmsgstr "y"\nmsgstr "z"\n', 8, 1, "second", True),
    ("text-after-string", 'msgctxt "a"\nmsgid "x"\nmsgstr "y" junk\n', 7, 12, "after", True),
    ("unknown-keyword", 'msgctxt "a"\nmsgid "x"\nmsgstring "y"\n', 7, 1, "keyword", True),
    ("missing-msgstr", 'msgctxt "a"\nmsgid "x"\n', 7, 1, "msgstr", True),
    ("mixed-obsolete", '#~ msgctxt "a"\nmsgid "x"\nmsgstr "y"\n', 6, 1, "#~", True),
    ("escaped-control", 'msgctxt "a"\nmsgid "x"\nmsgstr "y\\x1b[31m"\n', 7, 1, "control", False),
    ("bidi-override", 'msgctxt "a"\nmsgid "x"\nmsgstr "y\u202ez"\n', 7, 1, "bidirectional", False),
    ("line-separator", 'msgctxt "a"\nmsgid "x"\nmsgstr "y\u2028z"\n', 7, 10, "line break", False),
    # Escapes naming no character: msgfmt keeps a byte of them, Python's chr() cannot.
    ("past-unicode", 'msgctxt "a"\nmsgid "x"\nmsgstr "y\\x41fffff"\n', 7, 10, "Unicode", False),
    ("surrogate", 'msgctxt "a"\nmsgid "x"\nmsgstr "yz\\xd800"\n', 7, 11, "Unicode", False),
    (
        "obsolete-past-unicode",
        '#~ msgctxt "a"\n#~ msgid "x"\n#~ msgstr "y\\x110000"\n',
        7,
        13,
        "Unicode",
        False,
    ),
]


def _project(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(CATALOG, tmp_path / "catalog")
    shutil.copytree(LOCALES, tmp_path / "locales")
    return tmp_path / "catalog", tmp_path / "locales"


@pytest.mark.parametrize(
    ("name", "entry", "line", "col", "word", "msgfmt_refuses"),
    BROKEN,
    ids=[b[0] for b in BROKEN],
)
def test_malformed_po_is_refused_at_its_place_and_never_rewritten(
    tmp_path: Path,
    name: str,
    entry: str,
    line: int,
    col: int,
    word: str,
    msgfmt_refuses: bool,
) -> None:
    """l10n update exits 2 with one located line and leaves every PO file as it was."""
    catalog, locales = _project(tmp_path)
    # The first file update reads (after writing the template): the run stops there, with
    # no merge and dump of the other locales before it.
    path = po_path(locales, available_locales(locales)[0])
    original = path.read_bytes()
    path.write_bytes(original + b"\n" + entry.encode("utf-8"))
    # BROKEN counts lines after a 4-line header; here the entry follows the bundled file.
    offset = original.count(b"\n") + 2 - 5
    before = {p: p.read_bytes() for p in sorted(locales.rglob("*.po*"))}
    result = CliRunner().invoke(
        cli, ["l10n", "update", "--catalog", str(catalog), "--locales", str(locales)]
    )
    assert result.exit_code == 2, result.output
    message = result.output.strip().splitlines()[-1]
    assert "Traceback" not in result.output
    assert f"{path}:{line + offset}:{col}:" in message, message
    assert word in message
    assert {p: p.read_bytes() for p in sorted(locales.rglob("*.po*"))} == before
    assert not [p for p in locales.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize(
    ("name", "entry", "line", "col", "word", "msgfmt_refuses"),
    [b for b in BROKEN if b[5]],
    ids=[b[0] for b in BROKEN if b[5]],
)
def test_msgfmt_refuses_the_same_files(
    tmp_path: Path,
    name: str,
    entry: str,
    line: int,
    col: int,
    word: str,
    msgfmt_refuses: bool,
) -> None:
    """Each file refused above as msgfmt's fault is refused by msgfmt --check too."""
    path = tmp_path / "x.po"
    path.write_text(HEADER + entry, encoding="utf-8")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, check=False
    )
    assert result.returncode != 0


def test_bom_and_obsolete_only_files_get_a_clear_message(tmp_path: Path) -> None:
    """A BOM is named as such at 1:1; a file of only obsolete entries reads fine."""
    bom = tmp_path / "bom.po"
    bom.write_bytes(b"\xef\xbb\xbf" + (HEADER + GOOD).encode())
    with pytest.raises(InputError, match=r"bom\.po:1:1: .*byte-order mark"):
        read_po_file(bom)
    obsolete = tmp_path / "obsolete.po"
    obsolete.write_text(HEADER + "#~ " + GOOD.replace("\n", "\n#~ ").rstrip("#~ "))
    catalog = read_po_file(obsolete)
    assert list(catalog.obsolete)


def test_well_formed_files_still_read() -> None:
    """Every bundled PO and POT file passes the strict reading."""
    for path in [*LOCALES.rglob("*.po"), *LOCALES.glob("*.pot")]:
        check_po_syntax(path.read_text(encoding="utf-8"))


def test_concurrent_writers_use_their_own_temporary_files(tmp_path: Path) -> None:
    """Eight writers at once: no error, the file is one writer's whole text, no leftovers."""
    path = tmp_path / "workflows.po"
    path.write_bytes(b"old\n")
    texts = [f"text {n}\n".encode() * 20_000 for n in range(8)]
    errors: list[BaseException] = []

    def write(data: bytes) -> None:
        try:
            for _ in range(5):
                write_if_changed(path, data)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=write, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert path.read_bytes() in texts
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workflows.po"]


PO_PIECES = st.sampled_from(
    [
        'msgctxt "a"\n',
        'msgctxt "b"\n',
        'msgid "x"\n',
        'msgid ""\n',
        'msgstr "y"\n',
        'msgstr ""\n',
        '"more"\n',
        'msgid_plural "p"\n',
        'msgstr[0] "z"\n',
        "#~ ",
        "# comment\n",
        "#, fuzzy\n",
        "\n",
        '"\\',
        '\\"',
        "\\n",
        '"',
        "é",
        "\\x41",
        "\\777",
    ]
)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PO_PIECES, max_size=14))
def test_what_wfgen_reads_msgfmt_reads(
    tmp_path_factory: pytest.TempPathFactory, pieces: list[str]
) -> None:
    """Fuzz: any PO text wfgen accepts, msgfmt --check accepts too; anything else is refused
    with a located error, never a traceback."""
    text = HEADER + "".join(pieces)
    path = tmp_path_factory.mktemp("po") / "x.po"
    path.write_text(text, encoding="utf-8")
    try:
        check_po_syntax(text)
    except PoSyntaxError as err:
        assert err.line >= 1 and err.col >= 1
        with pytest.raises(InputError, match=r"x\.po:\d+:\d+: "):
            read_po_file(path)
        return
    read_po_file(path)
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (text, result.stderr)


@settings(max_examples=examples(20), deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list('abcåé"\\')), min_size=1, max_size=30),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(["", "#~ "]),
)
def test_long_text_layout_is_babels(words: list[str], prefix: str) -> None:
    """For text without hyphens the linear wrapping writes what Babel's normalize writes."""
    from babel.messages.pofile import normalize

    from generator.l10n.po import WIDTH
    from generator.l10n.po_write import _normalize_long

    text = " ".join(words)
    assert _normalize_long(text, prefix) == normalize(text, prefix=prefix, width=WIDTH)


def test_update_with_a_huge_translation_is_linear(tmp_path: Path) -> None:
    """A 300,000-character translation: update and a second no-op update finish quickly,
    and msgfmt reads the result (Babel's own wrapping took minutes at 40,000)."""
    import time

    catalog, locales = _project(tmp_path)
    path = po_path(locales, "sv")
    text = path.read_text(encoding="utf-8")
    start = text.index('msgstr "', text.index("msgctxt", 200))
    end = text.index("\n", start)
    path.write_text(text[:start] + 'msgstr "' + "å" * 300_000 + '"' + text[end:], encoding="utf-8")
    args = ["l10n", "update", "--catalog", str(catalog), "--locales", str(locales)]
    began = time.monotonic()
    first = CliRunner().invoke(cli, args)
    second = CliRunner().invoke(cli, args)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert time.monotonic() - began < 30
    assert "sv/LC_MESSAGES/workflows.po: unchanged" in second.output
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
