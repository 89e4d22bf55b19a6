"""docs check is never confidently wrong, and a page's answer is its own.

Generated list pages (windows of 5-40 rows of a product's list of technical workflows) have
some ids and labels translated into made-up words of several scripts, the same words for the
same workflow across the pages of one language, as a translation memory gives them. Each page
is damaged or not (a row removed next to a translated row, a row written twice, two rows
swapped), then checked alone and inside batches of other generated pages. No row may get a
wrong id (two swapped rows that only the order places are reported as order-only, never
silently), and a row settled alone gets the same id in every batch.
"""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.docs import read_page
from generator.docs.align import _label
from generator.docs.check import align_pages
from generator.docs.results import PageReport
from generator.load.catalog import Catalog, load_catalog

from .conftest import CATALOG, examples

# Made-up words are drawn from these scripts: none of them holds a canonical id's letters.
SCRIPTS = (
    "αβγδεζηθικλμνξπρστφχψω",
    "абвгдежзиклмнопрстуфхцчшщ",
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家",
    "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허",
    "bcdfghjklmnpqrstvwxz",
)
PRODUCTS = {"classic-v7": "Campaign Classic", "v8": "Campaign v8"}


@functools.cache
def _bundled() -> Catalog:
    return load_catalog([CATALOG])[0]


def _words(key: str, script: str, n: int = 2) -> str:
    """The same made-up words for the same key: a language's consistent translation."""
    rng = random.Random(key)
    return " ".join("".join(rng.choice(script) for _ in range(rng.randint(2, 6))) for _ in range(n))


def _list(catalog: Catalog, product: str) -> list[tuple[str, str, str, str]]:
    """(label, id, package, description) of a product's list page, in its order."""
    found = [
        w
        for w in catalog.workflows
        if product in w.products and not w.obsolete and not w.is_template
    ]
    found.sort(key=lambda w: (_label(w, product).casefold(), w.id))
    return [(_label(w, product), w.id, w.package, w.description) for w in found]


Row = tuple[str, str, str, str, str]  # label, documented id, package, description, true id


def _page(rng: random.Random, catalog: Catalog, locale: str, script: str) -> list[Row]:
    """A window of a product's list with some rows translated the language's way."""
    product = rng.choice(sorted(PRODUCTS))
    rows = _list(catalog, product)
    size = rng.randint(5, min(40, len(rows)))
    start = rng.randrange(len(rows) - size + 1)
    page: list[Row] = []
    share = rng.uniform(0.1, 0.6)
    for label, wid, package, text in rows[start : start + size]:
        if rng.random() < share:
            said = _words(f"{locale}|{wid}|label", script)
            written = said.replace(" ", "") if rng.random() < 0.7 else _words(wid, script, 1)
            foreign_text = rng.random() < 0.5
            page.append(
                (
                    said,
                    written,
                    _words(f"{locale}|{package}", script),
                    _words(f"{locale}|{wid}|text", script, 6) if foreign_text else text,
                    wid,
                )
            )
        else:
            page.append((label, wid, _words(f"{locale}|{package}", script), text, wid))
    return page


def _damage(rng: random.Random, rows: list[Row], kind: str) -> list[Row]:
    translated = [i for i, r in enumerate(rows) if r[1] != r[4]]
    if kind == "none" or not translated:
        return rows
    k = rng.choice(translated)
    near = [j for j in (k - 1, k + 1) if 0 <= j < len(rows)]
    if kind == "removed":
        gone = rng.choice(near)
        return [r for i, r in enumerate(rows) if i != gone]
    if kind == "doubled":
        twice = rng.choice(near)
        return [*rows[: twice + 1], rows[twice], *rows[twice + 1 :]]
    other = k + 1 if k + 1 < len(rows) else k - 1
    swapped = list(rows)
    swapped[k], swapped[other] = swapped[other], swapped[k]
    return swapped


def _write(rows: list[Row], path: Path) -> None:
    head = ("---", "title: Technical workflows", "---", "", "# Technical workflows", "")
    lines = [
        *head,
        "| Workflow | Package | Description |",
        "|---|---|---|",
        *(f"| **{label}** ({wid}) | {package} | {text} |" for label, wid, package, text, _ in rows),
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def _verdicts(report: PageReport) -> list[tuple[str, str | None, bool]]:
    return [(r.status, r.canonical_id, r.order_only) for r in report.rows]


def _assert_never_wrong(report: PageReport, rows: list[Row], kind: str) -> None:
    assert len(report.rows) == len(rows)
    for result, row in zip(report.rows, rows, strict=True):
        if result.status not in ("ok", "mismatch"):  # unresolved, or an id no catalogue has
            continue
        if result.canonical_id != row[4]:
            # Two translated rows that traded places look the same as the right order: only
            # the order speaks, and the row says so.
            assert kind == "swapped" and result.order_only, (kind, row, result)


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 1_000_000),
    kind=st.sampled_from(["none", "removed", "doubled", "swapped"]),
    others=st.integers(1, 4),
)
def test_never_wrong_and_the_same_alone_as_in_any_batch(
    *, tmp_path_factory: pytest.TempPathFactory, seed: int, kind: str, others: int
) -> None:
    """A damaged or whole page: no wrong id alone or in a batch; a row settled alone keeps its
    id and status in every batch, and a batch never gives a row an id that differs from the
    one it has alone."""
    catalog = _bundled()
    rng = random.Random(seed)
    script = rng.choice(SCRIPTS)
    locale = rng.choice(["el-GR", "ru-RU", "ko-KR", "fi-FI", "pl-PL"])  # no PO file bundled
    folder = tmp_path_factory.mktemp("trust")
    rows = _damage(rng, _page(rng, catalog, locale, script), kind)
    path = folder / locale / "page.md"
    _write(rows, path)
    page = read_page(path)
    (alone,) = align_pages([page], catalog=catalog)
    _assert_never_wrong(alone, rows, kind)
    extra = []
    for n in range(others):
        other = folder / locale / f"other-{n}.md"
        _write(_page(rng, catalog, locale, script), other)
        extra.append(read_page(other))
    for batch in ([page, *extra], [*extra, page]):
        reports = align_pages(batch, catalog=catalog)
        together = next(r for r in reports if r.path == path)
        _assert_never_wrong(together, rows, kind)
        for one, many in zip(_verdicts(alone), _verdicts(together), strict=True):
            if one[0] in ("ok", "mismatch"):
                assert many == one, (one, many)
            elif many[0] in ("ok", "mismatch"):
                assert not many[2], many  # a batch never settles a row by the order alone
