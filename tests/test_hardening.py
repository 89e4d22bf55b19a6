"""Limits and in-place writes: deep inputs are located errors, text handling stays linear,
rewritten files keep what they were, diffs apply with the real tools, PO headers are
checked as msgfmt checks them, and a page named twice is one page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.docs import read_page
from generator.docs.markup import clean, strip_markup
from generator.docs.tables import MAX_TABLE_ROWS
from generator.errors import InputError
from generator.l10n.posyntax import PoSyntaxError, check_po_syntax
from generator.output import replace_keeping, unified_diff
from generator.safebytes import MAX_FOLDER_DEPTH, files_below
from tests.conftest import CATALOG, LOCALES, SEEDS

HEAD = "---\ntitle: Workflows\n---\n# Workflows\n\nThe technical workflows.\n\n"
ROW = (
    "| **Label {i}** | wf{i} | Runs step {i}, see [the page](p{i}.md) and <a href='x'>more</a>. |\n"
)


def table(rows: int) -> str:
    """A pipe table of ``rows`` workflow rows (Label | ID | Description)."""
    body = "".join(ROW.format(i=i) for i in range(rows))
    return "| Label | ID | Description |\n|---|---|---|\n" + body


# Inputs that made a reader quadratic (or worse) before: a flood of one construct, in the
# prose, a pipe table's cell and an HTML cell. Each ~100 KB.
FLOODS = {
    "brackets": "[" * 100_000,
    "brackets-then-closed": "[" * 50_000 + "]" * 50_000,
    "link-starts": "[a](" * 25_000,
    "image-starts": "![" * 50_000,
    "adobe-starts": "[!UICONTROL " * 8_000,
    "anchor-starts": "{#" * 50_000,
    "unclosed-comments": "<!--" * 25_000,
    "unclosed-links": "<a href='x'>" * 8_000,
    "unclosed-list-items": "<li>" * 25_000,
    "dotted-digits": "1" * 100_000 + ".1",
    "strong-then-spaces": "<strong>a</strong>" + " " * 100_000 + "x",
    "spaced-heading": "# a" + " " * 100_000 + "x",
}


def _page_variants(flood: str) -> dict[str, str]:
    return {
        "prose": HEAD + flood + "\n",
        "pipe-cell": HEAD + table(3) + f"| **x** (y) | id | {flood} |\n",
        "html-cell": HEAD + f"<table><tr><th>a</th></tr><tr><td>{flood}</td></tr></table>\n",
    }


def _linear_pass(text: str) -> float:
    """Seconds a Python loop takes to look at every character once: the bound's unit."""
    began = time.perf_counter()
    count = 0
    for char in text:
        count += char == "\n"
    return max(time.perf_counter() - began, 1e-4)


@pytest.mark.parametrize("flood", sorted(FLOODS))
def test_each_reader_is_linear_on_floods(tmp_path: Path, flood: str) -> None:
    """read_page and the markup helpers take at most a few hundred linear passes on a flood
    (the quadratic patterns took 10,000 and more)."""
    for where, text in _page_variants(FLOODS[flood]).items():
        page = tmp_path / f"{where}.md"
        page.write_text(text, encoding="utf-8")
        unit = _linear_pass(text)
        began = time.perf_counter()
        try:
            read_page(page, locale="en")
        except InputError as err:
            assert err.location is not None and err.location.file == str(page)
        strip_markup(text)
        clean(FLOODS[flood])
        elapsed = time.perf_counter() - began
        assert elapsed < 400 * unit + 1.0, (flood, where, elapsed, unit)


def test_nested_tables_are_a_located_error_in_bounded_time(tmp_path: Path) -> None:
    """300 KB of nested <table><tr><td> is refused at the line of the ninth level."""
    page = tmp_path / "nested.md"
    page.write_text(HEAD + "<table><tr><td>\n" * 20_000, encoding="utf-8")
    began = time.perf_counter()
    with pytest.raises(InputError, match="nested more than 8 deep") as caught:
        read_page(page, locale="en")
    assert time.perf_counter() - began < 2
    assert str(caught.value).startswith(f"{page}:{HEAD.count(chr(10)) + 9}:")


