"""English schedule sentences of the documentation -> the schedule model, and back.

The English pages say when a technical workflow runs in a sentence of its description:
"It is triggered every day at 2am by default.", "By default, it is started every 10
minutes.", "It is triggered the 25th of every month on the Marketing instance." This module
finds those sentences in a description (:func:`schedule_sentences`), reads each one
(:func:`read_sentence`) and puts the readings of one workflow together
(:func:`combine`). It never guesses: a sentence that names two frequencies, a time the
frequency cannot take, or "twice a day" without its times is :class:`Reading` with no
schedule and the reason; two sentences that disagree are the same.

:func:`render` writes a schedule back as a sentence that :func:`read_sentence` reads as
the same schedule, which is what the tests hold it to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from .times import WEEKDAYS, Schedule, Window

__all__ = [
    "Reading",
    "combine",
    "is_schedule_statement",
    "read_sentence",
    "render",
    "schedule_sentences",
    "split_sentences",
    "without_schedule",
]

_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "eight": 8,
    "ten": 10,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}
_NUMBER = r"(\d+|" + "|".join(_NUMBERS) + r")"
# "2am", "5 am", "4.20am", "4:20 a.m.", "midnight", "noon"
_TIME = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*([ap])\.?m\b\.?|\b(midnight|noon)\b")
_MINUTES = re.compile(rf"\bevery {_NUMBER} ?(?:minutes?|mins?)\b")
_HOURS = re.compile(rf"\bevery {_NUMBER} ?(?:hours?|h)\b")
_HOURLY = re.compile(r"\bevery hour\b|\bonce (?:per|an|every|each) hour\b|\bhourly\b")
_DAILY = re.compile(r"\bevery day\b|\beach day\b|\bdaily\b|\bonce (?:a|per|every) day\b")
_NIGHTLY = re.compile(r"\bevery night\b|\beach night\b|\bnightly\b")
_TWICE = re.compile(r"\btwice (?:a|per) day\b")
_WEEKLY = re.compile(r"\b(?:every|each|on) (" + "|".join(WEEKDAYS) + r")s?\b")
_MONTHLY = re.compile(
    r"\b(?:the|on the) (\d{1,2})(?:st|nd|rd|th) (?:day )?of (?:every|each) month\b"
)
_BETWEEN = re.compile(
    r"\bbetween (\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?m\.?|midnight|noon) and "
    r"(\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?m\.?|midnight|noon)"
)
_PAST_HOUR = re.compile(r"\bat (\d{1,2}) minutes? past the hour\b")
_CRON = re.compile(r"\bcron (?:schedule|expression) `([^`]+)`")
_EVENT = re.compile(
    r"\b(?:is|are) (?:automatically )?(?:triggered|started|launched|run) "
    r"(?:as soon as|when|whenever) (?P<trigger>.+)$"
)
_BY_USER = re.compile(r"\bmust be (?P<trigger>started (?:by the user|manually)\b.*)$")
_NOT_PERIODIC = re.compile(r"\bis not run periodically\b|\bis not scheduled\b")
# The frequency is the workflow's own when a verb of running carries it, or when the
# sentence is "This workflow <does> ... every day" / "Every hour, this workflow ...".
_RUN_VERB = re.compile(
    r"\b(?:is|are) (?:automatically )?(?:triggered|started|launched|run|executed|scheduled)\b"
    r"|\bruns\b|\bscheduled to (?:run|execute)\b|\bmust be (?:started|triggered|run)\b"
)
_OWN_SUBJECT = re.compile(r"^(?:this workflow|it) [a-z]|^every [^,]+, (?:this workflow|it) [a-z]")
_STARTED_AT = re.compile(r"\b(?:started|triggered|run|runs|executed|launched|scheduled)\b")
# A sentence ends at . ! ? followed by a capital; "4.20am" and "e.g.: a record" stay whole.
# A link glued to the sentence before it ("deliveries.Learn more") starts a sentence too.
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"(])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")


@dataclass(frozen=True)
class Reading:
    """What one sentence (or the sentences of one workflow) says about its schedule.

    ``schedule`` is None when the sentences cannot be read as one schedule; ``reason``
    then says why. ``manual_only`` marks "This workflow is not run periodically.", which
    names no schedule by itself but agrees with a workflow started by hand; ``incidental``
    a frequency the sentence gives to something else ("lets you recover addresses every
    three hours"), which yields to a sentence that states the workflow's own schedule.
    """

    sentences: tuple[str, ...]
    schedule: Schedule | None
    reason: str = ""
    manual_only: bool = False
    incidental: bool = False  # a frequency in the sentence, not said of the workflow's run

    @property
    def text(self) -> str:
        """The sentences as the page writes them, joined by a space."""
        return " ".join(self.sentences)


def split_sentences(text: str) -> list[str]:
    """The sentences of a description, in order, whitespace collapsed."""
    flat = " ".join(text.split())
    return [s.strip() for s in _SPLIT.split(flat) if s.strip()]


def schedule_sentences(text: str) -> list[Reading]:
    """The readings of the sentences of ``text`` that say when the workflow runs, in order."""
    found: list[Reading] = []
    for sentence in split_sentences(text):
        reading = read_sentence(sentence)
        if reading is not None:
            found.append(reading)
    return found


def _flat(sentence: str) -> str:
    return " ".join(sentence.split()).replace("\u2019", "'").rstrip(" .!;:")


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _clock(hour: str | None, minute: str | None, half: str | None, word: str | None) -> str | None:
    if word:
        return "00:00" if word == "midnight" else "12:00"
    assert hour is not None and half is not None
    h, m = int(hour), int(minute or 0)
    if not 1 <= h <= 12 or m > 59:
        return None
    h = h % 12 + (12 if half == "p" else 0)
    return f"{h:02d}:{m:02d}"


def _time_of(text: str) -> str | None:
    match = _TIME.search(text)
    return _clock(*match.groups()) if match else None


def read_sentence(sentence: str) -> Reading | None:
    """Read one English sentence.

    Returns:
        None when the sentence does not speak of when the workflow runs; otherwise a
        reading with the schedule, or without one and the reason it cannot be read.
    """
    flat = _flat(sentence)
    text = flat.lower()
    cron = _CRON.search(text)
    if cron:
        return Reading((sentence,), Schedule(kind="cron", expression=cron[1].strip()))
    event = _EVENT.search(text) or _BY_USER.search(text)
    frequencies = _frequencies(text)
    if event:
        if frequencies:
            return _unknown(sentence, "it names both an event and a frequency")
        trigger = flat[event.start("trigger") :]
        return Reading((sentence,), Schedule(kind="event", trigger=trigger))
    if _NOT_PERIODIC.search(text):
        if frequencies:
            return _unknown(sentence, "it says both that it is not run periodically and when")
        return Reading(
            (sentence,),
            None,
            "it says it is not run periodically, not what starts it",
            manual_only=True,
        )
    window = _BETWEEN.search(text)
    rest = _BETWEEN.sub(" ", text) if window else text
    times = [_clock(*m.groups()) for m in _TIME.finditer(rest)]
    if not frequencies and not _TWICE.search(text):
        if len(times) == 1 and _STARTED_AT.search(text) and not window:
            # "By default, it is automatically started at 2am.": a start time of day.
            return _checked(sentence, times, Schedule(kind="daily", at=times[0]))
        if times or window:
            return _unknown(sentence, "it gives a time of day but no frequency")
        return None
    if not (_RUN_VERB.search(text) or _OWN_SUBJECT.search(text)):
        reason = "it names a frequency without saying it is the workflow's own run"
        return Reading((sentence,), None, reason, incidental=True)
    return _from_frequency(sentence, text, frequencies, times, window)


def _frequencies(text: str) -> list[tuple[str, int | str | None]]:
    found: list[tuple[str, int | str | None]] = []
    for match in _MINUTES.finditer(text):
        found.append(("minutes", _number(match[1])))
    for match in _HOURS.finditer(text):
        count = _number(match[1])
        found.append(("hourly", None) if count == 1 else ("hours", count))
    if _HOURLY.search(text):
        found.append(("hourly", None))
    if _DAILY.search(text):
        found.append(("daily", None))
    if _NIGHTLY.search(text):
        found.append(("nightly", None))
    for match in _WEEKLY.finditer(text):
        found.append(("weekly", match[1]))
    for match in _MONTHLY.finditer(text):
        found.append(("monthly", int(match[1])))
    if _TWICE.search(text):
        found.append(("twice", None))
    unique = list(dict.fromkeys(found))
    # "every hour, daily" / "daily, every 1h": the day is the span the interval repeats in.
    if any(kind in ("minutes", "hours", "hourly") for kind, _ in unique):
        unique = [f for f in unique if f[0] != "daily"]
    return unique


def _unknown(sentence: str, reason: str) -> Reading:
    return Reading((sentence,), None, reason)


def _checked(sentence: str, times: Sequence[str | None], schedule: Schedule) -> Reading:
    if any(t is None for t in times):
        return _unknown(sentence, "it gives a time of day that does not exist")
    return Reading((sentence,), schedule)


def _from_frequency(
    sentence: str,
    text: str,
    frequencies: list[tuple[str, int | str | None]],
    times: list[str | None],
    window: re.Match[str] | None,
) -> Reading:
    if len(frequencies) > 1:
        names = ", ".join(kind for kind, _ in frequencies)
        return _unknown(sentence, f"it names more than one frequency ({names})")
    kind, value = frequencies[0]
    between = None
    if window:
        start, end = _time_of(window[1]), _time_of(window[2])
        if start is None or end is None:
            return _unknown(sentence, "its window has a time of day that does not exist")
        between = Window(start, end)
        if kind not in ("minutes", "hours", "hourly"):
            return _unknown(sentence, "it gives a window to a schedule that is not an interval")
    past = _PAST_HOUR.search(text)
    if kind in ("minutes", "hours", "hourly"):
        if times:
            return _unknown(
                sentence, "it gives a time of day to a schedule that repeats within the day"
            )
        if kind == "hourly":
            if between is not None:
                return Reading((sentence,), Schedule(kind="every", hours=1, between=between))
            minute = int(past[1]) if past else None
            if minute is not None and minute > 59:
                return _unknown(sentence, "its minute past the hour does not exist")
            return Reading((sentence,), Schedule(kind="hourly", minute=minute))
        assert isinstance(value, int)
        if kind == "minutes":
            return Reading((sentence,), Schedule(kind="every", minutes=value, between=between))
        return Reading((sentence,), Schedule(kind="every", hours=value, between=between))
    if past:
        return _unknown(
            sentence, "it gives a minute past the hour to a schedule that is not hourly"
        )
    if kind == "twice":
        if len(times) != 2 or None in times:
            return _unknown(sentence, "it says twice a day without both times")
        (h1, m1), (h2, m2) = (t.split(":") for t in times if t is not None)
        if m1 != m2 or h1 == h2:
            return _unknown(sentence, "its two times have different minutes")
        hours = ",".join(str(h) for h in sorted({int(h1), int(h2)}))
        return Reading((sentence,), Schedule(kind="cron", expression=f"{int(m1)} {hours} * * *"))
    if len(times) > 1:
        return _unknown(sentence, "it gives more than one time of day")
    at = times[0] if times else None
    if kind == "daily":
        return _checked(sentence, times, Schedule(kind="daily", at=at))
    if kind == "nightly":
        # "every night at 1am" is a daily run at 1am; "nightly" alone takes the instance's time.
        schedule = Schedule(kind="daily", at=at) if times else Schedule(kind="nightly")
        return _checked(sentence, times, schedule)
    if kind == "weekly":
        if not times:
            return _unknown(sentence, "it names a weekday but no time of day")
        return _checked(sentence, times, Schedule(kind="weekly", weekday=str(value), at=at))
    assert isinstance(value, int)
    if not 1 <= value <= 31:
        return _unknown(sentence, f"day {value} of the month does not exist")
    return _checked(sentence, times, Schedule(kind="monthly", day=value, at=at))


def _refines(general: Schedule, specific: Schedule) -> bool:
    """True when ``specific`` is ``general`` with a field ``general`` leaves unset."""
    if general.kind != specific.kind:
        return False
    filled = {
        name: getattr(specific, name)
        for name in ("minute", "at")
        if getattr(general, name) is None and getattr(specific, name) is not None
    }
    return bool(filled) and replace(general, **filled) == specific


def combine(readings: Iterable[Reading]) -> Reading | None:
    """One workflow's readings put together; None when there are none.

    Equal schedules agree; a schedule without a time of day agrees with the same one with
    it ("every day" and "every day at 4.20am" is the latter); "not run periodically" agrees
    with a workflow started by an event; a frequency said of something else yields to a
    sentence that states the workflow's schedule. Anything else is a contradiction: no
    schedule, and the reason says so.
    """
    found = list(readings)
    if not found:
        return None
    stated = [r for r in found if not r.incidental]
    if not stated:
        sentences = tuple(dict.fromkeys(s for r in found for s in r.sentences))
        return Reading(sentences, None, found[0].reason, incidental=True)
    found = stated
    sentences = tuple(dict.fromkeys(s for r in found for s in r.sentences))
    unread = [r for r in found if r.schedule is None and not r.manual_only]
    if unread:
        return Reading(sentences, None, unread[0].reason)
    schedules = [r.schedule for r in found if r.schedule is not None]
    if not schedules:
        return Reading(sentences, None, found[0].reason, manual_only=True)
    chosen = schedules[0]
    for other in schedules[1:]:
        if other == chosen or _refines(other, chosen):
            continue
        if _refines(chosen, other):
            chosen = other
            continue
        return Reading(sentences, None, "its sentences give different schedules")
    if any(r.manual_only for r in found) and chosen.kind != "event":
        return Reading(sentences, None, "it says it is not run periodically, and gives a schedule")
    return Reading(sentences, chosen)


def is_schedule_statement(sentence: str) -> bool:
    """True when the sentence is about when the workflow runs ("It is triggered every day
    at 2am."), False when a schedule phrase sits in a sentence about what it does ("This
    workflow imports Facebook fans into Adobe Campaign every day at 7am.")."""
    text = _flat(sentence).lower()
    return bool(
        _RUN_VERB.search(text)
        or _EVENT.search(text)
        or _BY_USER.search(text)
        or _NOT_PERIODIC.search(text)
    )


_AT_TIME = re.compile(r"\bat (?:\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?m\b|midnight|noon)")
_PHRASES = (
    _MINUTES,
    _HOURS,
    _HOURLY,
    _DAILY,
    _NIGHTLY,
    _WEEKLY,
    _MONTHLY,
    _TWICE,
    _BETWEEN,
    _AT_TIME,
)


def without_schedule(sentence: str) -> str:
    """The sentence without its schedule phrases: "Every hour, this workflow downloads
    segments." -> "This workflow downloads segments."."""
    flat = " ".join(sentence.split())
    text = flat.lower()
    cut = [False] * len(flat)
    for pattern in _PHRASES:
        for match in pattern.finditer(text):
            for index in range(match.start(), match.end()):
                cut[index] = True
    kept = "".join(c for c, gone in zip(flat, cut, strict=True) if not gone)
    kept = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(kept.split()))
    kept = kept.lstrip(",;: ")
    end = flat[-1:] if flat[-1:] in ".!?" else ""
    if end and not kept.endswith(end):
        kept += end
    return kept[:1].upper() + kept[1:]


# --- rendering --------------------------------------------------------------------------


def _say_time(value: str) -> str:
    hour, minute = (int(part) for part in value.split(":"))
    if (hour, minute) == (0, 0):
        return "midnight"
    if (hour, minute) == (12, 0):
        return "noon"
    half = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}{half}" if minute == 0 else f"{shown}.{minute:02d}{half}"


