"""Every byte a build writes is pinned: the bundled catalogue's files one by one, a generated
10,000-workflow catalogue's as one digest. Changes that only make wfgen faster (lazy imports,
another reader, streaming writes) must leave both as they are; a change of output is made on
purpose and the pins regenerated with ``pytest --force-regen``."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import ROOT

GENERATE = ROOT / "benchmarks" / "generate.py"


def _listing(out: Path) -> list[str]:
    """``sha256  path`` of every file the manifest lists, each hash checked against the file
    on disk, and the manifest's own hash (its fingerprint left out: it names wfgen's code)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    on_disk = sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != ".wfgen"
    )
    listed = manifest["files"]
    assert sorted([*listed, "manifest.json"]) == on_disk
    lines = []
    for path, entry in listed.items():
        digest = hashlib.sha256((out / path).read_bytes()).hexdigest()
        assert digest == entry["sha256"], path
        lines.append(f"{digest}  {path}  {' '.join(entry['inputs'])}")
    manifest.pop("fingerprint", None)
    rest = json.dumps(manifest, sort_keys=True).encode()
    lines.append(f"{hashlib.sha256(rest).hexdigest()}  manifest.json without fingerprint")
    return lines


def _build(args: list[str], cwd: Path) -> None:
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(cli, ["build", *args, "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_bundled_build_is_byte_identical(tmp_path: Path, file_regression: Any) -> None:
    """`wfgen build` of the bundled catalogue writes exactly the pinned files, byte for byte."""
    out = tmp_path / "out"
    _build(["--out", str(out)], ROOT)
    file_regression.check("\n".join(_listing(out)) + "\n", extension=".txt")


def _generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate_identity", GENERATE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_generated_10k_build_is_byte_identical(tmp_path: Path, file_regression: Any) -> None:
    """The benchmark's 10,000-workflow catalogue (4 locales x 2 environments) builds to the
    pinned bytes: one digest over every file's hash and inputs."""
    (folder,) = _generate().generate(tmp_path / "data", (10_000,))
    out = tmp_path / "out"
    locales = [arg for loc in ("en", "sv", "de", "it") for arg in ("--locale", loc)]
    _build(
        [
            # Relative, as a user in that folder types them: the warnings name the files so.
            *("--catalog", "catalog", "--locales", "locales"),
            *("--templates", str(ROOT / "generator" / "templates"), "--out", str(out), *locales),
        ],
        folder,
    )
    lines = _listing(out)
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    file_regression.check(f"{len(lines)} files\n{digest}\n", extension=".txt")
