"""The sending model's pages: out/docs/<locale>/sending.{md,html} and the site's context,
when the catalogue has ``sending.yaml``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

from ..load.document import Documents
from ..output import RenderedFile

__all__ = ["sending_files", "site_sending"]


def sending_files(
    catalog: Path,
    *,
    locale: str,
    gettext: Any,
    jinja: Any,
    name: Callable[[str | PurePath], str],
    loaded: dict[Path, Any],
    documents: Documents,
) -> list[RenderedFile]:
    """out/docs/<locale>/sending.md and .html, when catalog/sending.yaml exists.

    ``loaded`` keeps the model between locales: loading it (with row positions) costs
    more than rendering the pages.
    """
    path = catalog / "sending.yaml"
    if not path.is_file():
        return []
    from ..sending import load_model, reference_context
    from .pages import page_pair

    model = loaded.get(path)
    if model is None:
        model = loaded[path] = load_model(path, documents=documents)
    context = reference_context(model, locale=locale, gettext=gettext or (lambda _context: None))
    return page_pair(
        jinja,
        page=f"docs/{locale}/sending",
        template="sending",
        context={**context, "locale": locale},
        inputs=(name(path),),
    )


def site_sending(
    catalog: Path,
    *,
    name: Callable[[str | PurePath], str],
    loaded: dict[Path, Any],
    documents: Documents,
) -> dict[str, Any]:
    """The site's sending page: a context per locale, when catalog/sending.yaml exists."""
    path = catalog / "sending.yaml"
    if not path.is_file():
        return {}
    from ..sending import load_model, reference_context

    model = loaded.get(path)
    if model is None:
        model = loaded[path] = load_model(path, documents=documents)

    def context(locale: str, gettext: Any) -> Any:
        return reference_context(model, locale=locale, gettext=gettext or (lambda _context: None))

    return {"sending": context, "sending_inputs": (name(path),)}
