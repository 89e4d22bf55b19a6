"""``wfgen l10n glossary``: the catalogue's terms for MT engines and CAT tools.

Two kinds of term, both from the catalogue and the PO files, never typed by hand:

- **Do not translate**: every canonical id (workflow ids, module keys), every placeholder
  of the translatable texts (``{time}``, ``<external_account_name>``) and every product
  name. The term is the same in every language.
- **UI terms**: module names, the reference tables' fixed words and column headers, the
  sending statuses and KPIs, each with its translation per locale (where one is usable).

Formats:

- TBX (TermBase eXchange, ISO 30042, TBX-Basic data categories): one ``termEntry`` per
  term, one ``langSet`` per language; do-not-translate entries carry a ``note`` saying so
  and the same term in every language. ``generator/schemas/tbx-basic-subset.rng`` is the
  RELAX NG schema of what is written (a test validates against it).
- CSV in the shape MT glossary imports take: for one locale, rows ``source,target`` with
  no header (DeepL; Google's unidirectional glossaries); for several, a header row of
  language codes and one row per term (Google's equivalent-term sets).
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Catalog
from .messages import Message, placeholders
from .po import load_translations
from .tokens import HTML_TAGS, PRODUCT_NAMES
from .update import L10nSettings, load_sources

__all__ = ["Term", "glossary_terms", "to_csv", "to_tbx"]

DO_NOT_TRANSLATE = "Do not translate: write it exactly so in every language."
_ANGLE = re.compile(r"<([A-Za-z_][\w-]*)>")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# UI terms: the message contexts whose texts are names a page shows, by kind.
_UI_KINDS = (
    ("module|", "module name"),
    ("ui|", "table word"),
    ("sending|status|", "sending status"),
    ("sending|kpi|", "KPI"),
    ("sending|ui|column_", "column header"),
)


@dataclass(frozen=True)
class Term:
    """One glossary term: its English form, what it is, and its form per locale."""

    english: str
    kind: str
    do_not_translate: bool
    translations: dict[str, str] = field(default_factory=dict)

    def target(self, locale: str) -> str | None:
        """The term in ``locale``: itself when it is not translated, else the translation."""
        return self.english if self.do_not_translate else self.translations.get(locale)


def _do_not_translate(catalog: Catalog, msgs: Sequence[Message]) -> dict[str, str]:
    found: dict[str, str] = {}
    for workflow in catalog.workflows:
        found.setdefault(workflow.id, "workflow id")
    for module in catalog.modules:
        found.setdefault(module.key, "module id")
    for message in msgs:
        try:
            for name in placeholders(message.english):
                found.setdefault(f"{{{name}}}", "placeholder")
        except ValueError:
            pass  # a lone brace: plain text, no placeholder
        for match in _ANGLE.finditer(message.english):
            if match.group(1).lower() not in HTML_TAGS:
                found.setdefault(match.group(0), "placeholder")
    for name in PRODUCT_NAMES:
        found.setdefault(name, "product name")
    return found


def glossary_terms(settings: L10nSettings, locales: Sequence[str]) -> list[Term]:
    """Every glossary term of the catalogue, do-not-translate ones first, each sorted.

    Raises:
        CatalogError: when the catalogue does not validate.
        InputError: when a PO file cannot be read.
    """
    catalog, msgs = load_sources(settings.catalog_dir)
    english = {m.context: m.english for m in msgs}
    usable = {
        locale: load_translations(settings.locales_dir, locale, english=english)
        for locale in locales
    }
    fixed = _do_not_translate(catalog, msgs)
    terms = [
        Term(name, kind, True) for name, kind in sorted(fixed.items(), key=lambda i: i[0].lower())
    ]
    ui: dict[str, Term] = {}
    for message in msgs:
        kind = next((k for prefix, k in _UI_KINDS if message.context.startswith(prefix)), None)
        if kind is None or message.english in fixed:
            continue
        translations = {
            locale: text
            for locale in locales
            if (text := usable[locale].get(message.context)) is not None
        }
        seen = ui.get(message.english)
        if seen is not None:  # the same English twice: keep the first translation of each
            translations = {**translations, **seen.translations}
        ui[message.english] = Term(message.english, kind, False, translations)
    return terms + [ui[key] for key in sorted(ui, key=str.lower)]


def to_tbx(terms: Sequence[Term], locales: Sequence[str]) -> bytes:
    """The terms as a TBX-Basic document (UTF-8, deterministic)."""
    root = ET.Element("martif", {"type": "TBX-Basic", _XML_LANG: "en"})
    header = ET.SubElement(root, "martifHeader")
    source = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(source, "p").text = (
        "Terms of the wfgen workflow catalogue: canonical ids, placeholders and product "
        "names (do not translate), and UI terms with their translations."
    )
    encoding = ET.SubElement(header, "encodingDesc")
    ET.SubElement(encoding, "p", {"type": "XCSURI"}).text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for number, term in enumerate(terms, start=1):
        entry = ET.SubElement(body, "termEntry", {"id": f"t{number}"})
        ET.SubElement(entry, "descrip", {"type": "subjectField"}).text = term.kind
        if term.do_not_translate:
            ET.SubElement(entry, "note").text = DO_NOT_TRANSLATE
        for locale in ("en", *locales):
            text = term.english if locale == "en" else term.target(locale)
            if text is None:
                continue
            lang_set = ET.SubElement(entry, "langSet", {_XML_LANG: locale.replace("_", "-")})
            tig = ET.SubElement(lang_set, "tig")
            ET.SubElement(tig, "term").text = text
            if term.do_not_translate:
                ET.SubElement(tig, "termNote", {"type": "partOfSpeech"}).text = "properNoun"
            ET.SubElement(
                tig, "termNote", {"type": "administrativeStatus"}
            ).text = "preferredTerm-admn-sts"
    ET.indent(root, space="  ")
    body_xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body_xml + b"\n"


def to_csv(terms: Sequence[Term], locales: Sequence[str]) -> str:
    """The terms as glossary CSV: ``source,target`` for one locale, else a language table.

    Terms without a usable translation are left out of the one-locale form (an MT engine
    would otherwise force an empty or English target) and left empty in the table.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if len(locales) == 1:
        for term in terms:
            target = term.target(locales[0])
            if target is not None:
                writer.writerow([term.english, target])
        return out.getvalue()
    writer.writerow(["en", *(locale.replace("_", "-") for locale in locales)])
    for term in terms:
        writer.writerow([term.english, *(term.target(locale) or "" for locale in locales)])
    return out.getvalue()
