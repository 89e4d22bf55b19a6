"""Per product: the pages' workflows against the catalogue's entries -> findings and edits.

What is added, dropped and changed, and where it is written (entry or product variant), is
described in the package's docstring; this module does it on a :class:`CatalogTree`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import Location, Problem, Severity
from .pages import Documented, SourcePage, documented_workflows, page_text
from .sources import last_listing
from .tree import CatalogTree, Entry, quoted_schedule

__all__ = ["Finding", "sync_product"]


@dataclass(frozen=True)
class Finding:
    """One difference between the pages and the catalogue, at the page line that shows it."""

    product: str
    kind: str  # added | dropped | changed | unread
    workflow: str
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.product}: {self.kind} {self.workflow}: {self.message}"

    def to_problem(self) -> Problem:
        """The finding as a Problem (for --format json, sarif, github): a catalogue behind
        the pages is an error, a sentence not read a warning."""
        return Problem(
            location=self.location,
            message=f"{self.product}: {self.kind} {self.workflow}: {self.message}",
            severity=Severity.WARNING if self.kind == "unread" else Severity.ERROR,
            code=f"sync-{self.kind}",
            subject=self.workflow,
        )


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", str(text).casefold())) + " "


def _says(texts: Sequence[str], text: str) -> bool:
    """True when one of ``texts`` says ``text``, word for word (punctuation and case aside:
    a catalogue may join list items with ";" where the page starts a new line)."""
    words = _words(text)
    return words.strip() != "" and any(words in _words(t) for t in texts)


def sync_product(
    tree: CatalogTree, pages: list[SourcePage], product: str, findings: list[Finding]
) -> None:
    """Compare ``product``'s pages with the catalogue; edit ``tree``, append to ``findings``."""
    mine = [p for p in pages if p.product == product]
    documented = documented_workflows(mine, product)
    texts = {p.name: page_text(p.lines) for p in mine}
    covered = _covered(tree, mine, product)
    listed: set[int] = set()
    for doc in documented.values():
        where = Location.of(doc.page.shown, doc.line)
        entry = tree.find(doc.id)
        if entry is None:
            gaps = _add(tree, doc, documented)
            message = "listed on the page, not in the catalogue"
            findings.append(
                Finding(product, "added", doc.id, where, f"{message} ({gaps})" if gaps else message)
            )
        elif entry.data.get("status") == "obsolete":
            _revive(tree, entry, doc)
            findings.append(
                Finding(
                    product,
                    "added",
                    entry.id,
                    where,
                    "listed on the page; the catalogue marks it obsolete",
                )
            )
        elif product not in entry.products:
            others = ", ".join(entry.products)
            _add_product(tree, entry, doc)
            message = f"listed on the page; the catalogue has it for {others} only"
            findings.append(Finding(product, "added", entry.id, where, message))
        else:
            # Texts are compared where the pages are the authority: another page of the
            # product (its module page, not given) may be where they come from.
            texts_too = any(e.data is entry.data for e in covered)
            _compare(tree, entry, doc, texts, findings, texts_too=texts_too)
        found = tree.find(doc.id)
        if found is not None:
            listed.add(id(found.data))
        _report_unread(doc, findings)
    for entry in covered:
        if id(entry.data) not in listed:
            _drop(tree, entry, product, mine, findings)


def _report_unread(doc: Documented, findings: list[Finding]) -> None:
    reading = doc.schedule
    if reading is None or reading.schedule is not None:
        return
    for sentence in doc.sentences:
        where = Location.of(sentence.path, sentence.line)
        message = f"schedule not read ({reading.reason}): {sentence.reading.text!r}"
        findings.append(Finding(doc.product, "unread", doc.id, where, message))


def _covered(tree: CatalogTree, pages: list[SourcePage], product: str) -> list[Entry]:
    """The active entries of ``product`` whose listing the given pages are the authority for:
    those of a module whose page for the product is given and, when a list of technical
    workflows is given, those of a module that has no page of its own for the product."""
    mine = [e for e in tree.entries if product in e.products and e.data.get("status") != "obsolete"]
    modules = tree.modules()
    with_list = any(p.is_list for p in pages)
    covered: list[Entry] = []
    for entry in mine:
        module = modules.get(entry.module) or {}
        own_page = ((module.get("pages") or {}).get(product) or {}).get("page")
        if _module_page_given(module, pages, product) or (with_list and not own_page):
            covered.append(entry)
    return covered


def _module_page_given(module: Any, pages: list[SourcePage], product: str) -> bool:
    page = ((module.get("pages") or {}).get(product) or {}).get("page")
    names = {p.name for p in pages}
    titles = {_norm(p.page.title) for p in pages if not p.is_list}
    return page in names or _norm(module.get("name", "")) in titles


