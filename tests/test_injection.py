"""Structure injection: text from a profile or a PO file keeps its meaning in each target.

Each output is read back by the target's own rules: cron's command parsing (do_command.c,
modelled below and then run through /bin/sh), systemd (systemd-analyze verify), Markdown
(markdown-it-py, CommonMark with GFM tables).
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator.errors import CatalogError, UsageError
from generator.load.catalog import load_catalog
from generator.render.escape import cron_command, systemd_command
from generator.sending import load_model, reference_context
from tests.conftest import CATALOG, build_file_tree, examples

# Characters with a meaning to cron, the shell or systemd, and some that have none.
HOSTILE = st.text(
    alphabet=st.sampled_from(list("%\\'\"$`;&|<>*?~#!{}()[]= \tab9-+@:/é€")),
    max_size=12,
)


def cron_reads(command: str) -> tuple[str, str | None]:
    """What cron hands to the shell, and what it feeds on stdin (None when nothing).

    A transcription of the loop in do_command.c (Vixie cron 4.1, unchanged in Debian's cron
    and in cronie): ``\\%`` becomes ``%``; a backslash before any other character is kept with
    it and does not escape the next one; a bare ``%`` ends the command, and the rest, with
    every further bare ``%`` turned into a newline, is the job's stdin.
    """
    out: list[str] = []
    escaped = False
    for index, ch in enumerate(command):
        if escaped:
            if ch == "%":
                out[-1] = ch
            else:
                out.append(ch)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
            out.append(ch)
            continue
        if ch == "%":
            return "".join(out), command[index + 1 :]
        out.append(ch)
    return "".join(out), None


def shell_argv(script: str) -> list[str]:
    """The arguments /bin/sh passes to printf for ``script`` (a printf command line)."""
    result = subprocess.run(["/bin/sh", "-c", script], capture_output=True, check=True, timeout=10)
    return result.stdout.decode("utf-8").split("\0")[:-1]


def test_cron_model_reads_the_known_cases() -> None:
    """The model agrees with do_command.c on the cases its comments describe."""
    assert cron_reads("echo 50\\%") == ("echo 50%", None)
    assert cron_reads("cat %line1%line2") == ("cat ", "line1%line2")
    # The reported defect: a backslash before the escape frees the %.
    assert cron_reads("echo '\\\\%'") == ("echo '\\\\", "'")


@pytest.mark.parametrize(
    "args",
    [["a\\%b"], ["\\%"], ["\\\\%%\\"], ["%", ""], ["50%", "it's", "$HOME", "`id`"]],
)
def test_cron_command_survives_cron_and_the_shell(args: list[str]) -> None:
    """Arguments with backslashes before % reach the program unchanged, nothing on stdin."""
    line = cron_command(["/usr/bin/printf", "%s\\0", *args])
    shell, stdin = cron_reads(line)
    assert stdin is None, line
    assert shell_argv(shell) == args


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE, min_size=1, max_size=4))
def test_cron_command_round_trips_any_argument(args: list[str]) -> None:
    """Any one-line argument comes back from cron and /bin/sh as it went in."""
    shell, stdin = cron_reads(cron_command(["/usr/bin/printf", "%s\\0", *args]))
    assert stdin is None
    assert shell_argv(shell) == args


@pytest.mark.parametrize("program", ["A=b", "if", "%x"])
def test_cron_program_is_never_an_assignment_or_keyword(program: str) -> None:
    """A first word the shell would read as an assignment or a reserved word is quoted."""
    shell, _ = cron_reads(cron_command([program, "x"]))
    assert shell.startswith("'")


def systemd_words(value: str) -> list[str]:
    """ExecStart= split as systemd does for the words wfgen writes: whitespace separates,
    double quotes group with C escapes, ``%%`` is ``%`` and ``$$`` is ``$``."""
    words: list[str] = []
    for found in re.finditer(r'"((?:[^"\\]|\\.)*)"|(\S+)', value):
        if found.group(1) is not None:
            word = re.sub(r"\\(.)", r"\1", found.group(1)).replace("$$", "$")
        else:
            word = found.group(2)
        words.append(word.replace("%%", "%"))
    return words


@settings(max_examples=examples(30), deadline=None)
@given(st.lists(HOSTILE.filter(lambda a: "\t" not in a), min_size=1, max_size=4))
def test_systemd_command_round_trips_any_argument(args: list[str]) -> None:
    """Every argument comes back whole from systemd's word splitting."""
    assert systemd_words(systemd_command(["/bin/x", *args])) == ["/bin/x", *args]


@pytest.mark.parametrize(
    "program", ["+/bin/true", "-/bin/true", "@x", ":x", "!x", "true", '/bin/"x"', "/bin/"]
)
def test_systemd_refuses_a_program_that_is_not_an_absolute_path(program: str) -> None:
    """A first word systemd could read as a prefix (or search for) is refused."""
    with pytest.raises(UsageError, match="the command"):
        systemd_command([program, "x"])


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd not installed")
def test_systemd_reads_the_program_path_as_written(tmp_path: Path) -> None:
    """systemd-analyze names the program exactly: no prefix taken, % and quotes intact."""
    program = "/nonexistent/+x %y $z;"
    unit = tmp_path / "wfgen-probe.service"
    unit.write_text(
        "[Unit]\nDescription=probe\n[Service]\nType=oneshot\n"
        f"ExecStart={systemd_command([program, 'a'])}\n"
    )
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert f"Command {program} is not executable" in result.stderr


