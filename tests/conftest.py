"""Shared test helpers: paths to the bundled data and a small file-tree builder."""

from __future__ import annotations

import functools
import os
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

if TYPE_CHECKING:
    from generator.model import Catalog

# CI runs the same examples every time, so a red build always means a changed behaviour;
# locally, hypothesis keeps exploring new ones (and remembers failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, print_blob=True)
# Ten times the examples of every property test, for a deliberate deep run:
# `HYPOTHESIS_PROFILE=thorough make test` (or pytest --hypothesis-profile=thorough).
settings.register_profile("thorough", max_examples=1000)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
elif os.environ.get("CI"):
    settings.load_profile("ci")


def examples(n: int) -> int:
    """``max_examples`` of a property test: ``n`` (its size in make test and CI, which answer
    in under a minute), scaled with the profile's default: 10 n under ``thorough``."""
    return max(1, n * settings.default.max_examples // 100)


ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PAGES = FIXTURES / "pages"
SEEDS = PAGES / "seeds"
REFERENCE = PAGES / "reference"
CATALOG = ROOT / "catalog"
LOCALES = ROOT / "locales"
CASES = ROOT / "tests" / "cases"


@functools.cache
def bundled_catalog() -> Catalog:
    """The bundled catalogue (``wfgen validate catalog``'s view of it), loaded once per process.

    Its model objects are frozen, so every test may share it; a test that needs a changed
    catalogue copies the files instead.
    """
    from generator.load.catalog import load_catalog

    loaded, _ = load_catalog([CATALOG])
    return loaded


FileTree = Mapping[str, "str | bytes | FileTree"]


def build_file_tree(root: Path, tree: FileTree) -> Path:
    """Write ``tree`` (name -> text, bytes or sub-tree) under ``root``; text is dedented."""
    for name, content in tree.items():
        path = root / name
        if isinstance(content, Mapping):
            path.mkdir(parents=True, exist_ok=True)
            build_file_tree(path, content)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def file_tree(tmp_path: Path) -> Callable[[FileTree], Path]:
    """Build a file tree in a fresh temporary folder and return that folder."""

    def make(tree: FileTree) -> Path:
        return build_file_tree(tmp_path, tree)

    return make
