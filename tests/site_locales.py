"""A Japanese PO file for the site tests: a CJK locale with a few translations, the rest left
to the English fallback. Built from the Swedish PO (for its entries and source hashes) with
every translation replaced, so it follows the catalogue as it changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.pofile import read_po, write_po

# Japanese texts written for these tests (not taken from any documentation page).
JAPANESE = {
    "module|deliveries": "配信",
    "reportingAggregates|label": "レポート集計",
    "reportingAggregates|description": "このワークフローは、レポートで使用される集計を更新します。",
    "tracking|label": "トラッキング",
    "tracking|description": "このワークフローは、トラッキング情報の回復と統合を実行します。",
    "billing|label": "請求",
    "phrase|daily": "毎日 {time}",
    "phrase|hourly": "毎時 0 分",
    "ui|label": "ラベル",
    "ui|internal-name": "内部名",
    "ui|description": "説明",
    "ui|index-title": "テクニカルワークフロー",
}


def with_japanese(locales: Path, target: Path) -> Path:
    """Copy the ``locales`` folder to ``target`` and add ``ja`` (a few entries translated)."""
    shutil.copytree(locales, target)
    with (locales / "sv" / "LC_MESSAGES" / "workflows.po").open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    catalog.locale = "ja"  # type: ignore[assignment]
    for message in catalog:
        if message.id:
            message.string = JAPANESE.get(str(message.context), "")
            message.flags.discard("fuzzy")
    folder = target / "ja" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "workflows.po").open("wb") as out:
        write_po(out, catalog, width=0)
    return target
