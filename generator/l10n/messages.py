"""Every translatable message of the catalogue, with its context, comment and reference."""

from __future__ import annotations

import hashlib
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..load.document import Documents
from ..model import Catalog

__all__ = ["SITE_WORDS", "UI_WORDS", "Message", "messages", "placeholders", "source_hash"]

# Fixed words of the rendered reference tables; the build renders them through ``ui|<name>``.
UI_WORDS: dict[str, str] = {
    "label": "Label",
    "internal-name": "Internal name",
    "description": "Description",
    "package": "Package",
    "schedule": "Schedule",
    "module": "Module",
    "untranslated": "untranslated",
    "translation-completeness": "Translation completeness",
    "index-title": "Technical workflows",
    "no-schedule": "No documented schedule",
    "obsolete": "Obsolete",
    "replaced-by": "Replaced by",
}

# Fixed words of the static site's frame (out/site/), rendered through ``ui|<name>`` too.
SITE_WORDS: dict[str, str] = {
    "search": "Search",
    "languages": "Languages",
    "pages": "Pages",
    "untranslated-page": "This page is not translated yet; it is shown in English.",
    "menu": "Menu",
    "breadcrumbs": "Breadcrumbs",
    "pager": "Previous and next page",
    "search-results": "Search results",
    "search-found": "{n} matching workflow(s)",
    "search-none": "No workflow matches your search.",
    "choose-language": "Choose a language",
    "not-found": "Page not found",
    "not-found-text": "There is no page at this address. The reference is here:",
}

# Groups used in statistics for messages that belong to no module.
UI_GROUP = "(ui)"
PHRASE_GROUP = "(phrases)"
SENDING_GROUP = "(sending)"


@dataclass(frozen=True)
class Message:
    """One translatable English text and what a translator needs to know about it."""

    context: str
    english: str
    comment: str
    reference: tuple[str, int] | None = None
    module: str = ""
    # gettext flags of the entry: ``python-brace-format`` where the text is a template.
    flags: tuple[str, ...] = ()

    @property
    def subject(self) -> str:
        """The canonical id (or other entity) the message belongs to."""
        head, _, tail = self.context.partition("|")
        return head if tail in ("label", "description") else self.context


def placeholders(template: str) -> list[str]:
    """The ``{name}`` placeholders of a phrase template, in order, each once."""
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    return list(dict.fromkeys(names))


def _has_placeholders(text: str) -> bool:
    try:
        return bool(placeholders(text))
    except ValueError:  # a lone brace: not a template
        return False


def _phrase_comment(name: str, template: str) -> str:
    used = placeholders(template)
    if not used:
        head = f"Schedule sentence {name}; it has no placeholder"
    else:
        listed = ", ".join(f"{{{p}}}" for p in used)
        head = (
            f"Schedule sentence {name}; use exactly {listed}, unchanged, "
            f"each at least once, and no other placeholder"
        )
    if name.startswith(("every_minutes", "every_hours")):
        ordinal = name.replace("every_minutes", "every_nth_minute").replace(
            "every_hours", "every_nth_hour"
        )
        head += f". Languages that say it with an ordinal translate phrase|{ordinal} instead"
    elif name.startswith("every_nth_"):
        head += ". Optional: used instead of the {n} form when translated"
    return head


def source_hash(text: str) -> str:
    """A short, stable fingerprint of an English source text (for the stale check)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _sending(catalog: Catalog, documents: Documents | None) -> list[Message]:
    # The sending model (catalog/sending.yaml) contributes its own terms.
    files = [Path(f) for f in catalog.files if Path(f).name == "sending.yaml"]
    if not files:
        return []
    from ..sending import load_model
    from ..sending import messages as sending_messages

    out: list[Message] = []
    for path in files:
        model = load_model(path, documents=documents)
        for context, english, comment in sending_messages(model):
            # The reference page fills {name} placeholders: tools check them as brace formats.
            flags = ("python-brace-format",) if _has_placeholders(str(english)) else ()
            out.append(
                Message(str(context), str(english), str(comment), None, SENDING_GROUP, flags)
            )
    return out


def messages(
    catalog: Catalog,
    *,
    extra: Iterable[Message] | None = None,
    documents: Documents | None = None,
) -> list[Message]:
    """Enumerate every translatable message of ``catalog``, sorted by context.

    Args:
        catalog: the loaded canonical catalogue.
        extra: further messages to include (tests; other models).
        documents: YAML files this command has read already (each is parsed once).

    Returns:
        One message per label, description, module name, schedule phrase, table word
        and sending term, sorted by context so PO files are stable.
    """
    found: dict[str, Message] = {}
    for workflow in catalog.workflows:
        where = f"workflow {workflow.id} (module {workflow.module})"
        for field_name in ("label", "description"):
            english = getattr(workflow, field_name)
            found[f"{workflow.id}|{field_name}"] = Message(
                context=f"{workflow.id}|{field_name}",
                english=english,
                comment=f"{field_name.capitalize()} of {where}. Canonical id: {workflow.id}",
                reference=(workflow.location.file, workflow.line_of(field_name)),
                module=workflow.module,
            )
    for module in catalog.modules:
        found[f"module|{module.key}"] = Message(
            context=f"module|{module.key}",
            english=module.name,
            comment=f"Name of module {module.key}. Canonical id: {module.key}",
            reference=(module.location.file, module.location.line)
            if module.location.file
            else None,
            module=module.key,
        )
    from .phrases import PHRASES

    for name, template in sorted(PHRASES.items()):
        found[f"phrase|{name}"] = Message(
            context=f"phrase|{name}",
            english=template,
            comment=_phrase_comment(name, template),
            module=PHRASE_GROUP,
            flags=("python-brace-format",) if placeholders(template) else (),
        )
    for words, where in ((UI_WORDS, "the reference tables"), (SITE_WORDS, "the site's pages")):
        for name, word in words.items():
            found[f"ui|{name}"] = Message(
                context=f"ui|{name}",
                english=word,
                comment=f"Fixed word of {where} ({name})",
                module=UI_GROUP,
            )
    for message in [*_sending(catalog, documents), *(extra or ())]:
        found[message.context] = message
    return [found[key] for key in sorted(found)]
