"""Turn the markup of documentation pages into clean text, keeping what was damaged visible.

Pages mix Markdown, Adobe's ``[!UICONTROL ...]`` extensions and HTML; machine translation adds
HTML entities (``l&#39;esecuzione``) and encoding damage (``attivit√†``). ``clean`` gives the
text a reader sees; callers keep the raw cell so text checks can still report the damage.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import ftfy
from ftfy.badness import is_bad

__all__ = [
    "clean",
    "drop_comments",
    "remove_invisible",
    "repair",
    "split_heading",
    "strip_markup",
]

# Only real HTML tag names are stripped: ``mcSynch_<external_account_name>`` is an id, not a tag.
_TAGS = (
    "a|b|br|code|div|em|i|img|li|ol|p|span|strong|sub|sup|table|tbody|td|th|thead|tr|u|ul|"
    "h[1-6]|blockquote|pre|hr|kbd|small|font|center"
)
_TAG = re.compile(rf"</?(?:{_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_BREAKS = re.compile(r"<(?:br|/p|/li|li|/div|/tr|/td)\b[^<>]*>", re.IGNORECASE)
# Every pattern over page text runs in linear time: a bracketed part cannot hold its own
# opening bracket, so a flood of ``[`` (or ``{#``) is scanned once, not once per bracket.
_ADOBE = re.compile(r"\[!(?:UICONTROL|DNL)\s+([^\[\]]*)\]")
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^)\[\]]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^)\[\]]*\)")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|`")
_ANCHOR = re.compile(r"\{#[^{}]*\}")
_SPACES = re.compile(r"\s+")
# Zero-width characters translation tools insert, as characters or as entities.
_INVISIBLE = re.compile(
    r"[\u200b\u200c\u200d\u2060\ufeff]|&#x200[bcd];|&#820[345];|&#x2060;|&#8288;"
    r"|&ZeroWidthSpace;|&zwnj;|&zwj;|&NoBreak;",
    re.IGNORECASE,
)


def drop_comments(text: str) -> str:
    """``text`` with each HTML comment replaced by a space; an unclosed one is kept.

    A scan with ``str.find`` rather than ``<!--.*?-->``: the lazy pattern rescans the rest of
    the text from every unclosed ``<!--``, quadratic in a page of them.
    """
    if "<!--" not in text:
        return text
    parts: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        parts.append(text[position:start])
        parts.append(" ")
        position = end + 3
    parts.append(text[position:])
    return "".join(parts)


def split_heading(line: str) -> tuple[int, str, str] | None:
    """``(level, title, anchor)`` of a Markdown heading ``## Title {#anchor}``, else None.

    String operations where a pattern (``\\s*`` on both sides of a lazy title) backtracked
    cubically on a long run of spaces. The anchor is the first ``{#`` that runs to the
    closing ``}`` at the end of the line, as the pattern read it.
    """
    line = line.strip()
    level = len(line) - len(line.lstrip("#"))
    if not 1 <= level <= 6 or len(line) == level or not line[level].isspace():
        return None
    title = line[level:].strip()
    anchor = ""
    if title.endswith("}"):
        body = title[:-1]
        opened = body.find("{#", body.rfind("}") + 1)
        if opened >= 0:
            anchor = body[opened + 2 :]
            title = body[:opened].rstrip()
    return level, title, anchor


def remove_invisible(text: str) -> str:
    """``text`` without zero-width characters (written raw or as HTML entities)."""
    return _INVISIBLE.sub("", text)


@lru_cache(maxsize=1 << 16)
def strip_markup(text: str) -> str:
    """Remove HTML tags, Markdown emphasis, links and Adobe extensions; keep entities as written.

    Args:
        text: a fragment of a page.

    Returns:
        The fragment's words with single spaces, entities and damage untouched.
    """
    text = drop_comments(text)
    text = _BREAKS.sub(" ", text)
    text = _TAG.sub("", text)
    text = _ADOBE.sub(r"\1", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _ANCHOR.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = text.replace("\\|", "|")
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=1 << 16)
def repair(text: str) -> str:
    """Decode HTML entities and undo encoding damage (mojibake), leaving quotes as written.

    ftfy judges a whole string at once, so one well-formed curly quote can hide the damage in
    the next word; words that still look damaged are repaired one by one. Page versions
    repeat most of their texts, hence the cache.
    """
    if text.isascii() and text.isprintable() and "&" not in text:
        # Printable ASCII has no entity, no mojibake and nothing ftfy would change.
        return text
    text = html.unescape(html.unescape(text))
    fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_character_width=False)
    if not is_bad(fixed):
        return fixed
    words = [ftfy.fix_encoding(w) if is_bad(w) else w for w in fixed.split(" ")]
    return " ".join(words)


@lru_cache(maxsize=1 << 16)
def clean(text: str) -> str:
    """Markup stripped, entities decoded and damage repaired: the text a reader sees."""
    return _SPACES.sub(" ", remove_invisible(repair(strip_markup(text)))).strip()
