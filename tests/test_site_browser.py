"""The static site in a real browser: Debian's Chromium driven by Playwright.

`make test` installs /usr/bin/chromium and a Japanese font (apt) and axe-core (npm, into
.venv/axe); Debian's chromium-headless-shell, when installed, is used instead of chromium.
Screenshots of en, sv and ja (a CJK locale with a few translations, see site_locales.py) at
375 px and 1280 px are saved in test-output/screenshots/ (git-ignored; a fixed folder so they
outlive pytest's rotation of temporary folders).

Each page of the layout and accessibility checks is seen at both widths in light and dark
mode, and axe-core must report no violation at all there, on the module, sending and index
pages of each locale and on the root's index.html and 404.html. Screenshots of the index, a
module page, a search with results and one without are written at both widths.

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
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import pytest

from generator.commands.build import BuildSettings, build
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

LOCALES = ("en", "sv", "de", "it", "ja")  # every locale the site fixture builds
SHOT_LOCALES = ("en", "sv", "ja")
PAGES = ("index", "deliveries", "sending", "message-center-execution")
SHOT_PAGES = ("index", "deliveries", "sending")
AXE_PAGES = ("index", "deliveries", "sending")
ROOT_PAGES = ("index", "404")  # the site's root: out/site/index.html, 404.html
WIDTHS = (375, 1280)
SCHEMES: tuple[Literal["light", "dark"], ...] = ("light", "dark")

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
        # Wait for the start here, not on the loop: a test that fails at once (the site's
        # build raising) closes the browser while it is still starting, and a wait on the
        # loop's own thread would block the start it waits for.
        started = self.started.exception(timeout=120) is None

        async def stop() -> None:
            playwright, browser, _context = self.started.result()
            await browser.close()
            await playwright.stop()

        try:
            if started:
                asyncio.run_coroutine_threadsafe(stop(), self.loop).result(timeout=120)
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
    # (locale, page, width, scheme) -> axe violations of any impact (id, help)
    axe: dict[tuple[str, str, int, str], list[tuple[str, str]]]
    shots: list[Path]
    # (locale, page, width) -> search box above the content, menu open, menu's toggle shown
    order: dict[tuple[str, str, int], tuple[bool, bool, bool]]


_ORDER = """async () => {
  // A viewport change reaches media-query listeners by the next frame.
  await new Promise(done => requestAnimationFrame(() => done()));
  const q = document.getElementById('q'), h = document.querySelector('main h1');
  const menu = document.querySelector('details.menu');
  const toggle = menu && menu.querySelector('summary');
  return [
    !!q && q.getBoundingClientRect().top < h.getBoundingClientRect().top,
    !!menu && menu.open,
    !!toggle && toggle.getBoundingClientRect().height > 0,
  ];
}"""


async def _axe(tab: Page) -> list[tuple[str, str]]:
    result: dict[str, Any] = await tab.evaluate(_AXE_RUN)
    return [(v["id"], v["help"]) for v in result["violations"]]


@pytest.fixture(scope="module")
def views(chromium: Chromium, site: Path) -> Views:
    """Load each page once at 375 px, check and photograph it, widen it to 1280 px, check and
    photograph it again; run axe at each width in light and dark mode (the pages are laid
    out by CSS alone, so a widened page is the page loaded wide)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    layout: dict[tuple[str, str, int], tuple[int, list[str]]] = {}
    axe: dict[tuple[str, str, int, str], list[tuple[str, str]]] = {}
    order: dict[tuple[str, str, int], tuple[bool, bool, bool]] = {}
    shots: list[Path] = []

    async def check(tab: Page, page: tuple[str, str]) -> None:
        locale, name = page
        path = site / f"{name}.html" if locale == "" else site / locale / f"{name}.html"
        for width in WIDTHS:
            await tab.set_viewport_size({"width": width, "height": 800})
            if width == WIDTHS[0]:
                await tab.emulate_media(color_scheme="light")
                await tab.goto(path.as_uri())
            if locale:
                overflow, broken = await tab.evaluate(_LAYOUT)
                layout[locale, name, width] = (overflow, broken)
                order[locale, name, width] = tuple(await tab.evaluate(_ORDER))
            for scheme in SCHEMES:
                await tab.emulate_media(color_scheme=scheme)
                if (
                    name in SHOT_PAGES
                    and locale in SHOT_LOCALES
                    and (scheme == "light" or locale == "sv")
                ):
                    suffix = "" if scheme == "light" else "-dark"
                    shot = SHOTS / f"{locale}-{name}-{width}{suffix}.png"
                    # Nothing has focus, so the text caret Playwright would hide by injecting a
                    # style is not drawn anyway: the same image, made in two thirds of the time.
                    await tab.screenshot(path=shot, caret="initial")
                    shots.append(shot)
                if name in AXE_PAGES or not locale:
                    axe[locale or "root", name, width, scheme] = await _axe(tab)
            await tab.emulate_media(color_scheme="light")

    pages = [(lo, n) for lo in LOCALES for n in PAGES] + [("", n) for n in ROOT_PAGES]
    chromium.each(pages, check, init_script=AXE)
    return Views(layout=layout, axe=axe, shots=shots, order=order)


