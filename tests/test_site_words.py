"""The site's own words are translator entries, and its x-default alternate."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.commands.build import BuildSettings, render_all
from generator.l10n.messages import SITE_WORDS, messages
from generator.load.catalog import load_catalog
from tests.conftest import CATALOG, LOCALES


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The site in German and Swedish (no English), with `ui|search` translated in Swedish."""
    locales = tmp_path_factory.mktemp("site-words") / "locales"
    shutil.copytree(LOCALES, locales)
    po = locales / "sv" / "LC_MESSAGES" / "workflows.po"
    text = po.read_text("utf-8")
    entry = 'msgctxt "ui|search"\nmsgid "Search"\nmsgstr ""'
    assert entry in text
    po.write_text(text.replace(entry, entry[:-2] + '"Sök"'), "utf-8")
    settings = BuildSettings(
        catalog=CATALOG, locales_dir=locales, out=locales / "unused", locales=("de", "sv")
    )
    files, _ = render_all(settings)
    return {f.path: f.content.decode() for f in files if f.path.startswith("site/")}


def test_site_words_are_extracted_for_translators() -> None:
    """Every fixed word of the site's frame is an entry of the template, with a comment."""
    catalog, _ = load_catalog([CATALOG])
    found = {m.context: m for m in messages(catalog)}
    for name, english in SITE_WORDS.items():
        entry = found[f"ui|{name}"]
        assert entry.english == english
        assert entry.comment == f"Fixed word of the site's pages ({name})"
    template = (LOCALES / "workflows.pot").read_text("utf-8")
    for name in SITE_WORDS:
        assert f'msgctxt "ui|{name}"' in template, "run `wfgen l10n update`"


def test_a_translated_site_word_replaces_the_english_stand_in(site: dict[str, str]) -> None:
    """A translated `ui|search` is the search label's text; where it is not translated the
    English word stands in, marked as English."""
    assert '<span class="vh">Sök</span>' in site["site/sv/index.html"]
    assert '<span class="vh"><span lang="en">Search</span></span>' in site["site/de/index.html"]


def test_x_default_is_english_or_else_the_first_locale(site: dict[str, str]) -> None:
    """Without an English site, x-default names the first locale built."""
    page = site["site/sv/deliveries.html"]
    links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
    assert links == {
        "de": "../de/deliveries.html",
        "sv": "../sv/deliveries.html",
        "x-default": "../de/deliveries.html",
    }


def test_module_named_as_the_site_is_a_finding_and_shows_its_english_name(
    tmp_path: Path,
) -> None:
    """A module translated with the site's own title is a `module-is-site-title` warning at
    its PO line, and the site names it in English so the breadcrumbs do not repeat the title;
    the bundled Campaign Standard module keeps its product's name."""
    from generator.l10n.check import check_locales
    from generator.l10n.update import L10nSettings

    locales = tmp_path / "locales"
    shutil.copytree(LOCALES, locales)
    po = locales / "sv" / "LC_MESSAGES" / "workflows.po"
    text = po.read_text("utf-8")
    entry = 'msgctxt "module|deliveries"\nmsgid "Deliveries"\nmsgstr "Leveranser"'
    assert entry in text
    po.write_text(text.replace(entry, entry.replace("Leveranser", "Tekniska arbetsflöden")))
    # Babel's line of an entry (as every PO finding's) is its msgid's, after the msgctxt.
    line = po.read_text("utf-8").splitlines().index('msgctxt "module|deliveries"') + 2
    found = check_locales(L10nSettings(catalog_dir=CATALOG, locales_dir=locales), ["sv"])
    named = [p for p in found if p.code == "module-is-site-title"]
    assert [(p.location.line, p.severity.value) for p in named] == [(line, "warning")]
    bundled = check_locales(L10nSettings(catalog_dir=CATALOG, locales_dir=LOCALES))
    assert not [p for p in bundled if p.code == "module-is-site-title"]
    settings = BuildSettings(
        catalog=CATALOG, locales_dir=locales, out=tmp_path / "unused", locales=("sv",)
    )
    files, _ = render_all(settings)
    site = {f.path: f.content.decode() for f in files}
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', site["site/sv/deliveries.html"], re.S)
    assert crumbs and '<li aria-current="page"><span lang="en">Deliveries</span>' in crumbs[0]
    standard = re.search(r"<h1>(.*?)</h1>", site["site/sv/standard.html"])
    assert standard and standard[1] == "Campaign Standard"
