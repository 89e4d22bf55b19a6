"""The abbreviations shipped with wfgen are those CLDR gives, for the Babel release locked.

Regenerate after a Babel upgrade: ``.venv/bin/python tests/test_abbreviations_table.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import babel
from babel.localedata import locale_identifiers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.l10n import abbreviations as ab


def _languages() -> list[str]:
    """Every language CLDR has data for, without a region or script."""
    return sorted(i for i in locale_identifiers() if "_" not in i)


def table() -> dict[str, object]:
    return {
        "babel": babel.__version__,
        "locales": {code: sorted(ab.computed(code)) for code in _languages()},
    }


def test_shipped_table_is_what_cldr_gives() -> None:
    """Every language's shipped abbreviations equal those worked out from Babel's CLDR data,
    and abbreviations() answers from the table."""
    shipped = json.loads(ab.TABLE.read_text(encoding="utf-8"))
    assert shipped == table(), f"regenerate: python {Path(__file__).name}"
    assert ab.abbreviations("sv") == ab.computed("sv")
    assert "kl." in ab.abbreviations("sv")


def test_a_region_or_unknown_locale_is_worked_out() -> None:
    """A locale the table lacks (a region, an unknown code) is computed, not guessed."""
    assert ab.abbreviations("de_CH") == ab.computed("de_CH")
    assert ab.abbreviations("xx-unknown") == frozenset()


if __name__ == "__main__":
    text = json.dumps(table(), ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    ab.TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {ab.TABLE}")
