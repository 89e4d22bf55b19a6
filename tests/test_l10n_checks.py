"""PO checks: one deliberately broken entry per check, and the text checks on their own."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Message as PoMessage

from generator.errors import InputError, Location, UsageError
from generator.l10n.check import check_locales
from generator.l10n.generic import load_config
from generator.l10n.po import new_catalog, po_path, read_po_file
from generator.l10n.po_write import dump_po, write_if_changed
from generator.l10n.textchecks import check_text
from generator.l10n.update import L10nSettings
from generator.schedules import Schedule
from tests.conftest import CASES, CATALOG, LOCALES
from tests.l10n_sources import bundled_messages

PO_CASES = sorted((CASES / "po").glob("*.po"))
BUNDLED = sorted(LOCALES.glob("*/LC_MESSAGES/workflows.po"))


@functools.cache
def _english() -> dict[str, str]:
    """Context -> English of every message of the bundled catalogue (read once per process)."""
    return {m.context: m.english for m in bundled_messages()}


def _install(case: Path, root: Path) -> tuple[L10nSettings, str]:
    """Copy a case into a locales folder, with the catalogue's current English as msgid."""
    shutil.copytree(CATALOG, root / "catalog")
    settings = L10nSettings(catalog_dir=root / "catalog", locales_dir=root / "locales")
    english = _english()
    source = read_po_file(case)
    locale = str(source.locale)
    out = new_catalog(locale)
    for entry in source:
        if not entry.id or not entry.context:
            continue
        keep = entry.id != "-" or entry.context not in english
        msgid = str(entry.id) if keep else english[str(entry.context)]
        out[msgid] = PoMessage(msgid, entry.string, context=entry.context, flags=entry.flags)
    write_if_changed(po_path(settings.locales_dir, locale), dump_po(out))
    return settings, locale


@pytest.mark.parametrize("case", PO_CASES, ids=[c.stem for c in PO_CASES])
def test_each_broken_entry_is_found_by_its_check(case: Path, tmp_path: Path) -> None:
    """Every case file's fault is reported under the code the file is named after."""
    settings, _ = _install(case, tmp_path)
    codes = {p.code for p in check_locales(settings)}
    assert case.stem in codes


def test_every_check_code_has_a_broken_case() -> None:
    """The case set covers every error and warning code the checks can emit."""
    from generator.l10n import textchecks

    documented = {
        line.split()[0]
        for line in (textchecks.__doc__ or "").splitlines()
        if line.startswith("  ") and line.split()[1] in ("error", "warning")
    }
    assert documented <= {c.stem for c in PO_CASES}


TEXT_CASES = [
    # (source, translation, locale, schedule, expected codes)
    (
        "It is triggered every day at 3am by default.",
        "Den aktiveras varje dag klockan tre som standard.",
        "sv",
        None,
        set(),
    ),
    (
        "It is triggered every day at 2am by default.",
        "Den utlöses varje dag kl. 2.00 som standard.",
        "sv",
        Schedule(kind="daily", at="02:00"),
        set(),
    ),
    (
        "It is triggered every day at 2am by default.",
        "Den utlöses varje dag kl. 3.00 som standard.",
        "sv",
        None,
        {"number-mismatch"},
    ),
    (
        "Runs at 6am.",
        "Er wird täglich um 1 Uhr gestartet.",
        "de",
        Schedule(kind="daily", at="06:00"),
        {"number-mismatch", "schedule-mismatch"},
    ),
    (
        "Cleans the nmsRecipient table.",
        "Rensar mottagartabellen.",
        "sv",
        None,
        {"identifier-changed"},
    ),
    ("Runs every 15 minutes.", "Körs var 20:e minut.", "sv", None, {"number-mismatch"}),
    ("Runs every 15 minutes.", "Körs ofta.", "sv", None, {"number-unverified"}),
    ("Runs every 15 minutes.", "Wird regelmäßig ausgeführt.", "fr", None, {"number-unverified"}),
]


@pytest.mark.parametrize(("source", "translation", "locale", "schedule", "expected"), TEXT_CASES)
def test_text_checks_read_numbers_times_and_names(
    source: str, translation: str, locale: str, schedule: Schedule | None, expected: set[str]
) -> None:
    """Times in words and in local clock notation agree with the source and the schedule."""
    found = check_text(
        source=source,
        translation=translation,
        locale=locale,
        subject="w",
        location=Location("x.po", 1),
        schedule=schedule,
    )
    assert {p.code for p in found} == expected


