"""The static site in a real browser: Debian's Chromium driven by Playwright.

`make test` installs /usr/bin/chromium and a Japanese font (apt) and axe-core (npm, into
.venv/axe). Screenshots of en, sv and ja (a CJK locale with a few translations, see
site_locales.py) at 375 px and 1280 px are saved in test-output/screenshots/ (git-ignored; a
fixed folder so they outlive pytest's rotation of temporary folders).

Only the English site is crawled in the browser; every locale's links are checked statically
in test_site.py, which keeps this file fast.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build import BuildSettings, build
from tests.site_locales import with_japanese

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("WFGEN_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file() or not AXE.is_file(),
    reason="run `make test`: it installs chromium (apt) and axe-core (npm)",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    locales = with_japanese(ROOT / "locales", root / "locales")
    settings = BuildSettings(
        catalog=ROOT / "catalog",
        locales_dir=locales,
        out=root / "out",
        locales=("en", "sv", "de", "it", "ja"),
    )
    build(settings)
    return root / "out" / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.errors = errors
    yield tab
    context.close()
    assert errors == [], errors


def test_every_link_resolves(site: Path, page: Any) -> None:
    """Crawl the English site: every link, stylesheet and script exists, every anchor too."""
    english = (site / "en").as_uri()
    seen: set[str] = set()
    todo = [f"{english}/index.html"]
    while todo:
        url = todo.pop()
        base = url.split("#")[0]
        if base in seen:
            continue
        seen.add(base)
        page.goto(base, wait_until="domcontentloaded")
        for href, fragment in page.eval_on_selector_all(
            "a[href], link[href], script[src]",
            "els => els.map(e => {const u = new URL(e.href || e.src);"
            " return [u.href.split('#')[0], decodeURIComponent(u.hash.slice(1))]})",
        ):
            path = Path(href.removeprefix("file://"))
            assert path.is_file(), f"{base}: broken link {href}"
            if fragment:
                assert f'id="{fragment}"' in path.read_text().replace("&lt;", "<").replace(
                    "&gt;", ">"
                ), f"{base}: missing anchor #{fragment}"
            if href.endswith(".html") and href.startswith(english):
                todo.append(href)
    assert len(seen) >= 20 and f"{english}/sending.html" in seen


def test_index_module_switch_language(site: Path, page: Any) -> None:
    page.goto((site / "en" / "index.html").as_uri())
    page.click("main a[href='deliveries.html']")
    assert page.url.endswith("/en/deliveries.html")
    page.click("nav.switch a[hreflang='sv']")
    assert page.url.endswith("/sv/deliveries.html")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("#tracking td").first.inner_text() == "Spårning"


@pytest.mark.parametrize("query", ["supplierMgt", "Spårning"])
def test_search_finds_by_id_and_translated_label(site: Path, page: Any, query: str) -> None:
    page.goto((site / "sv" / "index.html").as_uri())
    page.fill("#q", query)
    hits = page.locator("#hits a").all_inner_texts()
    assert any(query in hit for hit in hits), hits
    page.click("#hits a >> nth=0")
    assert "#" in page.url and page.url.split("#")[0].endswith(".html")


# Words of table cells split over two lines. Words are told apart by the browser's own word
# segmenter (Intl.Segmenter, dictionary-based for Japanese); a break at <wbr> separates two text
# nodes, so it never counts. Cells hidden from view (a phone's clipped header row) are skipped.
_BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const cell = node.parentElement.closest('td, th');
    const head = cell && cell.closest('thead');
    if (!cell || head && head.getBoundingClientRect().width < 2) continue;
    const lang = node.parentElement.closest('[lang]').getAttribute('lang');
    const words = new Intl.Segmenter(lang, {granularity: 'word'}).segment(node.textContent);
    for (const w of words) {
      if (!w.isWordLike) continue;
      const range = document.createRange();
      range.setStart(node, w.index);
      range.setEnd(node, w.index + w.segment.length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(w.segment);
    }
  }
  return broken;
}"""


def test_phone_width_no_horizontal_scroll_no_broken_words_and_screenshots(
    site: Path, browser: Any
) -> None:
    """At 375 px nothing scrolls sideways and no word in a table breaks; screenshots saved."""
    shots = ROOT / "test-output" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        tab = context.new_page()
        for locale in ("en", "sv", "ja"):
            for name in ("index", "deliveries", "sending", "message-center-execution"):
                tab.goto((site / locale / f"{name}.html").as_uri())
                overflow = tab.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{locale}/{name} at {width}px scrolls by {overflow}px"
                assert tab.evaluate(_BROKEN_WORDS) == [], f"{locale}/{name} at {width}px"
                if name in ("index", "deliveries", "sending"):
                    tab.screenshot(path=str(shots / f"{locale}-{name}-{width}.png"))
        context.close()
    print(f"screenshots in {shots}")


def test_axe_no_serious_or_critical(site: Path, page: Any) -> None:
    script = AXE.read_text()
    for locale in ("en", "sv", "ja"):
        for name in ("index", "deliveries", "sending"):
            page.goto((site / locale / f"{name}.html").as_uri())
            page.add_script_tag(content=script)
            # No preload: axe would fetch the stylesheet with XHR, which file:// refuses.
            result = page.evaluate(
                "axe.run(document, {preload: false, resultTypes: ['violations']})"
            )
            bad = [
                (v["id"], v["help"])
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert bad == [], f"{locale}/{name}: {bad}"
