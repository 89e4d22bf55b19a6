"""The static site under out/site/<locale>/: structure read back with html.parser."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.commands.build import BuildSettings, render_all
from tests.site_locales import JAPANESE, with_japanese

ROOT = Path(__file__).resolve().parent.parent


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    settings = BuildSettings(
        catalog=ROOT / "catalog", locales_dir=ROOT / "locales", out=ROOT / "unused-out"
    )
    files, _warnings = render_all(settings)
    return {f.path: f.content.decode() for f in files if f.path.startswith("site/")}


def _parse(text: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Links()
    parser.feed(text)
    return parser.tags


def _main(page: str) -> str:
    return page.split("<main>", 1)[1].split("</main>", 1)[0]


def _side(page: str) -> str:
    return page.split('<nav class="side"', 1)[1].split("</nav>", 1)[0]


def test_every_locale_has_index_module_and_sending_pages(site: dict[str, str]) -> None:
    """Index, module pages and the sending page exist in every locale, linked from index and
    sidebar."""
    for locale in ("en", "sv", "de", "it"):
        for name in ("index", "deliveries", "sending"):
            assert f"site/{locale}/{name}.html" in site
        index = site[f"site/{locale}/index.html"]
        assert 'href="sending.html"' in _main(index)
        assert 'href="sending.html"' in _side(site[f"site/{locale}/deliveries.html"])


def test_index_shows_completeness_per_page_and_locale(site: dict[str, str]) -> None:
    """The index has one completeness figure per page (sending included) and one for the
    locale, each what `wfgen l10n stats` counts (translated entries of all entries)."""
    from generator.l10n.stats import stats
    from generator.l10n.update import L10nSettings

    (counted,) = stats(
        L10nSettings(catalog_dir=ROOT / "catalog", locales_dir=ROOT / "locales"), ["sv"]
    )
    index = _main(site["site/sv/index.html"])
    rows = re.findall(r'<tr><th scope="row"><a href="([^"]+)\.html">.*?\((\d+)/(\d+)\)', index)
    shown = {page: (int(d), int(t)) for page, d, t in rows}
    assert {"deliveries", "sending"} <= set(shown)
    for page, (done, total) in shown.items():
        group = counted.modules["(sending)" if page == "sending" else page]
        assert (done, total) == (group.translated, group.total), page
    summary = re.search(r'<p class="summary">.*?\((\d+)/(\d+)\)', index)
    assert summary is not None
    assert (int(summary[1]), int(summary[2])) == (counted.counts.translated, counted.counts.total)
    assert counted.counts.translated < counted.counts.total  # Swedish is not complete


def test_untranslated_ui_words_are_marked(site: dict[str, str]) -> None:
    """An English stand-in for a fixed word carries lang="en" and the mark; English pages none."""
    index = site["site/sv/index.html"]
    swedish_po = (ROOT / "locales" / "sv" / "LC_MESSAGES" / "workflows.po").read_text()
    assert 'msgctxt "ui|module"\nmsgid "Module"\nmsgstr ""' in swedish_po
    assert '<th scope="col"><span lang="en">Module</span><span class="mark"' in index
    assert '<p class="legend">' in index
    assert 'class="mark"' not in site["site/en/index.html"]
    assert 'class="mark"' not in site["site/en/deliveries.html"]


def test_untranslated_page_has_one_banner_and_no_cell_marks(site: dict[str, str]) -> None:
    """A page with nothing translated gets one banner; its cells carry no marks of their own."""
    banners = {p for p, text in site.items() if 'class="banner"' in text}
    assert banners, "the bundled locales are expected to leave some page untranslated"
    for path in banners:
        main = _main(site[path])
        assert main.count('class="banner"') == 1
        bodies = re.findall(r"<tbody>.*?</tbody>", main, re.DOTALL)
        assert bodies and all('class="mark"' not in b for b in bodies), path


def test_times_have_no_narrow_no_break_space(site: dict[str, str]) -> None:
    """CLDR's U+202F before AM/PM becomes U+00A0, which every font draws."""
    assert all("\u202f" not in text for text in site.values())
    assert "2:00\u00a0AM" in site["site/en/deliveries.html"]


def test_ids_break_only_after_underscores(site: dict[str, str]) -> None:
    """Long ids may wrap after `_` (a <wbr>), never inside a word."""
    page = "".join(site.values())
    assert "<code>mcSynch_<wbr>" in page or "<code>agg_<wbr>" in page


