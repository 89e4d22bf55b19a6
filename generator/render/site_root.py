"""The site's root: index.html (the languages, and the reader's own when JavaScript runs),
404.html, and sitemap.xml with every page's language alternates (pure).

A sitemap lists absolute addresses only (the sitemaps.org protocol), so it is written when
the site's published address (``base_url``) is known; the root pages link relatively
without one, absolutely with one (a 404 page is served at any depth).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import jinja2

from .frame import Words, language_name
from .jinja import render_template
from .targets import RenderedFile

__all__ = ["root_files"]

_TEMPLATE = "site/root.html.j2"


def root_files(
    jinja: jinja2.Environment,
    *,
    codes: Sequence[str],
    words: Mapping[str, Words],
    pages: Sequence[str],
    base: str | None,
) -> list[RenderedFile]:
    """index.html, 404.html (from ``site/root.html.j2``) and, with ``base``, sitemap.xml.

    Args:
        jinja: the template environment.
        codes: the site's locales, in the switcher's order.
        words: each locale's fixed words.
        pages: the page names every locale has (``index``, the modules, ``sending``).
        base: the site's published address without a trailing slash, or None.
    """
    default = "en" if "en" in codes else codes[0]
    prefix = f"{base}/" if base is not None else ""
    common = {
        "lang": default,
        "words": words[default],
        "prefix": prefix,
        "languages": [(c, language_name(c), words[c]["index_title"]) for c in codes],
        "codes": list(codes),
        "base": base,
        "default": default,
    }
    index = render_template(jinja, _TEMPLATE, {**common, "missing": False, "css": "site.css"})
    missing = render_template(
        jinja, _TEMPLATE, {**common, "missing": True, "css": f"{prefix}site.css"}
    )
    files = [
        RenderedFile("site/index.html", index.encode("utf-8"), ()),
        RenderedFile("site/404.html", missing.encode("utf-8"), ()),
    ]
    if base is not None:
        files.append(RenderedFile("site/sitemap.xml", _sitemap(codes, pages, base, default), ()))
    return files


def _sitemap(codes: Sequence[str], pages: Sequence[str], base: str, default: str) -> bytes:
    """Every page of every locale, each with all its language versions (xhtml:link)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for name in pages:
        links = [
            f'    <xhtml:link rel="alternate" hreflang={quoteattr(c)} '
            f"href={quoteattr(f'{base}/{d}/{name}.html')}/>"
            for c, d in [*((c, c) for c in codes), ("x-default", default)]
        ]
        for code in codes:
            lines += [
                "  <url>",
                f"    <loc>{xml_escape(f'{base}/{code}/{name}.html')}</loc>",
                *links,
                "  </url>",
            ]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
