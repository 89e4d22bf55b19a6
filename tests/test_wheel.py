"""The wheel carries everything wfgen needs: built, installed in a fresh venv, run elsewhere.

Offline on any machine: the wheel is built with the locked setuptools already in this venv
(``--no-build-isolation --no-index``), installed with ``--no-deps`` into a new venv in a
temporary folder, and that venv reaches the locked dependencies through a ``.pth`` line naming
this venv's site-packages. A ``.pth`` line only appends the folder to ``sys.path``: the
editable install of the source tree (a hook started by another ``.pth`` file there) stays
inactive, so ``generator`` and the ``wfgen`` command come from the wheel alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _run(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources (setuptools writes build/ and egg-info)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    dist = work / "dist"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(dist),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (built,) = dist.glob("wfgen-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A new venv outside the repository with the wheel installed; its bin folder and env."""
    home = tmp_path_factory.mktemp("venv")
    assert not home.resolve().is_relative_to(ROOT)
    target = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True)
    bindir = target / "bin"
    python = bindir / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "_wfgen_locked_deps.pth").write_text("\n".join(sorted(ours)) + "\n", "utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "COV_CORE"))
    }
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    env["LC_ALL"] = "C.UTF-8"
    return bindir, env


def test_the_wheel_holds_every_data_file_of_the_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "generator").rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    assert data, "the package holds data files"
    assert {name for name in data if name.startswith("generator/templates/")}, data
    assert {name for name in data if name.startswith("generator/schemas/")}, data
    assert data <= names, sorted(data - names)


def test_installed_wfgen_inits_validates_and_builds_outside_the_repository(
    venv: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bindir, env = venv
    where = _run(
        bindir / "python",
        "-c",
        "import generator; print(generator.__file__)",
        cwd=tmp_path,
        env=env,
    )
    assert where.returncode == 0, where.stderr
    installed = Path(where.stdout.strip()).resolve()
    assert installed.is_relative_to(bindir.parent.resolve()), installed
    # A stray templates/ folder here must not be picked up: the bundled ones come from the wheel.
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "crontab.j2").write_text("{{ broken", encoding="utf-8")

    done = _run(bindir / "wfgen", "init", "proj", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    project = tmp_path / "proj"
    done = _run(bindir / "wfgen", "validate", cwd=project / "catalog" / "workflows", env=env)
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    assert done.stdout.endswith("ok: 3 file(s) valid\n")
    done = _run(bindir / "wfgen", "build", "--quiet", cwd=project / "catalog", env=env)
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    crontab = (project / "out" / "prod" / "crontab").read_text("utf-8")
    assert "CRON_TZ=UTC" in crontab
    assert "-arg:cleanup" in crontab
    assert (project / "out" / "prod" / "systemd" / "wfgen-tracking.timer").is_file()
    assert "Tracking" in (project / "out" / "docs" / "en" / "deliveries.md").read_text("utf-8")
    assert (project / "out" / "site" / "en" / "deliveries.html").is_file()


def test_installed_wfgen_reports_a_broken_catalogue(
    venv: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bindir, env = venv
    assert _run(bindir / "wfgen", "init", cwd=tmp_path, env=env).returncode == 0
    workflows = tmp_path / "catalog" / "workflows" / "deliveries.yaml"
    lines = workflows.read_text("utf-8").splitlines(keepends=True)
    status = next(n for n, line in enumerate(lines) if "status: active" in line)
    lines[status] = lines[status].replace("active", "retired")
    workflows.write_text("".join(lines), "utf-8")
    done = _run(bindir / "wfgen", "validate", cwd=tmp_path, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith(f"catalog/workflows/deliveries.yaml:{status + 1}:"), first
    assert "error schema" in first
    assert done.stdout.endswith("1 error(s), 0 warning(s)\n")
