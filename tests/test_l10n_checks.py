"""PO checks: one deliberately broken entry per check, and the text checks on their own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Message as PoMessage

from generator.errors import InputError, Location
from generator.l10n.check import check_locales
from generator.l10n.po import dump_po, new_catalog, po_path, read_po_file, write_if_changed
from generator.l10n.textchecks import check_text
from generator.l10n.update import L10nSettings, load_messages
from generator.schedules import Schedule

from .conftest import CASES, CATALOG

PO_CASES = sorted((CASES / "po").glob("*.po"))


def _install(case: Path, root: Path) -> tuple[L10nSettings, str]:
    """Copy a case into a locales folder, with the catalogue's current English as msgid."""
    shutil.copytree(CATALOG, root / "catalog")
    settings = L10nSettings(catalog_dir=root / "catalog", locales_dir=root / "locales")
    english = {m.context: m.english for m in load_messages(settings.catalog_dir)}
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

    from .conftest import LOCALES

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