def test_many_html_tables_are_read_once_each(tmp_path: Path) -> None:
    """10,000 small HTML tables before the workflow table cost a linear read."""
    filler = "<table><tr><td>x</td></tr></table>\n" * 10_000
    rows = "".join(f"<tr><td>Label {i}</td><td>wf{i}</td><td>Does {i}.</td></tr>" for i in range(3))
    page = tmp_path / "tables.md"
    text = HEAD + filler + f"<table><tr><th>Label</th><th>ID</th><th>What</th></tr>{rows}</table>\n"
    page.write_text(text, encoding="utf-8")
    unit = _linear_pass(text)
    began = time.perf_counter()
    read = read_page(page, locale="en")
    assert time.perf_counter() - began < 400 * unit + 2.0
    assert [r.documented_id for r in read.rows] == ["wf0", "wf1", "wf2"]
    assert read.rows[0].line == text.count("\n", 0, text.index("Label 0")) + 1


def test_ten_thousand_row_table_is_refused_at_the_first_row_past_the_limit(
    tmp_path: Path,
) -> None:
    """A 10,000-row pipe table (about 700 KB) is a located error, found in linear time."""
    text = HEAD + table(10_000)
    page = tmp_path / "big.md"
    page.write_text(text, encoding="utf-8")
    unit = _linear_pass(text)
    began = time.perf_counter()
    with pytest.raises(InputError, match="at most 1,000 rows") as caught:
        read_page(page, locale="en")
    assert time.perf_counter() - began < 400 * unit + 3.0
    # The header row counts: row 1,001 of the table is data row 1,000.
    assert str(caught.value).startswith(f"{page}:{HEAD.count(chr(10)) + 2 + 1000}:")


def test_a_table_at_the_row_limit_is_read_whole(tmp_path: Path) -> None:
    """999 data rows and the header: every row read, with its line and links."""
    text = HEAD + table(MAX_TABLE_ROWS - 1)
    page = tmp_path / "long.md"
    page.write_text(text, encoding="utf-8")
    unit = _linear_pass(text)
    began = time.perf_counter()
    read = read_page(page, locale="en")
    assert time.perf_counter() - began < 400 * unit + 2.0
    assert len(read.rows) == MAX_TABLE_ROWS - 1
    assert read.rows[-1].line == HEAD.count("\n") + 2 + MAX_TABLE_ROWS - 1
    assert read.rows[5].links == ("the page", "more")


def _nest(root: Path, depth: int) -> Path:
    """``depth`` nested folders under ``root`` (os.makedirs itself recurses)."""
    root.mkdir(exist_ok=True)
    path = root
    for _ in range(depth):
        path = path / "d"
        path.mkdir()
    return path


def test_deep_folders_are_walked_without_recursion_up_to_the_limit(tmp_path: Path) -> None:
    """A tree exactly MAX_FOLDER_DEPTH deep is walked; one level more is a located error."""
    leaf = _nest(tmp_path / "ok", MAX_FOLDER_DEPTH)
    (leaf / "page.md").write_text("x", encoding="utf-8")
    assert list(files_below(tmp_path / "ok")) == [leaf / "page.md"]
    (_nest(leaf, 1) / "deeper.md").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=f"nested more than {MAX_FOLDER_DEPTH} deep"):
        list(files_below(tmp_path / "ok"))


def _remove_tree(top: Path) -> None:
    """Remove a tree bottom-up without recursion (shutil.rmtree recurses per level)."""
    folders, stack = [], [top]
    while stack:
        folder = stack.pop()
        folders.append(folder)
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            else:
                Path(entry.path).unlink()
    for folder in reversed(folders):
        folder.rmdir()


