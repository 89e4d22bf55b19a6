"""Schedule sentences in en, sv, de and it: CLDR words, translator phrases, whole-English fallback."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from typing import Any

import pytest

from generator.errors import UsageError
from generator.l10n.phrases import PHRASES, Sentence, sentence
from generator.schedules import Schedule, Window
from tests.conftest import ROOT

SEED: dict[str, dict[str, str]] = json.loads(
    (ROOT / "generator" / "l10n" / "phrase_seed.json").read_text("utf-8")
)
LOCALES = ("en", "sv", "de", "it")


def seed_gettext(locale: str) -> Callable[[str], str | None] | None:
    """A gettext over the bundled seed, as the PO files will give it."""
    if locale == "en":
        return None
    phrases = SEED[locale]
    return lambda context: phrases.get(context.removeprefix("phrase|"))


CASES: dict[str, tuple[Schedule | None, str | None]] = {
    "none": (None, None),
    "hourly": (Schedule("hourly"), None),
    "hourly_at_5": (Schedule("hourly", minute=5), None),
    "every_minute": (Schedule("every", minutes=1), None),
    "every_2_minutes": (Schedule("every", minutes=2), None),
    "every_10_minutes": (Schedule("every", minutes=10), None),
    "every_15_minutes": (Schedule("every", minutes=15), None),
    "every_hour": (Schedule("every", hours=1), None),
    "every_3_hours": (Schedule("every", hours=3), None),
    "every_15_minutes_between": (
        Schedule("every", minutes=15, between=Window("08:00", "18:30")),
        None,
    ),
    "every_minute_until_midnight": (
        Schedule("every", minutes=1, between=Window("22:00", "00:00")),
        None,
    ),
    "every_hour_between": (Schedule("every", hours=1, between=Window("09:00", "17:00")), None),
    "every_6_hours_until_midnight": (
        Schedule("every", hours=6, between=Window("01:00", "00:00")),
        None,
    ),
    "daily_0100": (Schedule("daily", at="01:00"), None),
    "daily_1330": (Schedule("daily", at="13:30"), None),
    "weekly_monday_0500": (Schedule("weekly", weekday="monday", at="05:00"), None),
    "weekly_sunday_2300": (Schedule("weekly", weekday="sunday", at="23:00"), None),
    "monthly_25_no_time": (Schedule("monthly", day=25), None),
    "monthly_25_nightly": (Schedule("monthly", day=25), "01:30"),
    "monthly_1": (Schedule("monthly", day=1, at="06:00"), None),
    "monthly_2": (Schedule("monthly", day=2, at="06:00"), None),
    "monthly_3": (Schedule("monthly", day=3, at="06:00"), None),
    "monthly_8": (Schedule("monthly", day=8, at="06:00"), None),
    "monthly_11": (Schedule("monthly", day=11, at="06:00"), None),
    "monthly_22": (Schedule("monthly", day=22, at="06:00"), None),
    "monthly_31": (Schedule("monthly", day=31, at="06:00"), None),
    "nightly": (Schedule("nightly"), None),
    "nightly_at": (Schedule("nightly"), "01:30"),
    "event": (Schedule("event", trigger="an approval signal is received"), None),
    "cron_every_5_minutes": (Schedule("cron", expression="*/5 * * * *"), None),
    "cron_weekdays": (Schedule("cron", expression="30 7 * * 1-5"), None),
    "cron_days": (Schedule("cron", expression="0 3 1,15 * *"), None),
    "cron_days_or_weekdays": (Schedule("cron", expression="0 3 1 * 0"), None),
    "cron_months": (Schedule("cron", expression="0 4 * 1,7 *"), None),
    "cron_raw": (Schedule("cron", expression="0 0 L * *"), None),
}


def say(case: str, locale: str) -> Sentence:
    schedule, nightly = CASES[case]
    return sentence(schedule, locale=locale, gettext=seed_gettext(locale), nightly=nightly)


def test_sentences_of_every_kind_in_four_locales(data_regression: Any) -> None:
    """Every schedule kind, said in en, sv, de and it, pinned; none falls back to English."""
    said = {case: {locale: say(case, locale).text for locale in LOCALES} for case in CASES}
    assert not [(c, loc) for c in CASES for loc in LOCALES if say(c, loc).fallback]
    data_regression.check(said)


def test_done_when_sentences() -> None:
    """cleanupPausedWorkflows reads natively; billing's day has a correct ordinal in each locale."""
    weekly = {loc: say("weekly_monday_0500", loc).text for loc in LOCALES}
    assert weekly["sv"] == "varje måndag kl. 05:00"
    assert weekly["de"] == "jeden Montag um 05:00 Uhr"
    assert weekly["it"] == "ogni lunedì alle 05:00"
    assert weekly["en"].startswith("every Monday at 5:00")
    billing = {loc: say("monthly_25_no_time", loc).text for loc in LOCALES}
    assert billing == {
        "en": "on the 25th of every month",
        "sv": "den 25:e varje månad",
        "de": "am 25. jedes Monats",
        "it": "il 25 di ogni mese",
    }


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "en",
            {
                1: "1st",
                2: "2nd",
                3: "3rd",
                4: "4th",
                11: "11th",
                12: "12th",
                13: "13th",
                21: "21st",
                22: "22nd",
                23: "23rd",
                25: "25th",
                31: "31st",
            },
        ),
        (
            "sv",
            {
                1: "1:a",
                2: "2:a",
                3: "3:e",
                4: "4:e",
                11: "11:e",
                12: "12:e",
                21: "21:a",
                22: "22:a",
                23: "23:e",
                25: "25:e",
                31: "31:a",
            },
        ),
        ("de", {1: "1.", 2: "2.", 11: "11.", 25: "25.", 31: "31."}),
        ("it", {1: "il 1º", 2: "il 2", 8: "l'8", 11: "l'11", 25: "il 25", 31: "il 31"}),
    ],
)
def test_day_of_month_follows_cldr_ordinal_categories(
    locale: str, expected: dict[int, str]
) -> None:
    """The day's form comes from CLDR's ordinal plural category (Swedish :a/:e, Italian elision)."""
    for day, form in expected.items():
        text = sentence(
            Schedule("monthly", day=day), locale=locale, gettext=seed_gettext(locale)
        ).text
        assert form in text, (day, text)


