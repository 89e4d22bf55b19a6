"""The site's root: index.html (the languages, and the reader's own when JavaScript runs),
404.html, and sitemap.xml with every page's language alternates (pure).

A sitemap lists absolute addresses only (the sitemaps.org protocol), so it is written when
the site's published address (``base_url``) is known; the root pages link relatively
without one, absolutely with one (a 404 page is served at any depth).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from markupsafe import Markup

from .frame import Words, cell_markup, language_name
from .targets import RenderedFile

__all__ = ["root_files"]

# Picks the reader's language among the site's: an exact tag first, then the language alone.
_FOLLOW = """(function () {
  var have = %s, wanted = navigator.languages || [navigator.language || ''];
  function norm(t) { return String(t).toLowerCase().replace(/_/g, '-'); }
  for (var i = 0; i < wanted.length; i++) {
    var w = norm(wanted[i]);
    for (var pass = 0; pass < 2; pass++) {
      for (var j = 0; j < have.length; j++) {
        var h = norm(have[j]);
        if (pass === 0 ? h === w : h.split('-')[0] === w.split('-')[0]) {
          location.replace(have[j] + '/index.html');
          return;
        }
      }
    }
  }
})();"""


def _shell(*, lang: str, title: Markup, head: Markup, body: Markup, css: str) -> bytes:
    html = Markup(
        '<!DOCTYPE html>\n<html lang="%s">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>%s</title>\n%s"
        '<link rel="stylesheet" href="%s">\n</head>\n<body>\n'
        '<div class="wrap root">\n<main>\n%s</main>\n</div>\n</body>\n</html>\n'
    ) % (lang, title, head, css, body)
    return str(html).encode("utf-8")


def _languages(codes: Sequence[str], words: Mapping[str, Words], prefix: str) -> Markup:
    items = Markup("").join(
        Markup('<li lang="%s"><a href="%s%s/index.html" hreflang="%s">%s</a> <span>%s</span></li>')
        % (code, prefix, code, code, language_name(code), cell_markup(words[code]["index_title"]))
        for code in codes
    )
    return Markup('<ul class="languages">%s</ul>\n') % items


def root_files(
    *, codes: Sequence[str], words: Mapping[str, Words], pages: Sequence[str], base: str | None
) -> list[RenderedFile]:
    """index.html, 404.html and (with ``base``) sitemap.xml at the site's root.

    Args:
        codes: the site's locales, in the switcher's order.
        words: each locale's fixed words.
        pages: the page names every locale has (``index``, the modules, ``sending``).
        base: the site's published address without a trailing slash, or None.
    """
    default = "en" if "en" in codes else codes[0]
    said = words[default]
    prefix = f"{base}/" if base is not None else ""
    alternates = Markup("").join(
        Markup('<link rel="alternate" hreflang="%s" href="%s%s/index.html">\n') % (c, prefix, d)
        for c, d in [*((c, c) for c in codes), ("x-default", default)]
    )
    canonical = (
        Markup('<link rel="canonical" href="%s/">\n') % base if base is not None else Markup("")
    )
    follow = Markup("<script>%s</script>\n") % Markup(_FOLLOW % json.dumps(list(codes)))
    index = _shell(
        lang=default,
        title=Markup(said["index_title"].text),
        head=canonical + alternates + follow,
        body=Markup("<h1>%s</h1>\n<h2>%s</h2>\n%s")
        % (
            said.html("index_title"),
            said.html("choose_language"),
            _languages(codes, words, ""),
        ),
        css="site.css",
    )
    missing = _shell(
        lang=default,
        title=Markup(said["not_found"].text),
        head=Markup('<meta name="robots" content="noindex">\n'),
        body=Markup("<h1>%s</h1>\n<p>%s</p>\n%s")
        % (said.html("not_found"), said.html("not_found_text"), _languages(codes, words, prefix)),
        css=f"{prefix}site.css" if base is not None else "site.css",
    )
    files = [
        RenderedFile("site/index.html", index, ()),
        RenderedFile("site/404.html", missing, ()),
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