def test_docs_check_on_1500_nested_folders_exits_2_with_one_line(tmp_path: Path) -> None:
    """No RecursionError: exit 2 and a message naming the first folder too deep."""
    try:
        leaf = _nest(tmp_path / "docs", 1500)
        (leaf / "page.md").write_text("| a |\n|---|\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["docs", "check", str(tmp_path / "docs")])
    finally:
        # pytest's own clean-up of old temporary folders would recurse past the limit.
        _remove_tree(tmp_path / "docs")
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"nested more than {MAX_FOLDER_DEPTH} deep" in result.output


@pytest.mark.parametrize(
    ("nesting", "where"),
    # The 61st nested list under `products` (itself at depth 4) is the 65th level.
    [("- " * 3000 + "classic-v7", (8, 9 + 2 * 60)), ("[" * 900 + "]" * 900, (8, 9 + 60))],
    ids=["block", "flow"],
)
def test_deeply_nested_catalogue_is_a_located_yaml_error(
    tmp_path: Path, nesting: str, where: tuple[int, int]
) -> None:
    """validate: yaml-depth at the collection that passes 64 levels, not a RecursionError."""
    catalog = tmp_path / "catalog"
    shutil.copytree(CATALOG, catalog)
    path = catalog / "workflows" / "campaign.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[7] == "      - classic-v7"
    lines[7] = "      - " + nesting
    path.write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(catalog)])
    assert result.exit_code == 1, result.output
    assert f"{path}:{where[0]}:{where[1]}: error yaml-depth:" in result.output
    assert "Traceback" not in result.output


def test_explain_after_the_first_day_of_the_calendar_has_no_traceback() -> None:
    """--after 0001-01-01 (and the last days) list runs; the clock-change search stays inside."""
    for after in ("0001-01-01T00:00", "9999-12-30T00:00"):
        result = CliRunner().invoke(
            cli,
            [
                "schedule", "explain", "cleanup", "--after", after,
                "--env", "prod-marketing", "--catalog", str(CATALOG),
            ],
        )  # fmt: skip
        assert result.exit_code == 0, (after, result.output, result.exception)
        assert "run(s) in Europe/Stockholm" in result.output


# --- writes in place ---------------------------------------------------------------


def test_replace_keeping_keeps_mode_and_refuses_hard_links(tmp_path: Path) -> None:
    """The mode stays; a file with a second name is refused and both names keep their text."""
    path = tmp_path / "page.md"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    replace_keeping(path, b"new\n")
    assert path.read_bytes() == b"new\n" and (path.stat().st_mode & 0o777) == 0o640
    os.link(path, tmp_path / "other.md")
    with pytest.raises(OSError, match="2 names"):
        replace_keeping(path, b"newer\n")
    assert path.read_bytes() == (tmp_path / "other.md").read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_replace_keeping_keeps_owner_and_group(tmp_path: Path) -> None:
    """A file owned by another user and group still is after the rewrite."""
    path = tmp_path / "page.md"
    path.write_bytes(b"old\n")
    os.chown(path, 4321, 8765)
    path.chmod(0o2664)
    replace_keeping(path, b"new\n")
    info = path.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (4321, 8765, 0o2664)


def _seed_with_translated_id(tmp_path: Path, name: str = "page.md") -> Path:
    page = tmp_path / name
    shutil.copy(sorted(SEEDS.glob("*.txt"))[1], page)  # providerMgt -> supplierMgt, line 56
    return page


def _fix_args(*pages: str) -> list[str]:
    return ["docs", "fix", *pages, "--catalog", str(CATALOG), "--locales", str(LOCALES)]


def test_docs_fix_write_refuses_a_hard_linked_page(tmp_path: Path, monkeypatch: Any) -> None:
    """exit 2, a located message, and both names still hold the old page."""
    page = _seed_with_translated_id(tmp_path)
    os.link(page, tmp_path / "link.md")
    before = page.read_bytes()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*_fix_args("page.md"), "--write"])
    assert result.exit_code == 2, result.output
    assert "page.md: cannot write page: the file has 2 names (hard links)" in result.output
    assert page.read_bytes() == (tmp_path / "link.md").read_bytes() == before