def test_encoding_damage_hint_carries_the_repair() -> None:
    """Mojibake is reported with the repaired text in the hint."""
    found = check_text(
        source=None,
        translation="consegne e attivit√†.",
        locale="it",
        subject="budgetMgt",
        location=Location("p.md", 3),
    )
    damage = [p for p in found if p.code == "encoding-damage"]
    assert damage and "attività" in damage[0].hint and damage[0].subject == "budgetMgt"


def test_checking_locales_in_parallel_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One process per locale (used for large files) reports exactly what one process does."""
    from generator.l10n import check

    shutil.copytree(CATALOG, tmp_path / "catalog")
    shutil.copytree(LOCALES, tmp_path / "locales")
    settings = L10nSettings(catalog_dir=tmp_path / "catalog", locales_dir=tmp_path / "locales")
    alone = check_locales(settings)
    monkeypatch.setattr(check, "_PARALLEL_BYTES", 0)
    assert check._workers([("de", po_path(settings.locales_dir, "de"))] * 2) >= 1
    assert check_locales(settings) == alone and alone
    # A file a worker cannot read is read again by the parent, which reports the error.
    po_path(settings.locales_dir, "it").write_bytes(b'msgid "\xff"\nmsgstr ""\n')
    with pytest.raises(InputError, match=r"workflows\.po"):
        check_locales(settings)


# pofilter tests that are about an entry's state, not its text: `wfgen l10n stats` counts
# them (untranslated, fuzzy, awaiting review), and `unchanged` is identical-to-source.
_STATE_TESTS = {"untranslated", "isfuzzy", "isreview", "blank", "unchanged", "short", "long"}


def _counts_differ(checker: Any, unit: Any, locale: str) -> bool:
    """pofilter's sentence count, once each side's abbreviations lose their full stops."""
    from translate.filters.checks import FilterFailure

    from generator.l10n.abbreviations import mask_abbreviations

    try:
        checker.sentencecount(
            mask_abbreviations(unit.source, "en"), mask_abbreviations(unit.target, locale)
        )
    except FilterFailure:
        return True
    return False


@pytest.mark.parametrize("path", BUNDLED, ids=[p.parent.parent.name for p in BUNDLED])
def test_check_reports_every_entry_pofilter_reports(path: Path) -> None:
    """On the bundled files every pofilter finding is a wfgen finding of the same code, unless
    the code is off by default (documented) or about the entry's state, or a sentence count
    that differs only by an abbreviation's full stop; wfgen adds its own."""
    from translate.filters.checks import CheckerConfig, StandardChecker
    from translate.storage import factory

    from generator.l10n.generic import DEFAULT_OFF, GENERIC_CHECKS

    locale = path.parent.parent.name
    checker = StandardChecker(CheckerConfig(targetlanguage=locale))
    theirs: set[tuple[str, str]] = set()
    units = [u for u in factory.getobject(str(path)).units if not u.isheader() and u.target]
    found = [(unit.getcontext(), checker.run_filters(unit)) for unit in units]
    for (context, tests), unit in zip(found, units, strict=True):
        for test in tests:
            if test == "sentencecount" and not _counts_differ(checker, unit, locale):
                continue  # a full stop of the language's abbreviations ("kl."): no sentence end
            if test not in _STATE_TESTS and test not in DEFAULT_OFF:
                assert test in GENERIC_CHECKS, f"pofilter's {test} is neither run nor off"
                theirs.add((context, test))
    settings = L10nSettings(catalog_dir=CATALOG, locales_dir=LOCALES)
    contexts = {m.lineno: str(m.context) for m in read_po_file(path) if m.context and m.lineno}
    ours = {
        (contexts[p.location.line], p.code)
        for p in check_locales(settings, [locale])
        if p.location.line in contexts
    }
    assert theirs and theirs <= ours, sorted(theirs - ours)


def test_check_codes_are_turned_off_and_on_per_project(tmp_path: Path) -> None:
    """[tool.wfgen.l10n] disable/enable in pyproject.toml (or [l10n] in wfgen.toml) decide
    which codes are reported; an unknown code is a clear error."""
    shutil.copytree(CATALOG, tmp_path / "catalog")
    shutil.copytree(LOCALES, tmp_path / "locales")
    settings = L10nSettings(catalog_dir=tmp_path / "catalog", locales_dir=tmp_path / "locales")
    before = {p.code for p in check_locales(settings, ["it"])}
    assert {"startpunc", "identical-to-source"} <= before and "simplecaps" not in before
    (tmp_path / "pyproject.toml").write_text(
        '[tool.wfgen.l10n]\ndisable = ["startpunc", "identical-to-source"]\n'
        'enable = ["simplecaps"]\n',
        encoding="utf-8",
    )
    after = {p.code for p in check_locales(settings, ["it"])}
    assert after == (before - {"startpunc", "identical-to-source"}) | {"simplecaps"}
    (tmp_path / "wfgen.toml").write_text('[l10n]\ndisable = ["no-such-check"]\n', "utf-8")
    with pytest.raises(InputError, match="no-such-check"):
        check_locales(settings, ["it"])