PROFILE = """\
environment:
  instance: mkt
  role: marketing
  timezone: UTC
  products: [v8]
  modules: [platform]
  user: neolane
  command: [{first}, "-arg:{{id}}"]
  targets: [{targets}]
"""


@pytest.mark.parametrize(
    ("first", "targets", "refused"),
    [
        ('"+/bin/true"', "systemd", True),
        ("nlserver", "systemd", True),
        ("nlserver", "crontab", False),
        ("/usr/bin/nlserver", "systemd", False),
    ],
)
def test_profile_command_must_be_absolute_for_systemd(
    tmp_path: Path, first: str, targets: str, refused: bool
) -> None:
    """validate reports a systemd profile whose program is not an absolute path, at command[0]."""
    root = build_file_tree(tmp_path, {"catalog": {}})
    shutil.copytree(CATALOG, root / "catalog", dirs_exist_ok=True)
    profile = root / "catalog" / "environments" / "staging.yaml"
    profile.write_text(PROFILE.format(first=first, targets=targets))
    try:
        load_catalog([root / "catalog"])
    except CatalogError as err:
        found = [p for p in err.problems if "ExecStart" in p.message]
        assert refused and found, err.problems
        assert found[0].location.line == 8 and found[0].location.col > 1
    else:
        assert not refused


# --- Markdown pages from translated sending terms ---------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    "first | second\n| --- |\n| injected |",
    "# Heading",
    "1. numbered",
    "- item",
    "[link](javascript:alert(1)) ![img](x)",
    "`code` *em* _em_ ~~del~~ &lt; &amp;",
    "line\u2028break\rreturn",
    "**[!UICONTROL Sent]** <b>x</b>",
]


@functools.cache
def _sending_model_and_jinja() -> tuple[Any, Any]:
    """The bundled sending model and a Jinja environment, loaded once for every payload."""
    from generator.render.jinja import make_jinja

    return load_model(CATALOG / "sending.yaml"), make_jinja()


def _sending_markdown(payload: str) -> str:
    from generator.render.jinja import render_template

    model, jinja = _sending_model_and_jinja()
    context = reference_context(model, locale="sv", gettext=lambda _context: payload)
    return render_template(jinja, "sending.md.j2", {**context, "locale": "sv"})


def _shape(text: str) -> dict[str, Any]:
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    inline = [c for t in tokens if t.children for c in t.children]
    return {
        "html": [t.type for t in [*tokens, *inline] if t.type.startswith("html")],
        "headings": sum(1 for t in tokens if t.type == "heading_open"),
        "rows": sum(1 for t in tokens if t.type == "tr_open"),
        "cells": sum(1 for t in tokens if t.type == "td_open"),
        "links": sum(1 for t in inline if t.type in ("link_open", "image")),
        "lists": sum(1 for t in tokens if t.type in ("ordered_list_open", "bullet_list_open")),
    }


@functools.cache
def _plain_shape() -> dict[str, Any]:
    """The shape of sending.md with a plain translation, the one every payload must keep."""
    return _shape(_sending_markdown("Text"))


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_translated_sending_terms_stay_text(payload: str) -> None:
    """A hostile translation adds no HTML, heading, link, list, row or cell to sending.md."""
    plain = _plain_shape()
    hostile = _shape(_sending_markdown(payload))
    assert hostile == plain
    assert plain["rows"] > 0


@settings(max_examples=examples(15), deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>|#*_`[]()!&\\-+=1. \n~{}aé")), max_size=20))
def test_any_translated_term_keeps_the_page_shape(payload: str) -> None:
    """Whatever a translator writes, sending.md keeps the structure of the English page."""
    assert _shape(_sending_markdown(payload or "x")) == _plain_shape()


def test_ui_terms_stay_bold() -> None:
    """The UI-term markup of a translation still renders as bold text."""
    text = _sending_markdown("Klicka **[!UICONTROL Compute stats]** nu")
    assert "Klicka **Compute stats** nu" in text


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85"])
def test_line_break_in_a_command_is_located_at_its_argument(tmp_path: Path, brk: str) -> None:
    """U+2028 (and the other breaks) in a command argument is reported at that argument."""
    root = build_file_tree(tmp_path, {"catalog": {}})
    shutil.copytree(CATALOG, root / "catalog", dirs_exist_ok=True)
    profile = root / "catalog" / "environments" / "staging.yaml"
    profile.write_text(
        PROFILE.format(first="/usr/bin/x", targets="crontab").replace(
            '"-arg:{id}"', f'"-arg:{{id}}", "a{brk}b"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog([root / "catalog"])
    found = [p for p in caught.value.problems if "line break" in p.message]
    assert found and found[0].location.line == 8 and found[0].location.col > 20
