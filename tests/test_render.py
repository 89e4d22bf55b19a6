"""Rendering primitives: escaping for cron and systemd, Kubernetes names, the Jinja sandbox."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.render import jinja
from generator.render.targets import (
    cron_command,
    k8s_name,
    make_jinja,
    one_line,
    render_template,
    systemd_value,
)

BREAKS = ["\n", "\r", "\r\n", "\v", "\f", "\x85", "\u2028", "\u2029"]
DNS_1123 = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_one_line_removes_every_line_break(brk: str) -> None:
    """Every character some tool reads as a line break becomes a space."""
    text = one_line(f"first{brk}second")
    assert text == "first second"
    assert len(text.splitlines()) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["/usr/bin/nlserver", "start", "tracking@prod"],
        ["/bin/x", "50%", "it's", "a b", "$HOME", "`id`", ";rm"],
    ],
)
def test_cron_command_quotes_and_escapes_percent(argv: list[str]) -> None:
    """A cron command splits back to the same argv once cron has turned \\% back into %."""
    command = cron_command(argv)
    assert re.search(r"(?<!\\)%", command) is None
    assert shlex.split(command.replace("\\%", "%")) == argv


def test_systemd_value_doubles_percent_and_stays_on_one_line() -> None:
    """Unit values double % (specifiers) and cannot continue onto the next line."""
    assert systemd_value("50% done\nExecStart=/bin/evil \\") == "50%% done ExecStart=/bin/evil"


@pytest.mark.parametrize(
    "ids", [("cleanup", "Cleanup"), ("mcSynch_A", "mcsynch_a"), ("x" * 80, "x" * 81)]
)
def test_k8s_names_are_dns_labels_and_unique(ids: tuple[str, str]) -> None:
    """CronJob names are DNS-1123 labels of at most 52 characters, distinct for distinct ids."""
    names = [k8s_name(i) for i in ids]
    for name in names:
        assert DNS_1123.fullmatch(name) and len(name) <= 52
    assert names[0] != names[1]


def _env_with(tmp_path: Path, name: str, text: str) -> tuple[Path, str]:
    (tmp_path / name).write_text(text)
    return tmp_path, name


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ job.__init__.__globals__ }}",
    ],
)
def test_sandbox_blocks_python_internals(tmp_path: Path, source: str) -> None:
    """A user's template cannot reach Python internals."""
    folder, name = _env_with(tmp_path, "evil.j2", source)
    with pytest.raises(InputError):
        render_template(make_jinja(folder), name, {"job": object()})


class _Pretender:
    """An object that says it is a list."""

    __class__ = list  # type: ignore[assignment]

    def append(self, _item: object) -> None:
        """A method named like one that changes a list."""


def test_sandbox_refuses_on_every_access_with_remembered_answers(tmp_path: Path) -> None:
    """The sandbox remembers its answer per type and attribute: the tenth access of a list's
    append is refused like the first, a tuple's index stays allowed, and an object that
    names another class is asked about each time."""
    env = make_jinja(tmp_path)
    _env_with(tmp_path, "ok.j2", "{% for i in range(10) %}{{ t.index(1) }}{% endfor %}")
    _env_with(tmp_path, "bad.j2", "{% for i in range(10) %}{{ items.append(i) }}{% endfor %}")
    _env_with(tmp_path, "fake.j2", "{{ thing.append(1) }}")
    assert render_template(env, "ok.j2", {"t": (1,)}) == "0" * 10
    for _ in range(2):
        with pytest.raises(InputError, match="unsafe"):
            render_template(env, "bad.j2", {"items": []})
    with pytest.raises(InputError, match="unsafe"):
        render_template(env, "fake.j2", {"thing": _Pretender()})


def test_undefined_names_fail(tmp_path: Path) -> None:
    """A misspelt variable fails the build instead of rendering as empty text."""
    folder, name = _env_with(tmp_path, "typo.j2", "{{ jbo.id }}")
    with pytest.raises(InputError, match=r"typo\.j2"):
        render_template(make_jinja(folder), name, {})


