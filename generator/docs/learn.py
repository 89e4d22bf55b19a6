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

from ..catalog import Catalog
from . import evidence as ev
from .model import Page

__all__ = ["LearnedLabels", "learn_labels"]


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
    owners: dict[str, dict[str, Counter[str]]] = {}  # locale -> folded label -> workflow ids
    spelled: dict[str, dict[tuple[str, str], Counter[str]]] = {}  # (wid, folded) -> spellings
    for page in pages:
        if page.locale.split("_")[0] == "en":
            continue
        counts = Counter(row.documented_id for row in page.rows)
        for row in page.rows:
            workflow = catalog.by_spelling(row.documented_id)
            key = ev.fold(row.label)
            if workflow is None or counts[row.documented_id] > 1 or not key:
                continue
            owners.setdefault(page.locale, {}).setdefault(key, Counter())[workflow.id] += 1
            spelled.setdefault(page.locale, {}).setdefault((workflow.id, key), Counter())[
                row.label
            ] += 1
    learned: dict[str, dict[str, tuple[str, ...]]] = {}
    for locale, labels in sorted(owners.items()):
        per_workflow: dict[str, list[tuple[int, str]]] = {}
        for key, workflows in labels.items():
            if len(workflows) != 1:
                continue
            wid, seen = next(iter(workflows.items()))
            text = spelled[locale][(wid, key)].most_common(1)[0][0]
            per_workflow.setdefault(wid, []).append((seen, text))
        learned[locale] = {
            wid: tuple(text for _, text in sorted(found, key=lambda t: (-t[0], t[1])))
            for wid, found in sorted(per_workflow.items())
        }
    return LearnedLabels(learned)