def render(schedule: Schedule) -> str:
    """The English sentence the pages would write for ``schedule``."""
    kind = schedule.kind
    if kind == "hourly":
        past = f" at {schedule.minute} minutes past the hour" if schedule.minute is not None else ""
        return f"It is triggered every hour{past}."
    if kind == "every":
        step = (
            f"every {schedule.minutes} minutes"
            if schedule.minutes
            else f"every {schedule.hours} hours"
        )
        window = schedule.between
        span = f" between {_say_time(window.start)} and {_say_time(window.end)}" if window else ""
        return f"It is triggered {step}{span}."
    if kind == "daily":
        at = f" at {_say_time(schedule.at)}" if schedule.at else ""
        return f"It is triggered every day{at}."
    if kind == "nightly":
        return "It runs nightly."
    if kind == "weekly":
        assert schedule.weekday is not None and schedule.at is not None
        return f"It is triggered every {schedule.weekday.capitalize()} at {_say_time(schedule.at)}."
    if kind == "monthly":
        at = f" at {_say_time(schedule.at)}" if schedule.at else ""
        return f"It is triggered the {_ordinal(schedule.day or 0)} of every month{at}."
    if kind == "event":
        return f"It is triggered when {schedule.trigger}."
    return f"It runs on the cron schedule `{schedule.expression}`."


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"