def test_interval_ordinals_in_swedish() -> None:
    """Swedish says 'var 15:e minut' and 'var 6:e timme', as the Swedish pages do."""
    assert say("every_15_minutes", "sv").text == "var 15:e minut"
    assert (
        say("every_6_hours_until_midnight", "sv").text
        == "var 6:e timme från kl. 01:00 till midnatt"
    )


ENGLISH_WORDS = {
    word
    for template in PHRASES.values()
    for word in re.findall(r"[A-Za-z]+", re.sub(r"\{[a-z_]+\}", " ", template))
    if len(word) > 1 and word not in {"st", "nd", "rd", "th"}
} | {"AM", "PM", "Monday", "January"}


@pytest.mark.parametrize("locale", ["sv", "de", "it"])
def test_zero_english_words_in_translations(locale: str) -> None:
    """No English word appears in a translated sentence (cron, a technical term, aside)."""
    for case in CASES:
        same = {"cron", "Cron", "L", *({"in"} if locale == "it" else ())}  # Italian "in punto"
        words = set(re.findall(r"[A-Za-z]+", say(case, locale).text)) - same
        assert not words & ENGLISH_WORDS, (case, say(case, locale).text)


def test_missing_phrase_falls_back_to_the_whole_english_sentence() -> None:
    """One missing phrase makes the whole sentence English and marked, never mixed."""
    partial = {k: v for k, v in SEED["sv"].items() if k != "day_other"}
    schedule = Schedule("monthly", day=25, at="06:00")
    said = sentence(schedule, locale="sv", gettext=lambda c: partial.get(c.removeprefix("phrase|")))
    assert said == Sentence(sentence(schedule, locale="en").text, fallback=True)
    assert "varje" not in said.text
    # a day whose category Swedish has still works
    ok = sentence(
        Schedule("monthly", day=1, at="06:00"),
        locale="sv",
        gettext=lambda c: partial.get(c.removeprefix("phrase|")),
    )
    assert ok == Sentence("den 1:a varje månad kl. 06:00")


def test_broken_translation_falls_back() -> None:
    """A translation with an unknown placeholder or a stray brace is not used half-way."""
    for bad in ("varje {veckodag} kl. {time}", "varje {weekday kl. {time}"):
        said = sentence(
            Schedule("weekly", weekday="monday", at="05:00"),
            locale="sv",
            gettext=lambda c, bad=bad: bad if c == "phrase|weekly" else None,
        )
        assert said.fallback and said.text.startswith("every Monday")


def test_a_locale_without_translations_is_english_and_marked() -> None:
    """A CLDR locale with no PO entries yet says it in English, visibly."""
    said = sentence(Schedule("daily", at="01:00"), locale="fr", gettext=lambda c: None)
    assert said.fallback and said.text.startswith("every day at 1:00")
    assert not sentence(Schedule("daily", at="01:00"), locale="en_GB").fallback


def test_unknown_locale_is_a_usage_error() -> None:
    """A code CLDR does not know is refused."""
    with pytest.raises(UsageError, match="unknown locale"):
        sentence(None, locale="xx_YY")


def test_independent_of_the_host_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Host locale settings change nothing: words come from CLDR for the asked locale."""
    before = {loc: say("weekly_monday_0500", loc).text for loc in LOCALES}
    for name in ("LANG", "LC_ALL", "LC_TIME", "LANGUAGE"):
        monkeypatch.setenv(name, "de_DE.UTF-8")
    assert {loc: say("weekly_monday_0500", loc).text for loc in LOCALES} == before


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("locale", ["sv", "de", "it"])
def test_seed_translations_fit_their_phrases(locale: str) -> None:
    """Every seed entry names a phrase and uses exactly its placeholders (msgfmt's rule)."""
    for name, template in SEED[locale].items():
        assert name in PHRASES, name
        assert _fields(template) == _fields(PHRASES[name]), (name, template)
    sentence_phrases = {
        n
        for n in PHRASES
        if not n.startswith(("day_", "ordinal_", "every_nth_")) and n != "event_trigger"
    }
    # A count form ("every {n} hours") is covered by its ordinal form ("every {nth} hour").
    covered = set(SEED[locale]) | {
        n.replace("every_nth_minute", "every_minutes").replace("every_nth_hour", "every_hours")
        for n in SEED[locale]
        if n.startswith("every_nth_")
    }
    assert sentence_phrases <= covered, sentence_phrases - covered
