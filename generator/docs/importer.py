"""What ``wfgen docs import`` takes from localized pages for the PO files (the use case,
reading the pages and writing the PO files, is ``commands.docs_import``).

Decisions:
- Entries are written under the canonical id the aligner found, never the documented one;
  unresolved rows are skipped and reported.
- Pages write the schedule sentence into the description, and "for more information, see
  <link>" pointers; the catalogue keeps the schedule apart (``schedule_source``) and has no
  pointers. Sentences carrying a link are dropped first; then a description is imported
  when its sentences line up with the English: as many as the catalogue's description
  (taken whole), or that many plus the schedule sentence, which is dropped (the sentence
  that states the schedule's numbers, else the last). Anything else is reported, not imported.
- A module page's title translates the module's name; table header words translate the
  reference tables' fixed words (``ui|label``, ``ui|internal-name``, ``ui|description``).
- A page whose product words a label or description differently from the catalogue's
  main text (a per-product variant) gives no translation of the main text.
- Text left in English is not a translation and is not imported.
- Pages are read in the order given: the first page to translate an entry wins (so the
  pages you trust most go first); later different ones are kept as ``alternative``
  translator comments and the entry awaits review (``#, fuzzy`` plus a ``(review)``
  comment, see review.py). Repaired text (encoding damage, entities) awaits review too.
  A review entry is fuzzy in Poedit, Weblate and ``stats``; the build uses it, as it is
  what the documentation says, until a translator confirms or corrects it.
- Alignment does not use labels from the PO files being written, so a second run sees
  the same evidence as the first and changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.catalog import Message as PoMessage

from ..l10n.messages import UI_WORDS, Message, source_hash
from ..l10n.po import (
    HASH_PREFIX,
    IMPORT_PREFIX,
    parse_locale,
)
from ..l10n.review import clear_review, mark_review
from ..model import Catalog, Workflow
from .align import CONFIDENT
from .model import Page
from .results import PageReport

__all__ = [
    "ImportEvent",
    "Offer",
    "apply_offer",
    "page_offers",
    "same_text",
    "sending_offers",
    "site_title",
    "split_sentences",
]

ALTERNATIVE_PREFIX = "alternative from "
# A row mapped by evidence (not named exactly) replaces a translation only when this sure.
OVERWRITE_CONFIDENT = 0.8
REPAIRED_NOTE = "repaired on import (encoding damage or HTML entities); review it"
# Header cells of the documentation's own tables, by layout: which fixed word each cell is.
_HEADER_WORDS = {
    "html-table": ("label", "internal-name", "description"),
    "id-table": ("label", None, "description"),
    "list-table": (None, "package", "description"),
}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\s]+(?=[^\s\da-zäöüåàèéìòù(])")


@dataclass(frozen=True)
class ImportEvent:
    """What happened to one row field: imported, kept, conflict, skipped..."""

    page: str
    line: int
    kind: str
    context: str
    message: str

    def __str__(self) -> str:
        where = f"{self.page}:{self.line}" if self.line else self.page
        return (
            f"{where}: {self.kind}: {self.context}: {self.message}"
            if self.context
            else f"{where}: {self.kind}: {self.message}"
        )


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences at a full stop followed by a capitalised word."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def _variant_text(workflow: Workflow, product: str | None, name: str) -> str | None:
    variant = workflow.variant(product) if product else None
    value = getattr(variant, name) if variant is not None else None
    return str(value) if value is not None and value != getattr(workflow, name) else None


def _schedule_sentence(workflow: Workflow, product: str | None) -> str:
    variant = workflow.variant(product) if product else None
    source = (
        variant.schedule_source
        if variant is not None and variant.schedule_source
        else workflow.schedule_source
    )
    return source.text if source is not None else ""


def _schedule_like(sentence: str, workflow: Workflow, product: str | None, locale: str) -> bool:
    from ..l10n.numbers import translated_quantities
    from ..schedules import Schedule

    schedule = workflow.schedule_for([product] if product else [])
    said = translated_quantities(sentence, locale)
    if said.empty or not isinstance(schedule, Schedule):
        return False
    stated = {schedule.day, schedule.minute, schedule.minutes, schedule.hours}
    for value in (schedule.at, schedule.between.start if schedule.between else None):
        if value:
            stated.add(int(value[:2]) % 12 or 12)
            stated.add(int(value[:2]))
    return bool(said.values() & {v for v in stated if v is not None})


def _description(
    text: str, links: tuple[str, ...], workflow: Workflow, product: str | None, locale: str
) -> tuple[str | None, str]:
    """The part of a page description that translates the catalogue's description."""
    want = len(split_sentences(workflow.description))
    have = split_sentences(text)
    if links and len(have) > want:
        have = [s for s in have if not any(link in s for link in links)] or have
    extra = len(split_sentences(_schedule_sentence(workflow, product)))
    if len(have) == want:
        return " ".join(have), ""
    if extra == 1 and len(have) == want + 1:
        # The schedule sentence is the one stating the schedule's numbers, else the last.
        drop = next(
            (i for i, s in enumerate(have) if _schedule_like(s, workflow, product, locale)),
            len(have) - 1,
        )
        return " ".join(s for i, s in enumerate(have) if i != drop), ""
    return None, (
        f"{len(have)} sentence(s) on the page, {want} in the English description"
        + (f" plus {extra} of schedule" if extra else "")
        + "; not imported"
    )