def test_every_relative_link_resolves(site: dict[str, str]) -> None:
    tags = {path: _parse(text) for path, text in site.items()}  # each page parsed once
    ids = {path: {a.get("id") for _t, a in found} for path, found in tags.items()}
    for path in site:
        folder = path.rsplit("/", 1)[0]
        for tag, attrs in tags[path]:
            href = attrs.get("src") if tag == "script" else attrs.get("href")
            if tag not in ("a", "link", "script") or not href:
                continue
            target, _, anchor = href.partition("#")
            resolved = path if not target else _join(folder, target)
            assert resolved in site, f"{path}: broken link {href}"
            if anchor:
                assert anchor in ids[resolved], f"{path}: missing anchor {href}"


def _join(folder: str, target: str) -> str:
    parts = folder.split("/")
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def test_language_switcher_and_hreflang(site: dict[str, str]) -> None:
    tags = _parse(site["site/sv/deliveries.html"])
    html = next(a for t, a in tags if t == "html")
    assert html["lang"] == "sv"
    alternates = {
        a["hreflang"]: a["href"] for t, a in tags if t == "link" and a.get("rel") == "alternate"
    }
    assert alternates == {
        **{code: f"../{code}/deliveries.html" for code in ("en", "sv", "de", "it")},
        "x-default": "../en/deliveries.html",
    }
    switch = {a["href"] for t, a in tags if t == "a" and a.get("hreflang")}
    assert "../de/deliveries.html" in switch


def test_tables_anchor_ids_and_obsolete(site: dict[str, str]) -> None:
    page = site["site/sv/deliveries.html"]
    assert '<th scope="col">' in page and "<thead>" in page
    assert '<tr id="tracking">' in page and "<code>tracking</code>" in page
    assert 'href="#tracking"' in page
    assert "Spårning" in page


def test_search_index_holds_ids_and_translated_labels(site: dict[str, str]) -> None:
    text = site["site/sv/search-index.js"]
    assert text.startswith("window.WFGEN_INDEX=")
    entries = json.loads(text.removeprefix("window.WFGEN_INDEX=").rstrip().rstrip(";"))
    tracking = next(e for e in entries if e["id"] == "tracking")
    assert tracking["label"] == "Spårning" and tracking["page"] == "deliveries"
    assert "site/search.js" in site