def _variant_target(entry: Entry, product: str) -> str | None:
    return None if entry.products == [product] else product


def _source(doc: Documented) -> CommentedMap | None:
    first = doc.schedule_page
    if first is None:
        return None
    return CommentedMap([("page", first.page), ("text", first.reading.text)])


def _schedule_fields(doc: Documented) -> list[tuple[str, Any]]:
    """schedule, schedule_source (and a note when the sentence was not read) for ``doc``."""
    reading = doc.schedule
    if reading is None:
        return [("schedule", None)]
    fields: list[tuple[str, Any]] = [
        ("schedule", quoted_schedule(reading.schedule.to_mapping()) if reading.schedule else None),
        ("schedule_source", _source(doc)),
    ]
    if reading.schedule is None:
        note = f"Schedule unknown: the sentence was not read as a schedule ({reading.reason}); set it by hand."
        fields.append(("schedule_note", note))
    return fields


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _known_key(*names: str) -> str | None:
    """The catalogue's module key whose words all occur in one of ``names`` (the longest)."""
    from ..load.schema import load_schema

    keys = load_schema("catalog")["$defs"]["moduleKey"]["enum"]
    for name in names:
        words = _tokens(name)
        fitting = [k for k in keys if set(k.split("-")) <= words]
        if fitting:
            return str(max(fitting, key=lambda k: len(k.split("-"))))
    return None


def _module_for(tree: CatalogTree, doc: Documented, documented: dict[str, Documented]) -> str:
    """The module of a new entry: the catalogue's module of its page, else the module key
    the page's title (a module page) or the Package column (a list page) names; a workflow
    no module names is a platform workflow ("standard" on Campaign Standard, which has no
    modules)."""
    modules = tree.modules()
    source = doc.page
    for key, module in modules.items():
        page = ((module.get("pages") or {}).get(doc.product) or {}).get("page")
        if page == source.name or (
            not source.is_list and _norm(module.get("name", "")) == _norm(source.page.title)
        ):
            return str(key)
    if source.is_list:
        # A Package cell names a module when it starts with the module's words ("Web
        # Analytics connectors"), not when it mentions one ("Installed by default on Campaign
        # Enterprise (FFDA) deployments only").
        first = next(iter(re.findall(r"[a-z0-9]+", doc.package.lower())), "")
        key = _known_key(doc.package) if doc.package else None
        key = key if key is not None and first in key.split("-") else None
        name = doc.package
    else:
        key = _known_key(source.page.title, source.name)
        name = source.page.title
    if key is None:
        key = "standard" if doc.product == "standard" else "platform"
        name = {"standard": "Campaign Standard", "platform": "Platform"}[key]
    if key not in modules:
        # The module's package: the Package column of the first workflow of the same page
        # that a list page gives one for.
        package = doc.package or next(
            (d.package for d in documented.values() if d.page is source and d.package), ""
        )
        modules[key] = CommentedMap([("name", name), ("package", package or "unknown")])
        tree.touch(tree.modules_file)
    return key


def _add(tree: CatalogTree, doc: Documented, documented: dict[str, Documented]) -> str:
    """Add a new entry for ``doc``; return what no page gave it ("" when nothing)."""
    module = _module_for(tree, doc, documented)
    package = doc.package or str(tree.modules()[module].get("package") or "unknown")
    data = CommentedMap([("id", doc.id), ("label", doc.label), ("description", doc.description)])
    data["package"] = package
    data["products"] = CommentedSeq([doc.product])
    data["status"] = "active"
    for name, value in _schedule_fields(doc):
        data[name] = value
    entry = tree.add_entry(module, data)
    if doc.note:
        entry.set(doc.product, "note", doc.note)
    gaps = []
    if package == "unknown":
        gaps.append("package: unknown, no page gives it")
    if doc.schedule is None:
        gaps.append("schedule: null, no page gives a schedule sentence")
    return "; ".join(gaps)


def _revive(tree: CatalogTree, entry: Entry, doc: Documented) -> None:
    entry.data["status"] = "active"
    for name in ("obsolete_note", "last_listed", "replaced_by"):
        if name in entry.data:
            del entry.data[name]
    if doc.product not in entry.products:
        entry.data["products"].append(doc.product)
    tree.touch(entry.file)


