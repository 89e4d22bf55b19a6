"""The static site in a real browser: Debian's Chromium driven by Playwright.

`make test` installs /usr/bin/chromium and a Japanese font (apt) and axe-core (npm, into
.venv/axe); Debian's chromium-headless-shell, when installed, is used instead of chromium.
Screenshots of en, sv and ja (a CJK locale with a few translations, see site_locales.py) at
375 px and 1280 px are saved in test-output/screenshots/ (git-ignored; a fixed folder so they
outlive pytest's rotation of temporary folders).

Only the English site is crawled in the browser; every locale's links are checked statically
in test_site.py, which keeps this file fast. So does the way pages are driven: Playwright's
async API, on an event loop in a thread of its own, loads pages in several tabs at once, and
each page of the layout and accessibility checks is loaded once, checked at 375 px, then
widened to 1280 px.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from generator.build import BuildSettings, build
from tests.site_locales import with_japanese

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page, Playwright

T = TypeVar("T")
V = TypeVar("V")

ROOT = Path(__file__).resolve().parent.parent
# Debian's chromium-headless-shell when installed: the same Chromium build (source package,
# version, Blink, V8, Skia: the screenshots are byte for byte the same) without the desktop
# browser around it, which halves the CPU a page load costs. Else the full /usr/bin/chromium.
CHROMIUM = Path(
    os.environ.get("WFGEN_CHROMIUM")
    or next(
        (
            path
            for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
            if Path(path).is_file()
        ),
        "/usr/bin/chromium",
    )
)
AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-output" / "screenshots"
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
# Tabs loading pages at once. A navigation is mostly waiting on Chromium's processes; three
# tabs crawled the English site in half the time of one, for no more CPU (four: no better).
TABS = 3

LOCALES = ("en", "sv", "ja")
PAGES = ("index", "deliveries", "sending", "message-center-execution")
SHOT_PAGES = ("index", "deliveries", "sending")
AXE_PAGES = ("index", "deliveries", "sending")
WIDTHS = (375, 1280)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file() or not AXE.is_file(),
    reason="run `make test`: it installs chromium (apt) and axe-core (npm)",
)


class Chromium:
    """The module's browser, driven from plain test functions.

    Playwright's async API runs on an event loop in a thread of its own, so Chromium starts
    while the site is being built, and several tabs load pages at once. Every tab records
    console errors and uncaught exceptions; `each` fails when any of its tabs saw one.
    """

    def __init__(self) -> None:
        api = pytest.importorskip("playwright.async_api")
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

        async def start() -> tuple[Playwright, Browser, BrowserContext]:
            playwright = await api.async_playwright().start()
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            return playwright, browser, context

        self.started = asyncio.run_coroutine_threadsafe(start(), self.loop)

    def each(
        self,
        items: Sequence[T],
        visit: Callable[[Page, T], Awaitable[V]],
        *,
        init_script: Path | None = None,
    ) -> list[V]:
        """Run ``visit(tab, item)`` for every item, in up to TABS new tabs at once.

        Returns the results in the order of ``items``.
        """
        _playwright, _browser, context = self.started.result()
        return asyncio.run_coroutine_threadsafe(
            self._each(context, items, visit, init_script), self.loop
        ).result()

    async def _each(
        self,
        context: BrowserContext,
        items: Sequence[T],
        visit: Callable[[Page, T], Awaitable[V]],
        init_script: Path | None,
    ) -> list[V]:
        errors: list[str] = []
        queue = list(enumerate(items))
        results: dict[int, V] = {}

        async def work() -> None:
            tab = await context.new_page()
            tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            tab.on("pageerror", lambda e: errors.append(str(e)))
            if init_script is not None:
                await tab.add_init_script(path=init_script)
            try:
                while queue:
                    index, item = queue.pop(0)
                    results[index] = await visit(tab, item)
            finally:
                await tab.close()

        # Every tab finishes its queue and closes before the first failure is raised.
        outcomes = await asyncio.gather(
            *(work() for _ in range(min(TABS, len(items)))), return_exceptions=True
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        assert errors == [], errors
        return [results[i] for i in range(len(items))]

    def close(self) -> None:
        async def stop() -> None:
            playwright, browser, _context = self.started.result()
            await browser.close()
            await playwright.stop()

        try:
            asyncio.run_coroutine_threadsafe(stop(), self.loop).result()
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join()
            self.loop.close()


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


# Tests name `chromium` before `site`: Chromium starts, then the site is built meanwhile.
@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    browser = Chromium()
    try:
        yield browser
    finally:
        browser.close()


# The layout and axe checks come first: with pytest-xdist's worksteal an idle worker takes
# the last tests of a busy one, and these two share a fixture that is costly to make twice.

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
# How far the page scrolls sideways, and its broken words.
_LAYOUT = f"""() => [
  document.documentElement.scrollWidth - document.documentElement.clientWidth,
  ({_BROKEN_WORDS})(),
]"""
# No preload: axe would fetch the stylesheet with XHR, which file:// refuses.
_AXE_RUN = "axe.run(document, {preload: false, resultTypes: ['violations']})"


@dataclass(frozen=True)
class Views:
    """What the layout and accessibility checks found, page by page."""

    # (locale, page, width) -> (sideways scroll in px, words broken inside)
    layout: dict[tuple[str, str, int], tuple[int, list[str]]]
    # (locale, page) -> serious or critical axe violations (id, help), at 1280 x 900 px
    axe: dict[tuple[str, str], list[tuple[str, str]]]
    shots: list[Path]


@pytest.fixture(scope="module")
def views(chromium: Chromium, site: Path) -> Views:
    """Load each page once at 375 px, check and photograph it, widen it to 1280 px, check and
    photograph it again, then run axe on it at 1280 x 900 px (the pages are laid out by CSS
    alone, so a widened page is the page loaded wide)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    layout: dict[tuple[str, str, int], tuple[int, list[str]]] = {}
    axe: dict[tuple[str, str], list[tuple[str, str]]] = {}
    shots: list[Path] = []

    async def check(tab: Page, page: tuple[str, str]) -> None:
        locale, name = page
        for width in WIDTHS:
            await tab.set_viewport_size({"width": width, "height": 800})
            if width == WIDTHS[0]:
                await tab.goto((site / locale / f"{name}.html").as_uri())
            overflow, broken = await tab.evaluate(_LAYOUT)
            layout[locale, name, width] = (overflow, broken)
            if name in SHOT_PAGES:
                shot = SHOTS / f"{locale}-{name}-{width}.png"
                # Nothing has focus, so the text caret Playwright would hide by injecting a
                # style is not drawn anyway: the same image, made in two thirds of the time.
                await tab.screenshot(path=shot, caret="initial")
                shots.append(shot)
        if name in AXE_PAGES:
            await tab.set_viewport_size({"width": 1280, "height": 900})
            result: dict[str, Any] = await tab.evaluate(_AXE_RUN)
            axe[locale, name] = [
                (v["id"], v["help"])
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]

    chromium.each([(lo, n) for lo in LOCALES for n in PAGES], check, init_script=AXE)
    return Views(layout=layout, axe=axe, shots=shots)


