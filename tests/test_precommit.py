"""The pre-commit hooks of .pre-commit-hooks.yaml, run by pre-commit itself (try-repo).

A temporary git repository holds the bundled catalogue, its PO files and the out/ that
`wfgen build` wrote; pre-commit installs wfgen from this checkout into its own
environment (from the locked wheels in .venv/wheelhouse) and runs every hook. Then a mistyped time
makes validate and build --check fail, with the location.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CATALOG, LOCALES, ROOT

# `make test` fills it from requirements/runtime.txt (pip download --require-hashes).
WHEELHOUSE = ROOT / ".venv" / "wheelhouse"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("git") is None or not (ROOT / ".git").exists(),
        reason="needs git and a git checkout of wfgen",
    ),
]


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=wfgen", "-c", "user.email=wfgen@example.invalid", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    # --ref: the committed checkout, so pre-commit builds its environment once per session.
    ref = _git(ROOT, "rev-parse", "HEAD").strip()
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    if WHEELHOUSE.is_dir():
        # The hook environment takes the locked wheels `make test` downloaded: offline, the
        # versions of the lock, and seconds instead of a resolve against the index.
        env |= {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(WHEELHOUSE)}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--ref", ref, "--all-files"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=900,
    )


def _verdicts(output: str) -> dict[str, str]:
    out = {}
    for line in output.splitlines():
        if line.startswith("wfgen ") and line.rstrip().endswith(("Passed", "Failed", "Skipped")):
            name = line.split(".", 1)[0].strip()
            out[name] = line.rstrip().rsplit(".", 1)[-1].split(")")[-1]
    return out


def test_hooks_pass_then_fail_on_a_mistyped_time(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(CATALOG, repo / "catalog")
    shutil.copytree(LOCALES, repo / "locales")  # the bundled PO files pass their hook too
    wfgen = Path(sys.executable).parent / "wfgen"
    subprocess.run([str(wfgen), "build", "--quiet"], cwd=repo, check=True, capture_output=True)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "catalogue and its outputs")
    home = tmp_path / "pre-commit-home"

    clean = _try_repo(repo, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert _verdicts(clean.stdout) == {
        "wfgen validate": "Passed",
        "wfgen build --check": "Passed",
        "wfgen l10n check": "Passed",
        "wfgen docs check": "Skipped",
    }

    source = repo / "catalog" / "workflows" / "deliveries.yaml"
    text = source.read_text("utf-8")
    assert 'at: "02:00"' in text
    source.write_text(text.replace('at: "02:00"', 'at: "2:00"', 1), "utf-8")
    _git(repo, "add", "-A")
    broken = _try_repo(repo, home)
    assert broken.returncode == 1
    verdicts = _verdicts(broken.stdout)
    assert verdicts["wfgen validate"] == "Failed"
    assert verdicts["wfgen build --check"] == "Failed"
    assert "catalog/workflows/deliveries.yaml:" in broken.stdout
    assert "time '2:00' must be HH:MM, 00:00 to 23:59; write '02:00'" in broken.stdout
