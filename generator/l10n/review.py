"""Entries that await a translator's review, written the way translators' tools keep them.

A review entry is ``#, fuzzy`` plus a translator comment that starts with ``(review)``
and says why (translate-toolkit's own convention: ``pounit.markreviewneeded``)::

    # (review) another page translates it differently; see the alternative below
    #, fuzzy
    msgctxt "aliasCleansing|label"

Why this form: GNU ``msgmerge`` and ``msgcat``, Babel and translate-toolkit keep both the
fuzzy flag and translator comments (``msgmerge`` replaces ``#.`` extracted comments with
the template's, and drops flags gettext does not know, such as a bare ``review``); Poedit
shows fuzzy as "Needs work" and Weblate as "Needs editing". The comment tells a review
entry from one made fuzzy because its English changed (that one has a ``#| msgid``).

Once a translator clears the fuzzy flag (in Poedit, Weblate or by hand) the entry is
translated; the next write drops the leftover ``(review)`` comment.

The build uses a review entry (it is what the published documentation already says)
as long as it was made for the current English; ``stats`` counts it as fuzzy.
"""

from __future__ import annotations

from babel.messages.catalog import Message as PoMessage

from .messages import source_hash

__all__ = [
    "LEGACY_FLAG",
    "REVIEW_MARK",
    "clear_review",
    "mark_review",
    "needs_review",
    "normalise_review",
    "review_reasons",
    "usable_under_review",
]

REVIEW_MARK = "(review)"
# Earlier wfgen files said ``#, review``, a flag gettext tools drop; it is migrated on write.
LEGACY_FLAG = "review"
_ALTERNATIVE_REASON = "another page translates it differently; see the alternative"
_REPAIRED_REASON = "repaired on import (encoding damage or HTML entities)"
_IMPORTED_REASON = "imported from the documentation"


def _is_mark(comment: str) -> bool:
    return comment.strip().startswith(REVIEW_MARK)


def needs_review(entry: PoMessage) -> bool:
    """True when ``entry`` is fuzzy and carries a ``(review)`` comment (or the legacy flag)."""
    if LEGACY_FLAG in entry.flags:
        return True
    return bool(entry.fuzzy) and any(_is_mark(c) for c in entry.user_comments)


def review_reasons(entry: PoMessage) -> list[str]:
    """The reasons the ``(review)`` comments give, without the mark."""
    return [c.strip()[len(REVIEW_MARK) :].strip() for c in entry.user_comments if _is_mark(c)]


def mark_review(entry: PoMessage, reason: str) -> None:
    """Flag ``entry`` fuzzy and say why in a ``(review)`` translator comment (once per reason)."""
    entry.flags.discard(LEGACY_FLAG)
    entry.flags.add("fuzzy")
    note = f"{REVIEW_MARK} {reason}".strip()
    if note not in [c.strip() for c in entry.user_comments]:
        entry.user_comments = [*entry.user_comments, note]


def clear_review(entry: PoMessage) -> None:
    """Drop the review state: the ``(review)`` comments and the fuzzy flag they explain."""
    had = needs_review(entry)
    entry.flags.discard(LEGACY_FLAG)
    entry.user_comments = [c for c in entry.user_comments if not _is_mark(c)]
    if had and not entry.previous_id:
        entry.flags.discard("fuzzy")


def normalise_review(entry: PoMessage) -> None:
    """Write-time upkeep: migrate the legacy ``review`` flag; drop marks of reviewed entries."""
    if LEGACY_FLAG in entry.flags:
        said = " ".join(entry.user_comments)
        if "alternative from " in said:
            mark_review(entry, _ALTERNATIVE_REASON)
        elif "repaired on import" in said:
            mark_review(entry, _REPAIRED_REASON)
        else:
            mark_review(entry, _IMPORTED_REASON)
    elif not entry.fuzzy and any(_is_mark(c) for c in entry.user_comments):
        # A translator cleared the fuzzy flag: the review is done.
        entry.user_comments = [c for c in entry.user_comments if not _is_mark(c)]


def usable_under_review(entry: PoMessage) -> bool:
    """True for a review entry made for its msgid: fuzzy to be confirmed, not outdated.

    An entry that ``wfgen l10n update`` or ``msgmerge`` made fuzzy because the English
    changed has a previous msgid, or a source hash of other English; it is not usable.
    """
    if not needs_review(entry) or entry.previous_id:
        return False
    for comment in entry.auto_comments:
        if comment.startswith("source-hash: "):
            return comment[len("source-hash: ") :].strip() == source_hash(str(entry.id))
    return True
