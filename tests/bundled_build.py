"""`wfgen build` of the bundled catalogue, run once per test process for tests that only read
what it writes (drift compares deployed copies with it, explain checks its labels)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import CATALOG, LOCALES, ROOT

_BUILT: dict[tuple[str, str], Path] = {}


def bundled_build(factory: pytest.TempPathFactory, *, env: str, locale: str) -> Path:
    """The out folder of ``wfgen build --env ENV --locale LOCALE`` of the bundled catalogue.

    Built from the project root on first use, into the session's temporary folder; callers
    read it and copy what they change.
    """
    key = (env, locale)
    if key not in _BUILT:
        out = factory.mktemp("build") / "out"
        with contextlib.chdir(ROOT):
            result = CliRunner().invoke(
                cli,
                [
                    *("build", "--catalog", str(CATALOG), "--locales", str(LOCALES)),
                    *("--locale", locale, "--env", env, "--out", str(out), "--quiet"),
                ],
                catch_exceptions=False,
            )
        assert result.exit_code == 0, result.output
        _BUILT[key] = out
    return _BUILT[key]
