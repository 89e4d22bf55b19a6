"""The lock files agree with pyproject.toml: every declared dependency is pinned, with hashes,
at a version its lower bound allows, and no lock names an index, mirror or file URL.

When this fails, `make lock` refreshes the locks from pyproject.toml.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Which extras each lock holds: the Makefile installs `make run`, `make test` and `make bench`
# from these.
LOCKS = {"runtime": (), "test": ("test",), "bench": ("test", "bench")}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _pins(text: str) -> dict[str, Version]:
    return {
        canonicalize_name(m.group(1)): Version(m.group(2))
        for m in map(PIN.match, text.splitlines())
        if m
    }


def _required(extras: tuple[str, ...]) -> list[Requirement]:
    project = PYPROJECT["project"]
    names = [*project["dependencies"], *PYPROJECT["build-system"]["requires"]]
    for extra in extras:
        names += project["optional-dependencies"][extra]
    return [Requirement(name) for name in names]


@pytest.mark.parametrize("name", LOCKS)
def test_lock_pins_every_declared_dependency(name: str) -> None:
    """Each dependency of pyproject.toml (and the build backend) is pinned in the lock at a
    version the declared bound accepts."""
    pins = _pins((ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8"))
    for requirement in _required(LOCKS[name]):
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        key = canonicalize_name(requirement.name)
        assert key in pins, f"requirements/{name}.txt lacks {requirement}: run make lock"
        assert requirement.specifier.contains(pins[key], prereleases=True), (
            f"requirements/{name}.txt pins {key}=={pins[key]}, pyproject.toml says "
            f"{requirement}: run make lock"
        )


@pytest.mark.parametrize("name", LOCKS)
def test_lock_holds_no_undeclared_extra(name: str) -> None:
    """A lock holds no extra it is not for: the runtime lock installs no test tools."""
    pins = _pins((ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8"))
    project = PYPROJECT["project"]
    wanted = {canonicalize_name(r.name) for r in _required(LOCKS[name])}
    for extra, requirements in project["optional-dependencies"].items():
        if extra in LOCKS[name]:
            continue
        for requirement in map(Requirement, requirements):
            key = canonicalize_name(requirement.name)
            assert key in wanted or key not in pins, (
                f"requirements/{name}.txt pins {key} of extra {extra!r}: run make lock"
            )


@pytest.mark.parametrize("name", LOCKS)
def test_lock_has_hashes_and_no_urls(name: str) -> None:
    """Every pin carries hashes; no index, mirror, find-links or file URL appears."""
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    assert "://" not in text
    options = [line for line in text.splitlines() if line.startswith("-")]
    assert options == [], options
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    pinned = [block for block in blocks if PIN.match(block)]
    assert pinned
    for block in pinned:
        assert "--hash=sha256:" in block, block.splitlines()[0]