def _add_product(tree: CatalogTree, entry: Entry, doc: Documented) -> None:
    entry.data["products"].append(doc.product)
    product = doc.product
    if doc.id != entry.id:
        entry.set(product, "id", doc.id)
    if _norm(doc.label) != _norm(entry.data.get("label", "")):
        entry.set(product, "label", doc.label)
    base = str(entry.data.get("description", ""))
    if doc.description and not _says([doc.description, *doc.cells], base):
        entry.set(product, "description", doc.description)
    if doc.package and _norm(doc.package) != _norm(entry.data.get("package", "")):
        entry.set(product, "package", doc.package)
    if doc.note:
        entry.set(product, "note", doc.note)
    fields = dict(_schedule_fields(doc))
    if fields.get("schedule") != entry.data.get("schedule") or "schedule_source" in fields:
        for name, value in fields.items():
            if name == "schedule_note":
                continue  # the note belongs to the entry; the unread sentence is reported
            if value is not None or name == "schedule":
                entry.set(product, name, value)
    tree.touch(entry.file)


def _compare(
    tree: CatalogTree,
    entry: Entry,
    doc: Documented,
    texts: dict[str, str],
    findings: list[Finding],
    *,
    texts_too: bool,
) -> None:
    if texts_too:
        _compare_texts(tree, entry, doc, findings)
    _compare_schedule(tree, entry, doc, texts, findings)


def _compare_texts(
    tree: CatalogTree, entry: Entry, doc: Documented, findings: list[Finding]
) -> None:
    product = doc.product
    target = _variant_target(entry, product)
    where = Location.of(doc.page.shown, doc.line)
    label = entry.effective(product, "label")
    if _norm(label or "") not in {_norm(x) for x in doc.labels}:
        entry.set(target, "label", doc.label)
        tree.touch(entry.file)
        findings.append(
            Finding(product, "changed", entry.id, where, f"label {label!r} -> {doc.label!r}")
        )
    description = str(entry.effective(product, "description") or "")
    if doc.description and not _says([doc.description, *doc.cells], description):
        entry.set(target, "description", doc.description)
        tree.touch(entry.file)
        findings.append(
            Finding(product, "changed", entry.id, where, "description rewritten on the page")
        )


def _compare_schedule(
    tree: CatalogTree, entry: Entry, doc: Documented, texts: dict[str, str], findings: list[Finding]
) -> None:
    product = doc.product
    source = entry.effective(product, "schedule_source")
    named = texts.get(str(source.get("page"))) if source is not None else None
    if named is not None and _says([named], str(source.get("text", ""))):
        return  # the catalogue's sentence is still on its page
    reading = doc.schedule
    first = doc.schedule_page
    if reading is None or first is None:
        if named is not None:
            where = Location.of(doc.page.shown, doc.line)
            message = (
                f"the page no longer says {source.get('text')!r}; the schedule is left as it is"
            )
            findings.append(Finding(product, "changed", entry.id, where, message))
        return
    old = entry.effective(product, "schedule")
    same = (
        reading.schedule is not None
        and old is not None
        and dict(old) == reading.schedule.to_mapping()
    )
    if source is not None and named is None and (same or reading.schedule is None):
        return  # the sentence it quotes is on a page not given here, and nothing disagrees
    target = _variant_target(entry, product)
    where = Location.of(first.path, first.line)
    entry.set(target, "schedule_source", _source(doc))
    tree.touch(entry.file)
    if reading.schedule is not None:
        if not same:
            entry.set(target, "schedule", quoted_schedule(reading.schedule.to_mapping()))
        findings.append(
            Finding(
                product, "changed", entry.id, where, f"schedule sentence {first.reading.text!r}"
            )
        )
    else:
        message = (
            f"schedule sentence {first.reading.text!r} (not read; the schedule is left as it is)"
        )
        findings.append(Finding(product, "changed", entry.id, where, message))


def _drop(
    tree: CatalogTree,
    entry: Entry,
    product: str,
    pages: Sequence[SourcePage],
    findings: list[Finding],
) -> None:
    listing = next((p for p in pages if p.is_list), None) or pages[0]
    where = Location.of(listing.shown)
    if entry.products == [product]:
        entry.data["status"] = "obsolete"
        note = f"No longer listed on {', '.join(sorted({p.name for p in pages}))}."
        entry.data["obsolete_note"] = note
        message = "no page lists it any more: status obsolete"
        # last_listed names the last version that still listed it: git history knows it.
        for page in pages:
            found = last_listing(page, entry.id)
            if found is not None:
                version, date = found
                last = CommentedMap(
                    [("page", page.repo_path), ("version", version), ("product", product)]
                )
                if date:
                    last["date"] = date
                entry.data["last_listed"] = last
                message += f", last listed by {page.repo_path} at {version}"
                break
    else:
        entry.data["products"].remove(product)
        variants = entry.data.get("per_product")
        if variants is not None and product in variants:
            del variants[product]
            if not variants:
                del entry.data["per_product"]
        message = f"no page lists it any more: {product} leaves its products"
    tree.touch(entry.file)
    findings.append(Finding(product, "dropped", entry.id, where, message))
