"""Checks of one translated text against its English source: shared by PO files and pages.

Codes (stable; documented in README):
  identifier-changed   error    a do-not-translate token of the source is missing
  placeholder-changed  error    a ``<placeholder>`` or ``{placeholder}`` differs from the source
  number-mismatch      error    a number or time differs from the source
  schedule-mismatch    error    a time differs from the catalogue's schedule
  number-unverified    info     the source states a number the translation may write in words
  encoding-damage      error    mojibake such as ``attivit√†``; the hint carries the repair
  html-entity          error    a leftover entity such as ``&#39;``
  markup-mismatch      error    tags differ from the source or do not balance
  empty-translation    error    only whitespace where the source has text
  whitespace           warning  leading or trailing whitespace unlike the source
  identical-to-source  warning  a sentence left in English
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import ftfy
from ftfy.badness import is_bad

from ..errors import Location, Problem, Severity
from ..schedules import Schedule
from .numbers import Quantities, english_quantities, translated_quantities

__all__ = [
    "CODES",
    "HTML_TAGS",
    "PRODUCT_NAMES",
    "ProtectedIds",
    "check_text",
    "protected_tokens",
    "repair_text",
]

# The codes above, in that order.
CODES: tuple[str, ...] = tuple(
    line.split()[0] for line in (__doc__ or "").splitlines() if line.startswith("  ")
)

# Product and platform names keep their form in every language.
PRODUCT_NAMES = (
    "Adobe Campaign",
    "Campaign Classic",
    "Campaign Standard",
    "Adobe Analytics",
    "Adobe Experience Cloud",
    "Adobe Experience Manager",
    "Adobe Experience Platform",
    "Adobe Target",
    "Adobe Launch",
    "Experience Cloud",
    "Microsoft Dynamics",
    "Salesforce",
    "Facebook",
    "Twitter",
    "LINE",
    "Message Center",
)
_HTML_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "br",
        "code",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
HTML_TAGS = _HTML_TAGS  # tags that are markup; other <words> are placeholders
_VOID = frozenset({"br", "img"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
_ANGLE_PLACEHOLDER = re.compile(r"<([A-Za-z_][\w-]*)>")
_BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}|%\(\w+\)[sd]|%[sd]")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,7});")
# camelCase, snake_case, schema:names and dotted.names: shapes prose never has.
_IDENTIFIER = re.compile(
    r"(?<![\w:.])(?:[a-z]+[A-Z]\w*|[A-Za-z]+_\w+|[a-z]{2,}:[A-Za-z]\w*|[a-z]\w*\.[a-z]\w*\.\w+)(?![\w:])"
)
_QUOTED = re.compile(r"['‘`\"“](\w[\w-]*)['’`\"”]")
_WORDS = re.compile(r"[^\W\d_]{2,}")


# Characters only ftfy's C1-control and surrogate fixes touch.
_C1_OR_SURROGATE = re.compile("[\x80-\x9f\ud800-\udfff]")


def _may_be_damaged(text: str) -> bool:
    """False when ftfy would return ``text`` unchanged (the common case, decided cheaply).

    With the fixes ``repair_text`` enables, ftfy changes only non-ASCII text that its own
    badness test flags, or that holds C1 controls or surrogates.
    """
    return not text.isascii() and (is_bad(text) or _C1_OR_SURROGATE.search(text) is not None)


def repair_text(text: str) -> str:
    """Undo mojibake and decode leftover HTML entities; nothing else is touched."""
    if not _may_be_damaged(text):
        return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text) if "&" in text else text
    fixed = ftfy.fix_text(
        text,
        unescape_html=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_terminal_escapes=False,
        remove_control_chars=False,
        normalization=None,
    )
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), fixed)


class ProtectedIds:
    """Every protected id of one catalogue, compiled once for all its entries.

    Ids shaped like ordinary words (``billing``) count only where the source quotes them;
    the others are found by one pattern that tries every id at every position.
    """

    __slots__ = ("_facts", "pattern", "plain", "words")

    def __init__(self, ids: Iterable[str]) -> None:
        unique = sorted({i for i in ids if i}, key=lambda i: (-len(i), i))
        self.words = frozenset(i for i in unique if i.isalpha() and i.islower())
        # Ids made of word characters only are looked up in a set, one per word run of
        # the source; only the rest (if any) goes into the alternation pattern.
        self.plain = frozenset(i for i in unique if i not in self.words and _WORD_RUN.fullmatch(i))
        others = [re.escape(i) for i in unique if i not in self.words and i not in self.plain]
        # A lookahead scans every start position, so ids inside other ids are found too;
        # a shorter id sharing the start of a longer match is a substring of it, so a
        # translation keeping the longer one keeps both.
        self.pattern: re.Pattern[str] | None = (
            re.compile(rf"(?=(?<![\w<])({'|'.join(others)})(?![\w>]))") if others else None
        )
        # Every locale checks the same English: what it says is read once per source.
        self._facts: dict[str, _SourceFacts] = {}

    def facts(self, source: str) -> _SourceFacts:
        """What the checks need of an English ``source``, read once and remembered."""
        found = self._facts.get(source)
        if found is None:
            found = self._facts[source] = _SourceFacts(
                tokens=protected_tokens(source, self),
                placeholders=_placeholders(source),
                angle_placeholders=_placeholders(source, formats=False),
                tag_names=Counter(n for _, n in _tags(source)),
                quantities=english_quantities(source),
            )
        return found


@dataclass(frozen=True)
class _SourceFacts:
    tokens: list[str]
    placeholders: Counter[str]
    angle_placeholders: Counter[str]
    tag_names: Counter[str]
    quantities: Quantities


_WORD_RUN = re.compile(r"(?<![\w<])\w+(?![\w>])")
_PRODUCT_PATTERNS = tuple(re.compile(rf"\b{re.escape(name)}\b") for name in PRODUCT_NAMES)


def protected_tokens(source: str, protected: Iterable[str] | ProtectedIds = ()) -> list[str]:
    """Tokens of ``source`` a translation must keep verbatim, in order of first appearance.

    Identifier-shaped words, product names, and every ``protected`` id the source names:
    ids shaped like ordinary words (``billing``) count only where the source quotes them.
    Pass a :class:`ProtectedIds` built once when checking many texts.
    """
    ids = protected if isinstance(protected, ProtectedIds) else ProtectedIds(protected)
    found: list[str] = []
    quoted = set(_QUOTED.findall(source))
    for word in sorted(quoted & ids.words):
        found.append(word)
    for match in _WORD_RUN.finditer(source):
        if match.group(0) in ids.plain and match.group(0) not in found:
            found.append(match.group(0))
    if ids.pattern is not None:
        for match in ids.pattern.finditer(source):
            if match.group(1) not in found:
                found.append(match.group(1))
    for match in _IDENTIFIER.finditer(_ANGLE_PLACEHOLDER.sub(" ", source)):
        if match.group(0) not in found:
            found.append(match.group(0))
    for name, pattern in zip(PRODUCT_NAMES, _PRODUCT_PATTERNS, strict=True):
        if name not in found and pattern.search(source):
            found.append(name)
    return sorted(found, key=source.find)


def _problem(
    code: str, severity: Severity, message: str, *, location: Location, subject: str, hint: str
) -> Problem:
    return Problem(location, message, severity, code=code, hint=hint, subject=subject)


def _tags(text: str) -> list[tuple[str, str]]:
    return [
        (m.group(1) or ("/" if m.group(3) else ""), m.group(2).lower())
        for m in _TAG.finditer(text)
        if m.group(2).lower() in _HTML_TAGS
    ]


def _unbalanced(tags: list[tuple[str, str]]) -> list[str]:
    stack: list[str] = []
    bad: list[str] = []
    for kind, name in tags:
        if name in _VOID:
            continue
        if kind == "":
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        else:
            bad.append(f"</{name}>")
    return bad + [f"<{name}>" for name in stack]


def _placeholders(text: str, formats: bool = True) -> Counter[str]:
    if "{" not in text and "%" not in text and "<" not in text:
        return Counter()
    found = Counter(m.group(0) for m in _BRACE_PLACEHOLDER.finditer(text)) if formats else Counter()
    found.update(
        m.group(0)
        for m in _ANGLE_PLACEHOLDER.finditer(text)
        if m.group(1).lower() not in _HTML_TAGS
    )
    return found


def _fmt_time(time: tuple[int, int]) -> str:
    return f"{time[0]:02d}:{time[1]:02d}"


def _schedule_values(schedule: Schedule | None) -> set[int]:
    """Numbers a page may add when it writes the schedule into the description."""
    if schedule is None:
        return set()
    values = {
        v
        for v in (schedule.minute, schedule.minutes, schedule.hours, schedule.day)
        if v is not None
    }
    times = [
        t
        for t in (
            schedule.at,
            *((schedule.between.start, schedule.between.end) if schedule.between else ()),
        )
        if t
    ]
    for time in times:
        hour, minute = (int(part) for part in time.split(":"))
        values |= {hour, minute, hour % 12 or 12}
    return values


def _quantity_checks(
    source: str | None,
    translation: str,
    locale: str,
    schedule: Schedule | None,
    english: Quantities | None,
) -> list[tuple[str, Severity, str, str]]:
    out: list[tuple[str, Severity, str, str]] = []
    said = translated_quantities(translation, locale)
    if said.empty and (english is None or english.empty):
        return out  # nothing stated on either side, so nothing can disagree
    scheduled: set[tuple[int, int]] = set()
    if schedule is not None and schedule.at:
        hour, minute = (int(part) for part in schedule.at.split(":"))
        # Pages add the schedule sentence to the description; its time is not "extra".
        scheduled = {(hour, minute), (hour % 12 or 12, minute)}
    if source is not None and english is not None:
        values = said.values()
        for time in sorted(english.times):
            if time in said.times or (time[1] == 0 and time[0] in said.numbers):
                continue
            if said.empty:
                out.append(
                    (
                        "number-unverified",
                        Severity.INFO,
                        f"cannot verify the time {_fmt_time(time)} of the source",
                        "check that the translation states the same time",
                    )
                )
            else:
                out.append(
                    (
                        "number-mismatch",
                        Severity.ERROR,
                        f"the source says {_fmt_time(time)}, the translation does not",
                        f"write the time {_fmt_time(time)} as the source does",
                    )
                )
        for number in sorted(english.numbers - values):
            if said.empty or not said.words_known:
                out.append(
                    (
                        "number-unverified",
                        Severity.INFO,
                        f"cannot verify the number {number} of the source",
                        "check that the translation states the same number",
                    )
                )
            else:
                out.append(
                    (
                        "number-mismatch",
                        Severity.ERROR,
                        f"the source says {number}, the translation does not",
                        f"keep the number {number}",
                    )
                )
        allowed = (
            english.values()
            | {h + 12 for h, _ in english.times}
            | {h % 12 for h, _ in english.times}
        )
        allowed |= {v for t in scheduled for v in t} | _schedule_values(schedule)
        for time in sorted(said.times - english.times - scheduled):
            if time[0] not in allowed or time[1] not in allowed | {0}:
                out.append(
                    (
                        "number-mismatch",
                        Severity.ERROR,
                        f"the translation says {_fmt_time(time)}, the source does not",
                        "state the time the source states",
                    )
                )
        for number in sorted(said.numbers - allowed):
            if str(number) in translation:
                out.append(
                    (
                        "number-mismatch",
                        Severity.ERROR,
                        f"the translation says {number}, the source does not",
                        "remove the number or use the source's",
                    )
                )
    if schedule is not None and schedule.at and said.times and not scheduled & said.times:
        out.append(
            (
                "schedule-mismatch",
                Severity.ERROR,
                f"the text gives {', '.join(_fmt_time(t) for t in sorted(said.times))}, "
                f"the catalogue's schedule runs at {schedule.at}",
                f"state {schedule.at}, or correct the catalogue if the schedule changed",
            )
        )
    return out


def check_text(
    *,
    source: str | None,
    translation: str,
    locale: str,
    subject: str,
    location: Location,
    schedule: Schedule | None = None,
    protected: Iterable[str] | ProtectedIds = (),
    interchangeable: Iterable[str] = (),
    markup: bool = False,
    format_placeholders: bool = True,
) -> list[Problem]:
    """Check one translated text; every finding, never just the first.

    ``markup`` is True for text read from Markdown or HTML, where named entities such as
    ``&lt;`` or ``&reg;`` are deliberate writing, not leftovers.

    Args:
        source: the English text, or None when unknown (page rows without a source).
        translation: the translated text.
        locale: CLDR locale of the translation.
        subject: canonical id the text belongs to (reported with each finding).
        location: where the translation is (file:line).
        schedule: the catalogue's schedule, to check times against.
        protected: identifiers that must never be translated (every workflow id).
        interchangeable: placeholders that may stand in for each other.
        format_placeholders: False when ``{name}`` and ``%s`` placeholders are checked
            elsewhere (translate-toolkit's ``pythonbraceformat`` and ``printf`` in PO files);
            ``<name>`` placeholders are checked either way.

    Returns:
        Problems with stable codes (see the module docstring).
    """
    found: list[tuple[str, Severity, str, str]] = []
    if not isinstance(protected, ProtectedIds):
        protected = ProtectedIds(protected)
    if source and not translation.strip():
        found.append(
            (
                "empty-translation",
                Severity.ERROR,
                "the translation is only whitespace",
                "translate the text or leave the entry empty",
            )
        )
    repaired = repair_text(translation)
    if "&" in translation:
        without = _ENTITY.sub("", translation)
        fixed_encoding = repair_text(without) != without
    else:
        fixed_encoding = repaired != translation
    if fixed_encoding:
        found.append(
            (
                "encoding-damage",
                Severity.ERROR,
                "the text has encoding damage (mojibake)",
                f"repair it to: {repaired}",
            )
        )
    entities = [
        e
        for e in (_ENTITY.findall(translation) if "&" in translation else ())
        if (source is None or e not in source)
        # In Markdown or HTML a named entity (&lt;, &reg;) is deliberate writing; a numeric
        # one for plain punctuation (&#39;) is what translation tools leave behind.
        and not (markup and (not e.startswith("&#") or html.unescape(e) in "<>&"))
    ]
    if entities:
        found.append(
            (
                "html-entity",
                Severity.ERROR,
                f"leftover HTML entit{'y' if len(entities) == 1 else 'ies'} {', '.join(entities)}",
                f"write the characters themselves: {repaired}",
            )
        )
    tags = _tags(translation) if "<" in translation else []
    bad = _unbalanced(tags)
    if bad:
        found.append(
            (
                "markup-mismatch",
                Severity.ERROR,
                f"unbalanced markup: {', '.join(bad)}",
                "close every tag the text opens",
            )
        )
    elif (
        source is not None
        and (tags or protected.facts(source).tag_names)
        and Counter(n for _, n in tags) != protected.facts(source).tag_names
    ):
        found.append(
            (
                "markup-mismatch",
                Severity.ERROR,
                "the markup differs from the source",
                "keep the source's tags around the same words",
            )
        )
    if source is not None:
        facts = protected.facts(source)
        if format_placeholders:
            want, have = facts.placeholders, _placeholders(translation)
        else:
            want, have = facts.angle_placeholders, _placeholders(translation, formats=False)
        free = set(interchangeable)
        if free:
            want = Counter({k: v for k, v in want.items() if k not in free})
            have = Counter({k: v for k, v in have.items() if k not in free})
        if want != have:
            missing = sorted((want - have).elements())
            extra = sorted((have - want).elements())
            what = "; ".join(
                part
                for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unexpected {', '.join(extra)}" if extra else "",
                )
                if part
            )
            found.append(
                (
                    "placeholder-changed",
                    Severity.ERROR,
                    f"placeholders differ: {what}",
                    "keep every placeholder exactly as the source writes it",
                )
            )
        tokens = protected.facts(source).tokens
        for token in tokens:
            if token not in repaired:
                found.append(
                    (
                        "identifier-changed",
                        Severity.ERROR,
                        f"{token!r} of the source is missing: translated or altered?",
                        f"keep {token!r} unchanged; it is a name, not a word",
                    )
                )
        if source.strip() == source and translation.strip() != translation and translation.strip():
            found.append(
                (
                    "whitespace",
                    Severity.WARNING,
                    "leading or trailing whitespace unlike the source",
                    "remove the surrounding whitespace",
                )
            )
        if (
            translation.strip() == source.strip()
            and not locale.startswith("en")
            and len([w for w in _WORDS.findall(source) if not any(w in t for t in tokens)]) >= 3
        ):
            found.append(
                (
                    "identical-to-source",
                    Severity.WARNING,
                    "the translation is the English text",
                    "translate it, or leave the entry empty so it counts as untranslated",
                )
            )
    found.extend(
        _quantity_checks(
            source,
            repaired,
            locale,
            schedule,
            protected.facts(source).quantities if source is not None else None,
        )
    )
    return [
        _problem(code, severity, message, location=location, subject=subject, hint=hint)
        for code, severity, message, hint in found
    ]
