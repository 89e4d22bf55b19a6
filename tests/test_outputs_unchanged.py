"""The bundled build's outputs are pinned, so moving code cannot change what wfgen writes.

Every file of ``wfgen build`` of the bundled project (all environments, all locales) is pinned
by its hash, except the site's and the reference pages' HTML, which are pinned by what a
reader and a browser see: each page's text, links and every element's attributes, in order.
The goldens were written by the build before the site moved to templates; regenerate them
only on purpose (``pytest tests/test_outputs_unchanged.py --force-regen``) when an output is
meant to change.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import CATALOG, LOCALES, ROOT


def _is_page(path: str) -> bool:
    """The HTML pages compared by what they say rather than by their bytes."""
    return path.endswith(".html") and path.startswith(("site/", "docs/"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The out folder of ``wfgen build`` of the bundled project, every environment and locale."""
    out = tmp_path_factory.mktemp("pinned") / "out"
    with contextlib.chdir(ROOT):
        result = CliRunner().invoke(
            cli,
            ["build", "--catalog", str(CATALOG), "--locales", str(LOCALES), "--out", str(out)],
            catch_exceptions=False,
        )
    assert result.exit_code == 0, result.output
    return out


def test_manifest_is_unchanged(built: Path, data_regression: Any) -> None:
    """The manifest is as it was but for the fingerprint of wfgen's own code: the same files
    with the same inputs, every file but the HTML pages with the same hash, the same warnings."""
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    # The manifest lists what it owns; its hashes are checked against the files themselves.
    for path, entry in files.items():
        assert hashlib.sha256((built / path).read_bytes()).hexdigest() == entry["sha256"], path
    data_regression.check(
        {
            "files": {
                path: {"inputs": entry["inputs"]}
                if _is_page(path)
                else {"sha256": entry["sha256"], "inputs": entry["inputs"]}
                for path, entry in sorted(files.items())
            },
            # Where the checkout lies is no part of the output's identity.
            "warnings": [
                {**w, "file": Path(w["file"]).resolve().relative_to(ROOT.resolve()).as_posix()}
                if Path(w.get("file", "")).is_absolute()
                else w
                for w in manifest["warnings"]
            ],
            "rest": sorted(set(manifest) - {"fingerprint", "files", "warnings"}),
        }
    )


class _Reading(HTMLParser):
    """A page as it is read: its text runs, its links, each element with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.elements: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = " ".join(f"{k}={v!r}" if v is not None else k for k, v in attrs)
        self.elements.append(f"{tag} {shown}".rstrip())
        self.links.extend(v for k, v in attrs if k in ("href", "src") and v is not None)

    def handle_data(self, data: str) -> None:
        words = " ".join(data.split())
        if words:
            self.text.append(words)


def _read(page: bytes) -> dict[str, Any]:
    reading = _Reading()
    reading.feed(page.decode("utf-8"))
    reading.close()
    return {"text": reading.text, "links": reading.links, "elements": reading.elements}


def test_pages_read_as_before(built: Path, data_regression: Any) -> None:
    """Each HTML page has the text, links and attributes it had, element by element."""
    pages = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.html") if p.is_file())
    digest = {
        page: hashlib.sha256(
            json.dumps(_read((built / page).read_bytes()), ensure_ascii=False).encode()
        ).hexdigest()
        for page in pages
    }
    # One page of each kind in full, so a change reads as a diff; the rest by their reading's hash.
    shown = {
        page: _read((built / page).read_bytes())
        for page in pages
        if page
        in (
            "site/index.html",
            "site/404.html",
            "site/de/index.html",
            "site/de/campaign.html",
            "site/sv/sending.html",
            "docs/it/index.html",
            "docs/it/campaign.html",
        )
    }
    data_regression.check({"read": digest, "shown": shown})