@pytest.fixture(scope="module")
def japanese(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every file of the bundled catalogue in Japanese, a locale with nothing translated but
    a few texts, by path (read-only)."""
    folder = tmp_path_factory.mktemp("japanese")
    locales = with_japanese(ROOT / "locales", folder / "locales")
    settings = BuildSettings(
        catalog=ROOT / "catalog", locales_dir=locales, out=folder / "out", locales=("ja",)
    )
    return {f.path: f.content.decode() for f in render_all(settings)[0]}


def test_cjk_sentences_join_without_latin_space(japanese: dict[str, str]) -> None:
    """In Japanese the schedule sentence follows 。 directly and ends with 。, not '. '."""
    page = japanese["site/ja/deliveries.html"]
    docs = japanese["docs/ja/deliveries.md"]
    sentence = JAPANESE["reportingAggregates|description"] + "毎日 2:00。"
    assert sentence in page and sentence in docs
    assert "。 " not in _main(page) and ". " not in sentence


def test_docs_pages_mark_an_untranslated_page_once(japanese: dict[str, str]) -> None:
    """out/docs: a module page with nothing translated says so once, after its title; the
    fixed words left in English are marked where they stand."""
    files = japanese
    campaign = files["docs/ja/campaign.md"]
    assert campaign.count("*(untranslated)*") == 1
    assert campaign.startswith("# Campaign *(untranslated)*\n\n| ラベル | 内部名 | 説明 |")
    index = files["docs/ja/index.md"]
    assert "| Module *(untranslated)* | Translation completeness *(untranslated)* |" in index


BASE = "https://docs.example.com/workflows"


@pytest.fixture(scope="module")
def published() -> dict[str, str]:
    """The site built with a base URL (`--base-url` / base_url)."""
    settings = BuildSettings(
        catalog=ROOT / "catalog",
        locales_dir=ROOT / "locales",
        out=ROOT / "unused-out",
        base_url=BASE + "/",
    )
    files, _warnings = render_all(settings)
    return {f.path: f.content.decode() for f in files if f.path.startswith("site/")}


def test_canonical_and_alternates_are_absolute_with_a_base_url(
    site: dict[str, str], published: dict[str, str]
) -> None:
    """With a base URL every page names its absolute canonical address and its language
    versions absolutely; without one they are relative."""
    for path, text in published.items():
        if not re.fullmatch(r"site/[^/]+/[^/]+\.html", path):
            continue
        locale, name = path.split("/")[1:]
        links = [(t, a) for t, a in _parse(text) if t == "link" and a.get("rel") != "stylesheet"]
        canonical = [a["href"] for t, a in links if a.get("rel") == "canonical"]
        assert canonical == [f"{BASE}/{locale}/{name}"], path
        alternates = {a["hreflang"]: a["href"] for t, a in links if a.get("rel") == "alternate"}
        assert alternates["x-default"] == f"{BASE}/en/{name}"
        assert all(h == f"{BASE}/{c}/{name}" for c, h in alternates.items() if c != "x-default")
    relative = dict(
        re.findall(r'<link rel="(canonical)" href="([^"]+)">', site["site/sv/deliveries.html"])
    )
    assert relative == {"canonical": "deliveries.html"}


def test_sitemap_lists_every_page_with_its_alternates(
    site: dict[str, str], published: dict[str, str]
) -> None:
    """sitemap.xml (with a base URL only: the protocol wants absolute addresses) lists every
    page of every locale once, each with an xhtml:link per language and x-default."""
    import xml.etree.ElementTree as ET

    assert "site/sitemap.xml" not in site
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(published["site/sitemap.xml"])
    pages = sorted(
        f"{BASE}/{p.removeprefix('site/')}"
        for p in published
        if re.fullmatch(r"site/[^/]+/[^/]+\.html", p)
    )
    urls = root.findall("s:url", ns)
    assert sorted(u.findtext("s:loc", namespaces=ns) or "" for u in urls) == pages
    codes = sorted({p.split("/")[1] for p in published if p.count("/") == 2})
    for url in urls:
        loc = url.findtext("s:loc", namespaces=ns) or ""
        name = loc.rsplit("/", 1)[1]
        links = {x.get("hreflang"): x.get("href") for x in url.findall("x:link", ns)}
        assert links == {
            **{c: f"{BASE}/{c}/{name}" for c in codes},
            "x-default": f"{BASE}/en/{name}",
        }
        assert loc in links.values()


def test_root_index_and_404_list_every_language(
    site: dict[str, str], published: dict[str, str]
) -> None:
    """The root index.html and 404.html link to each language's index, named in its own
    language; 404 links absolutely when the base URL is known (it is served at any depth)."""
    codes = sorted({p.split("/")[1] for p in site if p.count("/") == 2})
    for name in ("index.html", "404.html"):
        hrefs = [a["href"] for t, a in _parse(site[f"site/{name}"]) if t == "a"]
        assert hrefs == [f"{c}/index.html" for c in codes]
    hrefs = [a["href"] for t, a in _parse(published["site/404.html"]) if t == "a"]
    assert hrefs == [f"{BASE}/{c}/index.html" for c in codes]
    assert (
        '<li lang="sv"><a href="sv/index.html" hreflang="sv">svenska</a>' in site["site/index.html"]
    )
    assert 'name="robots" content="noindex"' in site["site/404.html"]


def test_a_site_template_is_overridden_from_the_templates_folder(tmp_path: Path) -> None:
    """--templates holding site/module.html.j2 changes the module pages, and only them."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "module.html.j2").write_text(
        '{% extends "site/framed.html.j2" %}\n'
        '{% block content %}<p class="own">{{ rows|length }} {{ title.text }}</p>\n{% endblock %}\n',
        encoding="utf-8",
    )
    settings = BuildSettings(
        catalog=ROOT / "catalog",
        locales_dir=ROOT / "locales",
        out=ROOT / "unused-out",
        templates=tmp_path,
    )
    pages = {f.path: f.content.decode() for f in render_all(settings)[0]}
    own = re.search(r'<p class="own">(\d+) ([^<]*)</p>', _main(pages["site/de/campaign.html"]))
    assert own is not None and int(own.group(1)) > 0, pages["site/de/campaign.html"]
    assert "<table" not in _main(pages["site/de/campaign.html"])
    assert 'class="own"' not in pages["site/de/index.html"]
    assert 'class="own"' not in pages["site/de/sending.html"]


def test_site_texts_are_escaped_by_the_templates(tmp_path: Path) -> None:
    """A workflow label with markup characters reaches every site page as text, not markup."""
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    workflows = catalog / "workflows" / "campaign.yaml"
    text = workflows.read_text(encoding="utf-8")
    label = re.search(r"^    label: (.+)$", text, re.MULTILINE)
    assert label is not None
    workflows.write_text(
        text.replace(label.group(0), '    label: "<b>&amp; x</b>"', 1), encoding="utf-8"
    )
    settings = BuildSettings(catalog=catalog, locales_dir=tmp_path / "none", out=tmp_path / "out")
    pages = {f.path: f.content.decode() for f in render_all(settings)[0]}
    page = pages["site/en/campaign.html"]
    assert "&lt;b&gt;&amp;amp; x&lt;/b&gt;" in page
    assert "<b>" not in page