def test_docs_fix_counts_and_writes_a_page_named_twice_once(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """`page.md ./page.md` (and the page's symlink) is one page: one change, written once."""
    _seed_with_translated_id(tmp_path)
    (tmp_path / "alias.md").symlink_to("page.md")
    monkeypatch.chdir(tmp_path)
    listed = CliRunner().invoke(cli, _fix_args("page.md", "./page.md", "alias.md"))
    assert "1 page(s): 1 id(s) to replace" in listed.output, listed.output
    written = CliRunner().invoke(cli, [*_fix_args("page.md", "./page.md"), "--write"])
    assert written.output.count("change(s) written") == 1, written.output
    assert "1 page(s): 1 id(s) replaced" in written.output


@pytest.mark.skipif(
    not (shutil.which("git") and shutil.which("patch")), reason="needs git and GNU patch"
)
@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_docs_fix_diff_applies_with_git_apply_and_patch(
    tmp_path: Path, monkeypatch: Any, ending: str
) -> None:
    """A page without a final newline and with U+2028 in a context line: both tools take
    the patch, and applying it gives the page --write gives."""
    page = _seed_with_translated_id(tmp_path)
    lines = page.read_text(encoding="utf-8").split("\n")
    assert "providerMgt" in lines[55]
    # Characters str.splitlines breaks at, one line before the row: NEL, LS, PS.
    lines[54] += " a\u0085b\u2028c\u2029d"
    text = ending.join(lines).rstrip("\r\n")
    page.write_bytes(text.encode())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*_fix_args("page.md"), "--diff"])
    assert result.exit_code == 1, result.output
    patch = tmp_path / "fix.patch"
    patch.write_bytes(result.stdout_bytes)
    assert result.stdout_bytes.endswith(b"\n\\ No newline at end of file\n") == (
        "providerMgt" in lines[-1]
    )
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "apply", "--check", str(patch)], check=True, cwd=tmp_path)
    subprocess.run(["patch", "-p1", "--dry-run", "-i", str(patch)], check=True, cwd=tmp_path)
    subprocess.run(["git", "apply", str(patch)], check=True, cwd=tmp_path)
    assert page.read_bytes() == text.encode().replace(b"providerMgt", b"supplierMgt")


@pytest.mark.skipif(
    not (shutil.which("git") and shutil.which("patch")), reason="needs git and GNU patch"
)
@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"a\nb\nc", b"a\nB\nc"),
        (b"a\nb\nc", b"a\nb\nc\n"),
        (b"a\nb\nc\n", b"a\nb\nc"),
        (b"", b"x"),
        (b"x\n", b""),
        ("a\u2028b\nc\x0cd\re\n".encode(), "a\u2028b\nC\x0cd\re\n".encode()),
        (b"".join(b"%d\n" % i for i in range(40)), b"".join(b"%d\n" % (i * (i % 7 != 3)) for i in range(40))),
    ],
    ids=["middle", "add-final-newline", "drop-final-newline", "from-empty", "to-empty", "odd-breaks", "hunks"],
)  # fmt: skip
def test_unified_diff_applies_with_both_tools(tmp_path: Path, old: bytes, new: bytes) -> None:
    """Every diff the writer makes applies with `git apply` and `patch` to give ``new``."""
    for tool in ("git", "patch"):
        work = tmp_path / tool
        work.mkdir()
        (work / "f.txt").write_bytes(old)
        patch = work.parent / f"{tool}.patch"
        patch.write_text(unified_diff(old, new, before="a/f.txt", after="b/f.txt"))
        if tool == "git":
            subprocess.run(["git", "apply", "--unsafe-paths", str(patch)], check=True, cwd=work)
        else:
            subprocess.run(["patch", "-s", "-p1", "-i", str(patch)], check=True, cwd=work)
        assert (work / "f.txt").read_bytes() == new, tool


# --- PO files ------------------------------------------------------------------------