def test_html_templates_are_autoescaped(tmp_path: Path) -> None:
    """Text rendered into .html templates is escaped; other templates are left as text."""
    folder, _ = _env_with(tmp_path, "page.html.j2", "{{ text }}")
    _env_with(tmp_path, "page.md.j2", "{{ text }}")
    env = make_jinja(folder)
    assert render_template(env, "page.html.j2", {"text": "<b>&"}) == "&lt;b&gt;&amp;"
    assert render_template(env, "page.md.j2", {"text": "<b>&"}) == "<b>&"


def test_user_templates_override_bundled_ones(tmp_path: Path) -> None:
    """A template in --templates replaces the bundled one of the same name; others still load."""
    folder, _ = _env_with(tmp_path, "crontab.j2", "mine")
    env = make_jinja(folder)
    assert render_template(env, "crontab.j2", {}) == "mine"
    assert env.get_template("systemd.timer.j2") is not None


def test_compiled_templates_are_never_loaded_from_a_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No bytecode cache: a planted pickle in a shared cache folder can never run as code."""
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("WFGEN_CACHE_DIR", str(cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    (tmp_path / "templates").mkdir()
    folder, name = _env_with(tmp_path / "templates", "page.md.j2", "{{ text }}")
    env = make_jinja(folder)
    assert env.bytecode_cache is None
    assert render_template(env, name, {"text": "x"}) == "x"
    assert list(cache.rglob("*")) == []


@pytest.mark.parametrize(
    ("source", "line", "word"),
    [
        ("ok\n{{ 1/0 }}", 2, "ZeroDivisionError"),
        ("{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}", 1, "Recursion"),
        ("\n\n{% for i in range(10**9) %}{% endfor %}", 3, "range"),
        ("{{ 'x' * 10**9 }}", 1, "repetition"),
        ("{{ 7 ** 9999999 }}", 1, "exponent"),
        ("{{ '%999999999d' % 1 }}", 1, "width"),
        ("{{ '{:>999999999}'.format(1) }}", 1, "width"),
        ("x\n{% include '/etc/passwd' %}", 2, "/etc/passwd"),
        ("{{ jobs.clear() }}", 1, "clear"),
        ("{% set _ = jobs.append(1) %}", 1, "append"),
    ],
    ids=[
        "zero-division",
        "recursion",
        "huge-range",
        "huge-repeat",
        "huge-power",
        "percent-width",
        "format-width",
        "include-outside",
        "mutate-clear",
        "mutate-append",
    ],
)
def test_template_faults_are_located_one_line_errors(
    tmp_path: Path, source: str, line: int, word: str
) -> None:
    """Runtime faults, limits and mutations of the shared data name the template and line."""
    folder, name = _env_with(tmp_path, "bad.j2", source)
    jobs = [1, 2]
    with pytest.raises(InputError) as caught:
        render_template(make_jinja(folder), name, {"jobs": jobs})
    message = str(caught.value)
    assert f"bad.j2:{line}:" in message, message
    assert word in message
    assert "\n" not in message
    assert jobs == [1, 2]


def test_templates_have_an_output_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template writing more than the limit fails instead of filling the disk."""
    monkeypatch.setattr(jinja, "TEMPLATE_BYTES", 10_000)
    folder, name = _env_with(tmp_path, "big.j2", "{% for i in range(5000) %}xxxxxxxx{% endfor %}")
    with pytest.raises(InputError, match=r"big\.j2.*output over"):
        render_template(make_jinja(folder), name, {})


def test_templates_have_a_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template that runs too long is stopped and named."""
    monkeypatch.setattr(jinja, "TEMPLATE_SECONDS", 0.3)
    source = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
    folder, name = _env_with(tmp_path, "slow.j2", source)
    with pytest.raises(InputError, match=r"slow\.j2:1:.*took more than"):
        render_template(make_jinja(folder), name, {})
