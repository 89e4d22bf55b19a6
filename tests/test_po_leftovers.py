"""PO files are written whole, and what a killed writer left beside them is cleared."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.l10n.po_write import write_if_changed
from tests.conftest import CATALOG, LOCALES


def test_update_removes_what_a_killed_update_left(tmp_path: Path) -> None:
    """`l10n update` on unchanged files still clears `.workflows.po.<random>.tmp` left by a
    killed writer; the PO files keep every byte and other files stay."""
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES, locales)
    folder = locales / "sv" / "LC_MESSAGES"
    before = (folder / "workflows.po").read_bytes()
    (folder / ".workflows.po.k1ll3d.tmp").write_bytes(before[: len(before) // 2])
    (locales / ".workflows.pot.x7y8z9.tmp").write_bytes(b"msgid")
    kept = [folder / "notes.tmp", folder / ".workflows.po.keep", folder / ".other.po.a1.tmp"]
    for path in kept:
        path.write_text("mine\n")
    result = CliRunner().invoke(
        cli, ["l10n", "update", "--catalog", str(CATALOG), "--locales", str(locales)]
    )
    assert result.exit_code == 0, result.output
    assert (folder / "workflows.po").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["workflows.po", *(p.name for p in kept)]
    )
    assert not list(locales.glob(".workflows.pot.*.tmp"))


def test_writers_of_one_file_take_turns(tmp_path: Path) -> None:
    """Eight threads write different contents to one file: it ends as one of them whole, and
    no temporary file is left."""
    target = tmp_path / "workflows.po"
    texts = [(f"# writer {n}\n" * 20_000).encode() for n in range(8)]
    threads = [threading.Thread(target=write_if_changed, args=(target, t)) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_bytes() in texts
    assert [p.name for p in tmp_path.iterdir()] == ["workflows.po"]