_PO = (
    'msgid ""\nmsgstr ""\n"Language: sv\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: {forms}\\n"\n\nmsgctxt "x|label"\nmsgid "a"\nmsgstr "b"\n'
)
PLURAL_FORMS = [
    "nplurals=2; plural=(n != 1);",
    "nplurals=1; plural=0;",
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "nplurals=2; plural=n;",
    "nplurals=2; plural=n/0;",
    "nplurals=2; plural=(n%(n-n));",
    "nplurals=2; plural=(n != 1;",
    "nplurals=2; plural=n !! 1;",
    "nplurals=x; plural=0;",
    "nplurals=2 plural=0;",
    "nplurals=2; plural=(n != 1)",
    "nplurals= 3; plural=n%3;",
    "nplurals=2;",
    "nplurals=" + "9" * 5000 + "; plural=n;",
    "nplurals=2; plural=n > " + "9" * 5000 + ";",
    "nplurals=0; plural=0;",
    "nplurals=2; plural=n > 1 ? 1;",
    "nplurals=2; plural=" + "(" * 40 + "n" + ")" * 40 + ";",
]  # fmt: skip


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="needs GNU msgfmt")
@pytest.mark.parametrize("forms", PLURAL_FORMS)
def test_plural_forms_are_refused_where_msgfmt_refuses_them(tmp_path: Path, forms: str) -> None:
    """The strict reading refuses a Plural-Forms header exactly when msgfmt --check does,
    at the header's line."""
    text = _PO.format(forms=forms)
    path = tmp_path / "x.po"
    path.write_text(text, encoding="utf-8")
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, check=False
    )
    refused: PoSyntaxError | None = None
    try:
        check_po_syntax(text)
    except PoSyntaxError as err:
        refused = err
    if forms.count("(") == 40:
        # Deeper than gettext's tools nest; msgfmt reads it, wfgen's limit refuses it.
        assert refused is not None and "nested more than" in refused.message
        return
    assert (refused is not None) == (checked.returncode != 0), (forms, checked.stderr, refused)
    if refused is not None:
        assert (refused.line, refused.col) == (5, 2)