def test_phone_width_no_horizontal_scroll_no_broken_words_and_screenshots(views: Views) -> None:
    """At 375 px nothing scrolls sideways and no word in a table breaks; screenshots saved."""
    assert len(views.layout) == len(LOCALES) * len(PAGES) * len(WIDTHS)
    for (locale, name, width), (overflow, broken) in sorted(views.layout.items()):
        assert overflow <= 0, f"{locale}/{name} at {width}px scrolls by {overflow}px"
        assert broken == [], f"{locale}/{name} at {width}px"
    assert len(views.shots) == len(LOCALES) * len(SHOT_PAGES) * len(WIDTHS)
    assert all(shot.is_file() for shot in views.shots)
    print(f"screenshots in {SHOTS}")


def test_axe_no_serious_or_critical(views: Views) -> None:
    assert len(views.axe) == len(LOCALES) * len(AXE_PAGES)
    for (locale, name), bad in sorted(views.axe.items()):
        assert bad == [], f"{locale}/{name}: {bad}"


# Every link, stylesheet and script of the page as the browser resolves it: [file, anchor].
_LINKS = """() => [...document.querySelectorAll('a[href], link[href], script[src]')].map(e => {
  const u = new URL(e.href || e.src);
  return [u.href.split('#')[0], decodeURIComponent(u.hash.slice(1))];
})"""


def test_every_link_resolves(chromium: Chromium, site: Path) -> None:
    """Crawl the English site: every link, stylesheet and script exists, every anchor too."""
    english = (site / "en").as_uri()
    ids: dict[Path, str] = {}  # each target file read once

    async def links(tab: Page, url: str) -> list[list[str]]:
        await tab.goto(url, wait_until="domcontentloaded")
        found: list[list[str]] = await tab.evaluate(_LINKS)
        return found

    seen: set[str] = set()
    todo = [f"{english}/index.html"]
    while todo:
        batch = sorted({url.split("#")[0] for url in todo} - seen)
        seen.update(batch)
        todo = []
        for base, found in zip(batch, chromium.each(batch, links), strict=True):
            for href, fragment in found:
                path = Path(href.removeprefix("file://"))
                assert path.is_file(), f"{base}: broken link {href}"
                if fragment:
                    if path not in ids:
                        ids[path] = path.read_text().replace("&lt;", "<").replace("&gt;", ">")
                    assert f'id="{fragment}"' in ids[path], f"{base}: missing anchor #{fragment}"
                if href.endswith(".html") and href.startswith(english):
                    todo.append(href)
    assert len(seen) >= 20 and f"{english}/sending.html" in seen


def test_index_module_switch_language(chromium: Chromium, site: Path) -> None:
    async def walk(tab: Page, index: str) -> None:
        await tab.goto(index)
        await tab.click("main a[href='deliveries.html']")
        assert tab.url.endswith("/en/deliveries.html")
        await tab.click("nav.switch a[hreflang='sv']")
        assert tab.url.endswith("/sv/deliveries.html")
        assert await tab.locator("html").get_attribute("lang") == "sv"
        assert await tab.locator("#tracking td").first.inner_text() == "Spårning"

    chromium.each([(site / "en" / "index.html").as_uri()], walk)


@pytest.mark.parametrize("query", ["supplierMgt", "Spårning"])
def test_search_finds_by_id_and_translated_label(
    chromium: Chromium, site: Path, query: str
) -> None:
    async def search(tab: Page, index: str) -> None:
        await tab.goto(index)
        await tab.fill("#q", query)
        hits = await tab.locator("#hits a").all_inner_texts()
        assert any(query in hit for hit in hits), hits
        await tab.click("#hits a >> nth=0")
        assert "#" in tab.url and tab.url.split("#")[0].endswith(".html")

    chromium.each([(site / "sv" / "index.html").as_uri()], search)