def test_phone_width_no_horizontal_scroll_no_broken_words_and_screenshots(views: Views) -> None:
    """At 375 px nothing scrolls sideways and no word in a table breaks; screenshots saved."""
    assert len(views.layout) == len(LOCALES) * len(PAGES) * len(WIDTHS)
    for (locale, name, width), (overflow, broken) in sorted(views.layout.items()):
        assert overflow <= 0, f"{locale}/{name} at {width}px scrolls by {overflow}px"
        assert broken == [], f"{locale}/{name} at {width}px"
    assert len(views.shots) == (len(SHOT_LOCALES) + 1) * len(SHOT_PAGES) * len(WIDTHS)
    assert all(shot.is_file() for shot in views.shots)
    print(f"screenshots in {SHOTS}")


def test_axe_no_violation_at_either_width_in_light_and_dark(views: Views) -> None:
    """axe-core finds nothing, of any impact, on every page type of every locale and on the
    root pages, at 375 and 1280 px, in light and dark mode."""
    pages = len(LOCALES) * len(AXE_PAGES) + len(ROOT_PAGES)
    assert len(views.axe) == pages * len(WIDTHS) * len(SCHEMES)
    for (locale, name, width, scheme), bad in sorted(views.axe.items()):
        assert bad == [], f"{locale}/{name} at {width}px, {scheme}: {bad}"


def test_phone_shows_search_and_a_closed_menu_first(views: Views) -> None:
    """At 375 px the search box comes before the content and the page list is a closed menu
    with its toggle; at 1280 px the list is open and needs no toggle."""
    for (locale, name, width), (search_first, menu_open, toggle) in sorted(views.order.items()):
        where = f"{locale}/{name} at {width}px"
        if width == 375:
            assert search_first and not menu_open and toggle, where
        else:
            assert menu_open and not toggle, where


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


# Each result: its link, the id in it, the page named under it, the marked text, the snippet.
_HITS = """() => [...document.querySelectorAll('#hits li')].map(li => [
  li.querySelector('a').getAttribute('href'),
  li.querySelector('code').textContent,
  (li.querySelector('.hit-page') || {}).textContent || '',
  [...li.querySelectorAll('mark')].map(m => m.textContent),
  (li.querySelector('.hit-text') || {}).textContent || '',
])"""


def _tables(site: Path, locale: str) -> dict[str, tuple[str, list[str]]]:
    """page -> (its h1, the workflow ids of its table), read from the built files."""
    import html
    import re

    found = {}
    for path in sorted((site / locale).glob("*.html")):
        text = path.read_text("utf-8")
        heading = re.search(r"<h1>(.*?)</h1>", text, re.S)
        ids = [html.unescape(i) for i in re.findall(r'<tr id="([^"]+)"><td', text)]
        if heading and ids:
            title = html.unescape(re.sub(r"<[^>]+>|\*", "", heading.group(1)))
            found[path.stem] = (title, ids)
    return found