def _po_project(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(CATALOG, tmp_path / "catalog")
    shutil.copytree(LOCALES, tmp_path / "locales")
    return tmp_path / "catalog", tmp_path / "locales"


def _update(catalog: Path, locales: Path) -> Any:
    return CliRunner().invoke(
        cli, ["l10n", "update", "--catalog", str(catalog), "--locales", str(locales)]
    )


def test_l10n_update_refuses_a_bad_plural_forms_with_exit_2(tmp_path: Path) -> None:
    """A PO file msgfmt would refuse is a located error, and nothing is written."""
    catalog, locales = _po_project(tmp_path)
    path = locales / "sv" / "LC_MESSAGES" / "workflows.po"
    text = path.read_text(encoding="utf-8").replace("plural=(n != 1)", "plural=(n/0)")
    path.write_text(text, encoding="utf-8")
    result = _update(catalog, locales)
    assert result.exit_code == 2, result.output
    assert f"{path}:12:2:" in result.output and "division by zero" in result.output
    assert path.read_text(encoding="utf-8") == text


def test_l10n_update_keeps_crlf_mode_and_refuses_hard_links(tmp_path: Path) -> None:
    """A no-op update changes no byte of a CRLF file and keeps its mode; a hard-linked
    PO file that must change is refused, both names unchanged."""
    catalog, locales = _po_project(tmp_path)
    assert _update(catalog, locales).exit_code == 0
    path = locales / "sv" / "LC_MESSAGES" / "workflows.po"
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    path.chmod(0o600)
    result = _update(catalog, locales)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == crlf and (path.stat().st_mode & 0o777) == 0o600
    # A change the update must write (a new English label): refused while linked.
    other = tmp_path / "link.po"
    os.link(path, other)
    before = path.read_bytes()
    catalog_file = catalog / "workflows" / "campaign.yaml"
    catalog_file.write_text(
        catalog_file.read_text(encoding="utf-8").replace("label: Cost calculation", "label: Costs"),
        encoding="utf-8",
    )
    refused = _update(catalog, locales)
    assert refused.exit_code == 2, refused.output
    assert "hard links" in refused.output
    assert path.read_bytes() == other.read_bytes() == before
    other.unlink()
    assert _update(catalog, locales).exit_code == 0
    after = path.read_bytes()
    assert after != before and after.count(b"\n") == after.count(b"\r\n")


# --- out/ folders --------------------------------------------------------------------


def test_a_users_folder_in_out_keeps_mode_and_owner(
    tmp_path: Path, file_tree: Callable[..., Path]
) -> None:
    """A 0700 folder (owned by another user when running as root) is so after a rebuild."""
    from tests.test_build import SMALL

    root = file_tree(SMALL)
    args = ["build", "--quiet", "--out", str(root / "out"), "--catalog", str(root / "catalog")]
    args += ["--locales", str(root / "locales")]
    old = Path.cwd()
    os.chdir(root)
    try:
        assert CliRunner().invoke(cli, args).exit_code == 0
        mine = root / "out" / "notes"
        mine.mkdir(mode=0o700)
        (mine / "todo.txt").write_text("x", encoding="utf-8")
        mine.chmod(0o700)
        owner = (4321, 8765) if os.geteuid() == 0 else (mine.stat().st_uid, mine.stat().st_gid)
        os.chown(mine, *owner)
        result = CliRunner().invoke(cli, args)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    info = (root / "out" / "notes").stat()
    assert (info.st_mode & 0o7777, info.st_uid, info.st_gid) == (0o700, *owner)
    assert (root / "out" / "notes" / "todo.txt").read_text(encoding="utf-8") == "x"


# --- docs check end to end: time and memory --------------------------------------------

_PEAK_BYTES = 300 * 1024 * 1024


# Runs wfgen in a child and writes the child's own peak resident size (VmHWM, per address
# space: unlike ru_maxrss it does not carry the forking pytest worker's size across exec).
_MEASURED = """
import atexit, runpy, sys
where = sys.argv[1]
def peak():
    with open("/proc/self/status") as status, open(where, "w") as out:
        out.write(next(l for l in status if l.startswith("VmHWM:")).split()[1])
atexit.register(peak)
sys.argv = ["wfgen", *sys.argv[2:]]
runpy.run_module("generator", run_name="__main__")
"""


def _docs_check_usage(page: Path) -> tuple[int, float, int]:
    """Exit code, seconds and peak resident bytes of `wfgen docs check PAGE` in a process
    of its own."""
    peak = page.with_suffix(".peak")
    command = [sys.executable, "-c", _MEASURED, str(peak), "docs", "check", str(page)]
    command += ["--locale", "fr", "--jobs", "1", "--catalog", str(CATALOG)]
    command += ["--locales", str(LOCALES)]
    began = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - began
    assert b"Traceback" not in done.stderr, done.stderr
    return done.returncode, elapsed, int(peak.read_text(encoding="utf-8")) * 1024


def _startup() -> float:
    """Seconds `wfgen --version` takes: what every command pays before reading a page."""
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "generator", "--version"], check=True, capture_output=True
    )
    return time.perf_counter() - began


@pytest.mark.parametrize(
    "case",
    ["10000-rows", "1000-rows", "nested-tables", *(f"flood-{name}" for name in sorted(FLOODS))],
)
def test_docs_check_stays_within_time_and_memory(tmp_path: Path, case: str) -> None:
    """The issue's limits, measured: a 10,000-row table and each adversarial page end with a
    documented exit, in well under 300 MB and in a bounded multiple of a linear pass."""
    if case == "10000-rows":
        text = HEAD + table(10_000)
    elif case == "1000-rows":
        text = HEAD + table(MAX_TABLE_ROWS - 1)
    elif case == "nested-tables":
        text = HEAD + "<table><tr><td>" * 20_000
    else:
        text = _page_variants(FLOODS[case.removeprefix("flood-")])["pipe-cell"]
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    code, elapsed, peak = _docs_check_usage(page)
    assert code in (0, 1, 2)
    assert peak < _PEAK_BYTES, (case, peak)
    # Start-up (imports) plus a bounded multiple of a linear pass; the quadratic readers
    # took 10 to over 60 seconds here.
    assert elapsed < _startup() + 400 * _linear_pass(text) + 3.0, (case, elapsed)