@dataclass
class Offer:
    context: str
    text: str
    page: str
    line: int
    repaired: bool
    sure: bool = True  # the row was named exactly or mapped with strong evidence


def sending_offers(
    path: Path, *, locale: str | None, catalog_dir: Path
) -> tuple[str, list[Offer]] | None:
    """The offers of "Confirming the send" (``path``), or None when it is another page."""
    from .sending_page import sending_translations

    # "Confirming the send" has no workflow table; its strings go to the sending contexts.
    sending = sending_translations(path, locale=locale, catalog_dir=catalog_dir)
    if sending is None:
        return None
    found, pairs = sending
    return str(parse_locale(found)), [
        Offer(c, t, path.as_posix(), line, False) for c, t, line in pairs
    ]


def page_offers(  # noqa: PLR0912, PLR0915 - every reason a translation is offered or skipped, said in the one place they are decided
    page: Page, report: PageReport, catalog: Catalog, events: list[ImportEvent]
) -> tuple[str, list[Offer]]:
    from .markup import clean

    path = page.path
    locale = str(parse_locale(page.locale))
    name = path.as_posix()
    if locale.split("_", maxsplit=1)[0] == "en":
        events.append(
            ImportEvent(name, 0, "skipped", "", "English pages are the source; nothing to import")
        )
        return locale, []
    offers: list[Offer] = []
    module = catalog.module(report.module) if report.module else None
    if module is not None and page.layout != "list-table" and page.title.strip():
        if same_text(page.title, module.name):
            events.append(
                ImportEvent(
                    name,
                    1,
                    "untranslated",
                    f"module|{module.key}",
                    "the page leaves the module name in English",
                )
            )
        else:
            offers.append(Offer(f"module|{module.key}", page.title.strip(), name, 1, False))
    # A list page's title is the name of the whole reference ("Technical workflows").
    if (
        page.layout == "list-table"
        and page.title.strip()
        and not same_text(page.title, UI_WORDS["index-title"])
    ):
        offers.append(Offer("ui|index-title", page.title.strip(), name, 1, False))
    if page.rows:
        for word, header in zip(_HEADER_WORDS.get(page.layout, ()), page.headers, strict=False):
            english = UI_WORDS.get(word or "")
            if english and header.strip() and not same_text(header, english):
                offers.append(Offer(f"ui|{word}", header.strip(), name, page.rows[0].line, False))
    for result in report.rows:
        row = result.row
        if result.status == "unknown":
            events.append(
                ImportEvent(
                    name,
                    row.line,
                    "unknown",
                    "",
                    f"row {row.documented_id!r}: the id is not in the catalogue; skipped",
                )
            )
            continue
        if result.status == "unresolved" or result.canonical_id is None:
            events.append(
                ImportEvent(
                    name,
                    row.line,
                    "unresolved",
                    "",
                    f"row {row.documented_id!r} maps to no workflow with confidence; skipped",
                )
            )
            continue
        workflow = catalog.get(result.canonical_id)
        if workflow is None:
            continue
        if result.confidence < CONFIDENT:
            events.append(
                ImportEvent(
                    name,
                    row.line,
                    "skipped",
                    f"{workflow.id}|label",
                    f"row {row.documented_id!r} maps to `{workflow.id}` with confidence "
                    f"{result.confidence:.2f}, below {CONFIDENT}; skipped",
                )
            )
            continue
        # Only a row named exactly, or mapped with strong evidence, may replace a translation.
        sure = result.status == "ok" or result.confidence >= OVERWRITE_CONFIDENT
        fields = (
            ("label", row.label, row.raw_label),
            ("description", row.description, row.raw_description),
        )
        for field_name, text, raw in fields:
            context = f"{workflow.id}|{field_name}"
            if not text.strip():
                continue
            if _variant_text(workflow, report.product, field_name) is not None:
                events.append(
                    ImportEvent(
                        name,
                        row.line,
                        "skipped",
                        context,
                        f"the {report.product} page words the English differently",
                    )
                )
                continue
            if field_name == "description":
                part, why = _description(text, row.links, workflow, report.product, locale)
                if part is None:
                    events.append(ImportEvent(name, row.line, "skipped", context, why))
                    continue
            else:
                part = text
            if part.strip() == getattr(workflow, field_name).strip():
                events.append(
                    ImportEvent(
                        name, row.line, "untranslated", context, "the page leaves it in English"
                    )
                )
                continue
            repaired = " ".join(raw.split()) != " ".join(clean(raw).split()) if raw else False
            offers.append(Offer(context, part, name, row.line, repaired, sure))
    return locale, offers


