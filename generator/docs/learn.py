"""What the pages of one run teach about their language, before any page is aligned.

A language without a PO file still names its workflows consistently: a row that writes a
canonical id gives that workflow's label in the page's language. Over many pages (every
module page and list page, every version) this gives labels for most workflows, which then
resolve the rows of other pages whose id was translated along with the label. Nothing here
knows a word of any language: labels are learnt from the rows that prove them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..model import Catalog
from . import evidence as ev
from .model import Page
from .results import PageReport

__all__ = ["TEACHES", "LearnedLabels", "learn_from_reports", "learn_labels"]

# A row mapped by evidence teaches its label (and its translated id) only when this sure.
TEACHES = 0.8


@dataclass(frozen=True)
class LearnedLabels:
    """Per locale: canonical id -> the labels that language's pages give it (plain, picklable)."""

    by_locale: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    def for_locale(self, locale: str) -> Mapping[str, tuple[str, ...]]:
        """The labels learnt for ``locale`` (empty when its pages taught nothing)."""
        return self.by_locale.get(locale, {})


def learn_labels(pages: Iterable[Page], catalog: Catalog) -> LearnedLabels:
    """Learn each language's labels from the rows that write a canonical id.

    A label is kept only when every row that gives it names the same workflow: a label
    two workflows share ("Tracking" for two rows) tells neither apart. English pages teach
    nothing (the catalogue has their labels); a row whose id repeats on its page is skipped.

    Args:
        pages: pages already read (any languages, any products, in any order).
        catalog: the canonical catalogue.

    Returns:
        Labels by locale, each workflow's labels in a stable order (most often seen first).
    """
    seen: list[tuple[str, str, str]] = []  # (locale, workflow id, label)
    for page in pages:
        if page.locale.split("_")[0] == "en":
            continue
        counts = Counter(row.documented_id for row in page.rows)
        for row in page.rows:
            workflow = catalog.by_spelling(row.documented_id)
            if workflow is not None and counts[row.documented_id] == 1:
                seen.append((page.locale, workflow.id, row.label))
    return _collect(seen)


def learn_from_reports(
    reports: Iterable[PageReport], catalog: Catalog, *, learned: LearnedLabels
) -> LearnedLabels:
    """Add what the aligned pages teach: the label and the translated id of every row mapped
    with confidence ``TEACHES`` or more, to the labels ``learned`` from exact rows.

    A translated id is usually the label's own words ("fatturazione", "帳單"), so a row that
    writes it on another page is recognised even where its label differs. A text that rows
    give to two different workflows is dropped, as in ``learn_labels``.
    """
    seen: list[tuple[str, str, str]] = [
        (locale, wid, text)
        for locale, labels in learned.by_locale.items()
        for wid, texts in labels.items()
        for text in texts
    ]
    for report in reports:
        if report.locale.split("_")[0] == "en":
            continue
        for result in report.rows:
            if (
                result.status != "mismatch"
                or result.canonical_id is None
                or result.confidence < TEACHES
                or catalog.get(result.canonical_id) is None
            ):
                continue
            seen.append((report.locale, result.canonical_id, result.row.label))
            if catalog.by_spelling(result.row.documented_id) is None:
                seen.append((report.locale, result.canonical_id, result.row.documented_id))
    return _collect(seen)


def _collect(seen: Iterable[tuple[str, str, str]]) -> LearnedLabels:
    owners: dict[str, dict[str, Counter[str]]] = {}  # locale -> folded text -> workflow ids
    spelled: dict[tuple[str, str, str], Counter[str]] = {}  # (locale, wid, folded) -> texts
    for locale, wid, text in seen:
        key = ev.fold(text)
        if not key:
            continue
        owners.setdefault(locale, {}).setdefault(key, Counter())[wid] += 1
        spelled.setdefault((locale, wid, key), Counter())[text] += 1
    learned: dict[str, dict[str, tuple[str, ...]]] = {}
    for locale, labels in sorted(owners.items()):
        per_workflow: dict[str, list[tuple[int, str]]] = {}
        for key, workflows in labels.items():
            if len(workflows) != 1:
                continue
            wid, count = next(iter(workflows.items()))
            text = spelled[(locale, wid, key)].most_common(1)[0][0]
            per_workflow.setdefault(wid, []).append((count, text))
        learned[locale] = {
            wid: tuple(text for _, text in sorted(found, key=lambda t: (-t[0], t[1])))
            for wid, found in sorted(per_workflow.items())
        }
    return LearnedLabels(learned)