@pytest.mark.parametrize("flood", sorted(FLOODS))
def test_sending_page_reader_is_linear_on_floods(tmp_path: Path, flood: str) -> None:
    """The 'Confirming the send' reader, a flood in a paragraph, a list cell and a heading:
    read (or refused, located) within the same bound as the other readers."""
    from generator.docs.sending_page import read_sending_page

    seed = SEEDS / "002_c061a735b498b799.txt"  # the Swedish 'Confirming the send' page
    lines = seed.read_text(encoding="utf-8").split("\n")
    cell = next(i for i, line in enumerate(lines) if line.startswith("|") and "<li>" in line)
    lines[cell] = lines[cell].replace("<li>", "<li>" + FLOODS[flood], 1)
    lines.insert(30, FLOODS[flood])
    lines.insert(30, "## " + FLOODS[flood] + " {#x}")
    text = "\n".join(lines)
    page = tmp_path / "sv" / "page.md"
    page.parent.mkdir()
    page.write_text(text, encoding="utf-8")
    unit = _linear_pass(text)
    began = time.perf_counter()
    try:
        read_sending_page(page)
    except InputError as err:
        assert err.location is not None and err.location.file == str(page)
    assert time.perf_counter() - began < 400 * unit + 1.0, flood


def test_a_number_of_thousands_of_digits_is_a_located_yaml_error(tmp_path: Path) -> None:
    """validate: yaml-number where the value is (JSON Schema's messages could not print it)."""
    catalog = tmp_path / "catalog"
    shutil.copytree(CATALOG, catalog)
    path = catalog / "workflows" / "campaign.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[7] = "      - " + "9" * 10_000
    path.write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(catalog)])
    assert result.exit_code == 1, result.output
    assert f"{path}:8:9: error yaml-number:" in result.output


def test_docs_check_reports_a_page_named_three_ways_once(tmp_path: Path, monkeypatch: Any) -> None:
    """A page, `./` before it and a symlink to it: one page in the report."""
    _seed_with_translated_id(tmp_path)
    (tmp_path / "alias.md").symlink_to("page.md")
    monkeypatch.chdir(tmp_path)
    args = ["docs", "check", "page.md", "./page.md", "alias.md", "--format", "json"]
    result = CliRunner().invoke(cli, [*args, "--catalog", str(CATALOG)])
    assert result.exit_code == 1, result.output
    assert [p["path"] for p in json.loads(result.stdout)["pages"]] == ["page.md"]


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to another user needs root")
def test_a_page_of_another_user_is_refused_not_taken() -> None:
    """As `nobody` (effective ids), on a page root owns and anyone may write: refused with
    the reason, the page unchanged and still root's, no temporary file left."""
    nobody = 65534
    folder = Path(tempfile.mkdtemp(prefix="wfgen-owner-", dir="/tmp"))
    try:
        folder.chmod(0o777)
        page = folder / "page.md"
        page.write_bytes(b"old\n")
        page.chmod(0o666)
        os.setegid(nobody)
        os.seteuid(nobody)
        try:
            with pytest.raises(OSError) as caught:
                replace_keeping(page, b"new\n")
        finally:
            os.seteuid(0)
            os.setegid(0)
        assert "the file belongs to uid 0, gid 0" in str(caught.value.strerror)
        assert page.read_bytes() == b"old\n" and page.stat().st_uid == 0
        assert sorted(p.name for p in folder.iterdir()) == ["page.md"]
    finally:
        shutil.rmtree(folder)


def test_a_long_context_or_previous_msgid_is_written_in_linear_time(tmp_path: Path) -> None:
    """A 100,000-character run without a space in an entry's msgctxt (Babel's
    wrapping backtracks on it for over a minute): `l10n update` writes the file in well under
    a second, and the run is kept as it was."""
    from generator.l10n.po import dump_po, read_po_file

    source = LOCALES / "sv" / "LC_MESSAGES" / "workflows.po"
    text = source.read_text(encoding="utf-8")
    at = text.index('\nmsgctxt "') + len('\nmsgctxt "')
    flooded = text[:at] + "9" * 100_000 + text[at:]
    path = tmp_path / "workflows.po"
    path.write_text(flooded, encoding="utf-8")
    began = time.monotonic()
    data = dump_po(read_po_file(path))
    assert time.monotonic() - began < 10
    assert "9" * 100_000 in data.decode("utf-8")
