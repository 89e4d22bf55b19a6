"""Generic checks of a translation, from translate-toolkit (the checks ``pofilter`` runs).

wfgen keeps its own checks only where they know something translate-toolkit cannot: the
catalogue (ids, schedules), documentation placeholders (``<external_account_name>``), HTML
markup, number words and clock formats, encoding damage. Everything generic comes from
``translate.filters.checks.StandardChecker``, under pofilter's own test names as codes.

Severities follow translate-toolkit's categories: critical -> error, functional ->
warning, cosmetic -> info. ``[tool.wfgen.l10n]`` (see :func:`load_config`) turns codes off
or back on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem, Severity

__all__ = [
    "DEFAULT_OFF",
    "GENERIC_CHECKS",
    "CheckConfig",
    "GenericChecker",
    "load_config",
]

# pofilter test -> (severity, hint). Only tests that compare a source and a translation.
GENERIC_CHECKS: dict[str, tuple[Severity, str]] = {
    "pythonbraceformat": (Severity.ERROR, "use exactly the source's {placeholders}"),
    "printf": (Severity.ERROR, "use exactly the source's %-placeholders, in a valid order"),
    "escapes": (Severity.ERROR, "keep the source's escapes (\\n, \\t, ...)"),
    "newlines": (Severity.ERROR, "keep the source's line breaks"),
    "tabs": (Severity.ERROR, "keep the source's tabs"),
    "acronyms": (Severity.WARNING, "keep the acronym unless the language writes it otherwise"),
    "sentencecount": (Severity.WARNING, "translate every sentence, and add none"),
    "urls": (Severity.WARNING, "keep every URL of the source"),
    "emails": (Severity.WARNING, "keep every e-mail address of the source"),
    "brackets": (Severity.INFO, "keep the source's brackets, unless the language needs others"),
    "doublequoting": (Severity.INFO, "quote what the source quotes (in the language's quotes)"),
    "singlequoting": (Severity.INFO, "quote what the source quotes (in the language's quotes)"),
    "doublespacing": (Severity.INFO, "use single spaces, as the source does"),
    "endpunc": (Severity.INFO, "end as the source ends (full stop, colon, none)"),
    "startpunc": (Severity.INFO, "start as the source starts"),
    "puncspacing": (Severity.INFO, "space punctuation as the language does"),
    "startcaps": (Severity.INFO, "start with a capital where the source does"),
    "simplecaps": (Severity.INFO, "check the capitalisation"),
    "simpleplurals": (Severity.INFO, "say the plural as the language does, without '(s)'"),
    "xmltags": (Severity.ERROR, "keep the source's tags"),
    "numbers": (Severity.WARNING, "keep the source's numbers"),
}

# Off unless turned on, each with the reason (docs/commands/l10n.md lists them too).
DEFAULT_OFF: dict[str, str] = {
    "simplecaps": "languages capitalise differently (German nouns); too noisy to be useful",
    "xmltags": "markup-mismatch and placeholder-changed know HTML from <placeholders>",
    "numbers": "number-mismatch reads number words, clock formats and the schedule",
}

# A check runs only when its trigger finds something in the source or the translation:
# one of its characters, or a match of its pattern. Without one the check cannot fail
# (each test looks at exactly these); texts seldom have any, and at 100,000 entries the
# tests are costly. A test checks that the findings are the same with and without this.
_VARIABLES = frozenset("{}%&$_~<")  # what the toolkit's filters remove, changing the rest


@dataclass(frozen=True)
class _Trigger:
    chars: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None
    source_only: bool = False  # the test looks only at what the source has


_ALWAYS = None
_TRIGGERS: dict[str, _Trigger | None] = {
    "pythonbraceformat": _Trigger(frozenset("{}")),
    "printf": _Trigger(frozenset("%")),
    "escapes": _Trigger(frozenset("\\")),
    "newlines": _Trigger(frozenset("\r\n")),
    "tabs": _Trigger(frozenset("\t")),
    # An all-capital word of two or more characters (any non-ASCII source: always).
    "acronyms": _Trigger(
        pattern=re.compile(r"[A-Z][^a-z\s]|[^a-z\s][A-Z]|[^\x00-\x7f]"), source_only=True
    ),
    # Two sentences or more, or none (no letter or digit at all).
    "sentencecount": _Trigger(pattern=re.compile(r"[.!?。！？؟]\s|^[\W_]*$")),
    "urls": _Trigger(pattern=re.compile(r"://|www\.", re.IGNORECASE)),
    "emails": _Trigger(frozenset("@")),
    "brackets": _Trigger(frozenset("[](){}")),
    "doublequoting": _Trigger(frozenset('"“”„«»‟〝〞＂')),
    "singlequoting": _Trigger(frozenset("'‘’‚‹›`")),
    "doublespacing": _Trigger(pattern=re.compile("  ")),
    # Punctuation at either end (texts starting and ending with a letter or digit match).
    "endpunc": _Trigger(_VARIABLES, re.compile(r"[^\w\s]\s*$")),
    "startpunc": _Trigger(_VARIABLES, re.compile(r"^\s*[^\w\s]")),
    # Punctuation followed by a space.
    "puncspacing": _Trigger(_VARIABLES, re.compile(r"[^\w\s][ \u00a0]")),
    "startcaps": _ALWAYS,
    "simplecaps": _ALWAYS,
    "simpleplurals": _Trigger(pattern=re.compile(r"\(s\)"), source_only=True),
    "xmltags": _Trigger(frozenset("<")),
    "numbers": _Trigger(pattern=re.compile(r"\d")),
}


@dataclass(frozen=True)
class CheckConfig:
    """Which check codes are off: ``disable`` adds to the defaults, ``enable`` removes."""

    disable: frozenset[str] = frozenset()
    enable: frozenset[str] = frozenset()
    source: str = ""

    def is_on(self, code: str) -> bool:
        """True when ``code`` is reported."""
        if code in self.enable:
            return True
        return code not in self.disable and code not in DEFAULT_OFF


def load_config(start: Path, *, known: Iterable[str] = ()) -> CheckConfig:
    """Read ``[l10n]`` of the project's ``wfgen.toml`` (or ``[tool.wfgen.l10n]`` of its
    ``pyproject.toml``): the project file found from ``start`` upward, as every command
    finds it (``config.find_config``).

    Args:
        start: a folder inside the project (the catalogue folder).
        known: every valid check code; others are a configuration error.

    Raises:
        UsageError: for an unreadable file or invalid TOML, located.
        InputError: for a wrong type or an unknown code, located.
    """
    from ..config import CONFIG_NAME, find_config, key_location, read_settings

    path = find_config(start)
    if path is None:
        return CheckConfig()
    settings, text = read_settings(path)
    name = "l10n" if path.name == CONFIG_NAME else "tool.wfgen.l10n"
    table: object = settings.get("l10n", {})
    if not isinstance(table, dict):
        raise InputError(f"[{name}] must be a table", location=key_location(path, text, "l10n"))
    if not table:
        return CheckConfig()
    sets: dict[str, frozenset[str]] = {}
    for key in sorted(table):
        value = table[key]
        where = key_location(path, text, key, table="l10n")
        if key not in ("disable", "enable"):
            raise InputError(
                f"[{name}] unknown key {key!r}",
                location=where,
                hint="known keys: disable, enable",
            )
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(
                f"[{name}] {key} must be a list of check codes",
                location=where,
                hint='write e.g. disable = ["startpunc", "simplecaps"]',
            )
        unknown = sorted(set(value) - set(known)) if known else []
        if unknown:
            raise InputError(
                f"[{name}] {key}: unknown check code {', '.join(map(repr, unknown))}",
                location=where,
                hint="docs/commands/l10n.md lists every code of `wfgen l10n check`",
            )
        sets[key] = frozenset(value)
    return CheckConfig(sets.get("disable", frozenset()), sets.get("enable", frozenset()), path.name)


@dataclass
class GenericChecker:
    """translate-toolkit's checks for one target language, as wfgen problems."""

    locale: str
    config: CheckConfig = field(default_factory=CheckConfig)

    def __post_init__(self) -> None:
        from translate.filters.checks import CheckerConfig, StandardChecker

        checker = StandardChecker(CheckerConfig(targetlanguage=self.locale))
        on = [code for code in GENERIC_CHECKS if self.config.is_on(code)]
        self._tests: list[tuple[str, Callable[[str, str], object]]] = [
            (code, self._test(checker, code)) for code in on
        ]
        triggers = {code: _TRIGGERS[code] for code in on}
        self._always = frozenset(code for code, t in triggers.items() if t is None)
        self._by_chars = [(t.chars, code) for code, t in triggers.items() if t and t.chars]
        self._any_char = frozenset().union(*(chars for chars, _ in self._by_chars))
        self._by_pattern = [
            (t.pattern, t.source_only, code) for code, t in triggers.items() if t and t.pattern
        ]

    def _test(self, checker: Any, code: str) -> Callable[[str, str], object]:
        """The toolkit's test ``code``; a few see the texts as the language writes them."""
        from .abbreviations import mask_abbreviations

        test: Callable[[str, str], object] = getattr(checker, code)
        if code == "sentencecount":
            # Blind to each language's abbreviations: "kl. {times}" is one sentence.
            def counted(source: str, translation: str) -> object:
                return test(
                    mask_abbreviations(source, "en"), mask_abbreviations(translation, self.locale)
                )

            return counted
        return test

    def _fired(self, source: str, translation: str) -> set[str]:
        """The tests that can fail on this pair (see ``_TRIGGERS``)."""
        fired = set(self._always)
        chars = set(source)
        chars.update(translation)
        if not self._any_char.isdisjoint(chars):  # most texts have none of these at all
            fired.update(code for wanted, code in self._by_chars if not wanted.isdisjoint(chars))
        for pattern, source_only, code in self._by_pattern:
            if code not in fired and (
                pattern.search(source) or (not source_only and pattern.search(translation))
            ):
                fired.add(code)
        return fired

    def check(
        self, source: str, translation: str, *, location: Location, subject: str
    ) -> list[Problem]:
        """Every generic finding on one translated text."""
        from translate.filters.checks import FilterFailure

        found: list[Problem] = []
        fired = self._fired(source, translation)
        for code, test in self._tests:
            if code not in fired:
                continue
            try:
                test(source, translation)
            except FilterFailure as failure:
                severity, hint = GENERIC_CHECKS[code]
                message = "; ".join(str(m) for m in failure.messages) or code
                found.append(
                    Problem(location, message, severity, code=code, hint=hint, subject=subject)
                )
        return found
