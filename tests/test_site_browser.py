"""The static site in a real browser: Debian's Chromium driven by Playwright.

`make test` installs /usr/bin/chromium (apt) and axe-core (npm, into .venv/axe). Screenshots of
en, sv and ja (a CJK locale from a fixture PO, otherwise the untranslated fallback) at 375 px
and 1280 px are saved in test-output/screenshots/ (git-ignored; a fixed folder so they outlive
pytest's rotation of temporary folders).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build import BuildSettings, build

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
    locales = root / "locales"
    shutil.copytree(ROOT / "locales", locales)
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
    # The browser crawls one locale and every locale's index (its scripts and search index);
    # test_site.py checks every link and anchor of every locale without a browser.
    crawl = (site / "en").as_uri() + "/"
    seen: set[str] = set()
    todo = [(site / "en" / "index.html").as_uri()]
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
            if (href.startswith(crawl) and href.endswith(".html")) or href.endswith("/index.html"):
                todo.append(href)
    assert len(seen) >= 20 + 4


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


def test_phone_width_no_horizontal_scroll_and_screenshots(site: Path, browser: Any) -> None:
    shots = ROOT / "test-output" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        tab = context.new_page()
        for locale in ("en", "sv", "ja"):
            for name in ("index", "deliveries"):
                tab.goto((site / locale / f"{name}.html").as_uri())
                overflow = tab.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{locale}/{name} at {width}px scrolls by {overflow}px"
                if name == "deliveries":
                    tab.screenshot(path=str(shots / f"{locale}-{width}.png"), full_page=False)
        context.close()
    print(f"screenshots in {shots}")


def test_axe_no_serious_or_critical(site: Path, page: Any) -> None:
    script = AXE.read_text()
    for locale in ("en", "sv", "ja"):
        for name in ("index", "deliveries"):
            page.goto((site / locale / f"{name}.html").as_uri())
            page.add_script_tag(content=script)
            result = page.evaluate("axe.run()")
            bad = [
                (v["id"], v["help"])
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert bad == [], f"{locale}/{name}: {bad}"
