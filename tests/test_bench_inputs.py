"""The benchmark's synthetic inputs are what wfgen accepts: valid catalogue, profiles, PO files."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from generator.errors import Severity
from generator.l10n.po import load_translations
from generator.load.catalog import load_catalog, validate_paths

GENERATE = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


def _generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_generated_inputs_validate(tmp_path: Path) -> None:
    """A generated catalogue and its environment profiles pass `wfgen validate` with no errors."""
    generate = _generate()
    (folder,) = generate.generate(tmp_path, (120,), seed=3)
    problems = validate_paths([folder / "catalog"])
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    catalog, _ = load_catalog([folder / "catalog"])
    kinds = Counter(w.schedule.kind if w.schedule else "null" for w in catalog.workflows)
    assert set(kinds) == {
        "null",
        "hourly",
        "every",
        "daily",
        "weekly",
        "monthly",
        "nightly",
        "event",
        "cron",
    }
    assert {w.module for w in catalog.workflows} == set(generate.module_keys())
    for locale in generate.LOCALES:
        assert len(load_translations(folder / "locales", locale)) > len(catalog.workflows)


def test_generated_inputs_are_reproducible(tmp_path: Path) -> None:
    """The same seed writes the same catalogue bytes."""
    generate = _generate()
    (first,) = generate.generate(tmp_path / "a", (40,), seed=5)
    (second,) = generate.generate(tmp_path / "b", (40,), seed=5)
    names = sorted(p.relative_to(first) for p in first.rglob("*.yaml"))
    assert names == sorted(p.relative_to(second) for p in second.rglob("*.yaml"))
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)
