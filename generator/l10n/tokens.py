"""What a translation must keep of its English source: product names, protected ids,
markup tags and placeholders; and the repair of encoding damage and leftover entities.

Shared by the text checks (``textchecks``), the glossary and the page fixes.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import ftfy
from ftfy.badness import is_bad

from .numbers import Quantities, english_quantities

__all__ = [
    "ENTITY",
    "HTML_TAGS",
    "PRODUCT_NAMES",
    "ProtectedIds",
    "SourceFacts",
    "markup_tags",
    "placeholders_of",
    "protected_tokens",
    "repair_text",
]

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
# Tags that are markup; other <words> are placeholders.
HTML_TAGS = frozenset(
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
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
_ANGLE_PLACEHOLDER = re.compile(r"<([A-Za-z_][\w-]*)>")
_BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}|%\(\w+\)[sd]|%[sd]")
ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,7});")
# camelCase, snake_case, schema:names and dotted.names: shapes prose never has.
_IDENTIFIER = re.compile(
    r"(?<![\w:.])(?:[a-z]+[A-Z]\w*|[A-Za-z]+_\w+|[a-z]{2,}:[A-Za-z]\w*|[a-z]\w*\.[a-z]\w*\.\w+)(?![\w:])"
)
_QUOTED = re.compile(r"['‘`\"“](\w[\w-]*)['’`\"”]")


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
        return ENTITY.sub(lambda m: html.unescape(m.group(0)), text) if "&" in text else text
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
    return ENTITY.sub(lambda m: html.unescape(m.group(0)), fixed)


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
        self._facts: dict[str, SourceFacts] = {}

    def facts(self, source: str) -> SourceFacts:
        """What the checks need of an English ``source``, read once and remembered."""
        found = self._facts.get(source)
        if found is None:
            found = self._facts[source] = SourceFacts(
                tokens=protected_tokens(source, self),
                placeholders=placeholders_of(source),
                angle_placeholders=placeholders_of(source, formats=False),
                tag_names=Counter(n for _, n in markup_tags(source)),
                quantities=english_quantities(source),
            )
        return found


@dataclass(frozen=True)
class SourceFacts:
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


def markup_tags(text: str) -> list[tuple[str, str]]:
    return [
        (m.group(1) or ("/" if m.group(3) else ""), m.group(2).lower())
        for m in _TAG.finditer(text)
        if m.group(2).lower() in HTML_TAGS
    ]


def placeholders_of(text: str, formats: bool = True) -> Counter[str]:
    if "{" not in text and "%" not in text and "<" not in text:
        return Counter()
    found = Counter(m.group(0) for m in _BRACE_PLACEHOLDER.finditer(text)) if formats else Counter()
    found.update(
        m.group(0) for m in _ANGLE_PLACEHOLDER.finditer(text) if m.group(1).lower() not in HTML_TAGS
    )
    return found