def _words(text: str) -> str:
    return " ".join(text.split())


def same_text(a: str, b: str) -> bool:
    # Case, spacing and a final full stop are not a different translation.
    return _words(a).rstrip(".").casefold() == _words(b).rstrip(".").casefold()


# long: merging offers into one PO catalogue: new, same, changed and fuzzy entries
def apply_offer(
    entry: PoMessage,
    offer: Offer,
    message: Message,
    *,
    fresh: set[str],
    overwrite: bool,
    events: list[ImportEvent],
) -> None:
    current = entry.string if isinstance(entry.string, str) else ""
    comments = list(entry.user_comments)
    note = f"{IMPORT_PREFIX}{offer.page}"
    if same_text(current, offer.text):
        events.append(
            ImportEvent(offer.page, offer.line, "unchanged", offer.context, "already so translated")
        )
        return
    alternative = f"{ALTERNATIVE_PREFIX}{offer.page}: {offer.text}"
    # Babel wraps long comments over several lines; compare the words, not the lines.
    if current and _words(f": {offer.text}") in _words(" ".join(comments)):
        return
    if current and offer.context in fresh:
        # Two pages of this run disagree: keep the first, flag it, keep the other in view.
        entry.user_comments = [*comments, alternative]
        mark_review(entry, "another page translates it differently; see the alternative")
        events.append(
            ImportEvent(
                offer.page,
                offer.line,
                "alternative",
                offer.context,
                "another page translates it differently; kept the first, flagged for review",
            )
        )
        return
    if current and overwrite and not offer.sure:
        events.append(
            ImportEvent(
                offer.page,
                offer.line,
                "conflict",
                offer.context,
                f"kept the existing translation {current!r}: the row's mapping to this workflow "
                f"is not strong enough to replace it (confidence below {OVERWRITE_CONFIDENT})",
            )
        )
        return
    if current and not overwrite:
        events.append(
            ImportEvent(
                offer.page,
                offer.line,
                "conflict",
                offer.context,
                f"kept the existing translation {current!r}; the page says {offer.text!r} "
                "(use --overwrite to replace it)",
            )
        )
        return
    entry.string = offer.text
    entry.user_comments = [
        c for c in comments if not c.startswith((IMPORT_PREFIX, ALTERNATIVE_PREFIX))
    ]
    entry.user_comments.append(note)
    clear_review(entry)
    entry.flags.discard("fuzzy")
    if offer.repaired:
        entry.user_comments.append(REPAIRED_NOTE)
        mark_review(entry, "repaired on import (encoding damage or HTML entities)")
    entry.previous_id = []
    entry.auto_comments = [c for c in entry.auto_comments if not c.startswith(HASH_PREFIX)]
    entry.auto_comments.append(f"{HASH_PREFIX}{source_hash(message.english)}")
    fresh.add(offer.context)
    events.append(
        ImportEvent(
            offer.page,
            offer.line,
            "replaced" if current else "imported",
            offer.context,
            "repaired and marked for review" if offer.repaired else "imported",
        )
    )


def site_title(po: PoCatalog, offers: list[Offer]) -> str | None:
    """The locale's title of the whole reference: offered by a page of this run, else the
    PO file's translation of ``ui|index-title``."""
    offered = next((o.text for o in offers if o.context == "ui|index-title"), None)
    if offered:
        return offered
    entry = po.get(UI_WORDS["index-title"], context="ui|index-title")
    found = entry.string if entry is not None and not entry.fuzzy else None
    return found if isinstance(found, str) and found else None