def test_search_results_name_page_mark_the_match_and_never_repeat(
    chromium: Chromium, site: Path
) -> None:
    """A result names the page (module) it links to, marks what matched (accents ignored),
    shows the matching text when the match is in the description, and each workflow comes
    once even when several pages list it; the status line counts them."""
    tables = _tables(site, "sv")
    listed: dict[str, list[str]] = {}
    for page, (_title, ids) in tables.items():
        for workflow in ids:
            listed.setdefault(workflow, []).append(page)
    twice = next(w for w, pages in sorted(listed.items()) if len(pages) > 1)

    async def search(tab: Page, index: str) -> dict[str, Any]:
        await tab.goto(index)
        out: dict[str, Any] = {}
        for query in (twice, "sparning", "aggregat", "rapport"):
            await tab.fill("#q", query)
            out[query] = (await tab.evaluate(_HITS), await tab.inner_text("#hits-status"))
        return out

    [found] = chromium.each([(site / "sv" / "index.html").as_uri()], search)
    for query, (hits, status) in found.items():
        ids = [code for _href, code, _page, _marks, _text in hits]
        assert ids and len(ids) == len(set(ids)), (query, ids)
        assert status.startswith(str(len(hits))) or len(hits) == 20, status
        for href, code, page_title, marks, _text in hits:
            page = href.split(".html#")[0]
            assert code in tables[page][1] and page_title == tables[page][0], (query, href)
            assert marks, (query, code)
    assert [code for _h, code, *_ in found[twice][0]].count(twice) == 1
    # Accents folded: "sparning" finds Spårning, and the mark shows the word as written.
    assert any("Spårning" in marks for *_rest, marks, _t in found["sparning"][0])
    # A match inside the description shows that text, cut around the marked word.
    snippets = [text for *_rest, marks, text in found["rapport"][0] if text]
    assert snippets and all("rapport" in t.lower() for t in snippets)


def test_search_without_match_says_so_and_keys_move_through_results(
    chromium: Chromium, site: Path
) -> None:
    """No match: the results panel says nothing matches (announced as a status) and lists
    nothing. With matches: Down from the box reaches the first result, Down/Up move, Up from
    the first goes back to the box, Escape clears; screenshots of both searches."""

    async def search(tab: Page, item: tuple[str, int]) -> dict[str, Any]:
        index, width = item
        await tab.set_viewport_size({"width": width, "height": 800})
        await tab.goto(index)
        out: dict[str, Any] = {}
        await tab.fill("#q", "zzqqxx")
        out["none"] = (
            await tab.inner_text("#hits-status"),
            await tab.locator("#hits li").count(),
            await tab.is_visible("#results"),
        )
        await tab.screenshot(path=SHOTS / f"sv-search-none-{width}.png", caret="initial")
        await tab.fill("#q", "rapport")
        await tab.screenshot(path=SHOTS / f"sv-search-hits-{width}.png", caret="initial")
        focus = "() => document.activeElement.id || document.activeElement.getAttribute('href')"
        moves = []
        for key in ("ArrowDown", "ArrowDown", "ArrowUp", "ArrowUp", "ArrowDown"):
            await tab.keyboard.press(key)
            moves.append(await tab.evaluate(focus))
        out["hrefs"] = await tab.locator("#hits a").evaluate_all(
            "as => as.map(a => a.getAttribute('href'))"
        )
        out["moves"] = moves
        await tab.keyboard.press("Escape")
        out["cleared"] = (await tab.input_value("#q"), await tab.is_visible("#results"))
        out["results"] = await tab.evaluate(
            "() => { const s = getComputedStyle(document.getElementById('results'));"
            " return [s.borderTopStyle, s.backgroundColor]; }"
        )
        return out

    SHOTS.mkdir(parents=True, exist_ok=True)
    index = (site / "sv" / "index.html").as_uri()
    for result in chromium.each([(index, w) for w in WIDTHS], search):
        status, count, visible = result["none"]
        assert (status, count, visible) == ("No workflow matches your search.", 0, True)
        hrefs = result["hrefs"]
        assert len(hrefs) >= 2
        assert result["moves"] == [hrefs[0], hrefs[1], hrefs[0], "q", hrefs[0]]
        assert result["cleared"] == ("", False)
        border, background = result["results"]
        assert border == "solid" and background not in ("rgba(0, 0, 0, 0)", "transparent")
    for width in WIDTHS:
        assert (SHOTS / f"sv-search-none-{width}.png").is_file()
        assert (SHOTS / f"sv-search-hits-{width}.png").is_file()


@pytest.mark.parametrize(
    ("languages", "lands"), [("sv-SE", "sv/index.html"), ("fr-FR", "index.html")]
)
def test_root_index_follows_the_browsers_language(
    chromium: Chromium, site: Path, languages: str, lands: str
) -> None:
    """The root index goes to the reader's language when the site has it, and otherwise
    stays on the list of languages."""
    from playwright.async_api import async_playwright

    async def visit() -> str:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                context = await browser.new_context(locale=languages)
                tab = await context.new_page()
                await tab.goto((site / "index.html").as_uri())
                await tab.wait_for_load_state()
                return tab.url
            finally:
                await browser.close()

    assert asyncio.run(visit()) == (site / lands).as_uri()