@pytest.mark.parametrize(
    ("name", "text", "where", "message"),
    [
        (
            "wfgen.toml",
            'out = "o"\n\n[l10n]\ndisable = ["startpunc"]\n  enable = "x"\n',
            ":5:3:",
            "[l10n] enable must be a list of check codes",
        ),
        ("wfgen.toml", '[l10n]\ndisable = ["nope"]\n', ":2:1:", "unknown check code 'nope'"),
        ("wfgen.toml", "l10n = 3\n", ":1:1:", "[l10n] must be a table"),
        ("wfgen.toml", "l10n = {colour = []}\n", ":1:1:", "[l10n] unknown key 'colour'"),
        (
            "pyproject.toml",
            '[tool.wfgen]\nout = "o"\n[tool.wfgen.l10n]\ncolour = []\n',
            ":4:1:",
            "[tool.wfgen.l10n] unknown key 'colour'",
        ),
    ],
)
def test_a_bad_l10n_table_is_an_error_at_its_key(
    tmp_path: Path, name: str, text: str, where: str, message: str
) -> None:
    """A wrong [l10n] setting names the file, line and column of the key at fault."""
    (tmp_path / name).write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        load_config(tmp_path, known=("startpunc", "simplecaps"))
    assert str(caught.value.location).endswith(f"{name}{where}".rstrip(":"))
    assert message in str(caught.value)


def test_broken_toml_in_the_project_file_is_located_for_l10n_check_too(tmp_path: Path) -> None:
    """l10n check reads the project file as every command does: broken TOML is a usage
    error at its line and column, not a bare parser message."""
    (tmp_path / "wfgen.toml").write_text('[l10n]\ndisable = ["a",\n\n', "utf-8")
    with pytest.raises(UsageError, match=r"wfgen\.toml:4:1: invalid TOML"):
        load_config(tmp_path)


def test_cli_reads_the_l10n_table_of_the_project_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run inside a project, `l10n check` takes its [l10n] table; the project loader lets it be."""
    from click.testing import CliRunner

    from generator.cli import cli

    shutil.copytree(CATALOG, tmp_path / "catalog")
    shutil.copytree(LOCALES, tmp_path / "locales")
    (tmp_path / "wfgen.toml").write_text('[l10n]\ndisable = ["startpunc"]\n', "utf-8")
    monkeypatch.chdir(tmp_path / "catalog")
    result = CliRunner().invoke(cli, ["l10n", "check", "--locale", "de"])
    assert result.exit_code in (0, 1), result.output
    assert "acronyms" in result.output and "startpunc" not in result.output


_TRICKY = [
    ("Marketing Resources (MRM) for A1 users.", "Marknadsresurser för A1-användare."),
    ("Send it to x@y.com or https://a.b/c", "Skicka till x@y.se"),
    ('Say "hi".  Then go!', "Säg hej. Gå sedan!"),
    ("{n} items: %s, %(name)s", "{n} poster: %d"),
    ("Line one\nline two\tend\\n", "Rad ett rad två"),
    ("<b>Bold</b> and (s) plural", "Fet och plural"),
    ("...wait, what?", "Vänta, vad"),
    ("Hello. World", "Hej.Värld"),
    ("ID changed", "id ändrat"),
    ("Ünïcode ÄBC here", "Ünïcode här"),
    ("It's 'quoted'", "Det är citerat"),
]


def test_generic_checks_find_the_same_with_and_without_their_triggers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Skipping a translate-toolkit test when none of its characters occur changes nothing."""
    from generator.l10n import generic

    pairs = list(_TRICKY)
    for path in [*BUNDLED, *PO_CASES]:
        pairs += [(str(m.id), str(m.string)) for m in read_po_file(path) if m.id and m.string]
    enabled = generic.CheckConfig(enable=frozenset(generic.GENERIC_CHECKS))
    where = Location("x.po", 1, 1)

    def run() -> list[list[object]]:
        checker = generic.GenericChecker("sv", enabled)
        return [
            [(p.code, p.message) for p in checker.check(a, b, location=where, subject="x")]
            for a, b in pairs
        ]

    fast = run()
    monkeypatch.setattr(generic, "_TRIGGERS", dict.fromkeys(generic._TRIGGERS))
    assert run() == fast and any(fast)
