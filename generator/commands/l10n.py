"""``wfgen l10n``: the template and the PO files kept in step with the catalogue, their
statistics, their checks and the glossary. Each subcommand is one function here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, UsageError
from ..l10n.glossary import Term
from ..l10n.messages import Message
from ..l10n.po import (
    available_locales,
    parse_locale,
    po_path,
    pot_path,
    read_po_file,
)
from ..l10n.po_write import dump_po, write_if_changed
from ..l10n.stats import LocaleStats
from ..l10n.update import L10nSettings, WriteResult, load_messages, merge

__all__ = [
    "GlossaryResult",
    "GlossarySettings",
    "L10nSettings",
    "LocalesSettings",
    "WriteResult",
    "check",
    "chosen_locales",
    "extract",
    "glossary",
    "init_locale",
    "stats",
    "update_all",
]


@dataclass(frozen=True)
class LocalesSettings:
    """Options of ``l10n stats`` and ``l10n check``: the paths, and the locales asked for
    (empty: every locale with a PO file)."""

    paths: L10nSettings
    locales: tuple[str, ...] = ()


@dataclass(frozen=True)
class GlossarySettings:
    """Options of ``wfgen l10n glossary``."""

    paths: L10nSettings
    locales: tuple[str, ...] = ()
    fmt: str = "tbx"  # or "csv"
    output: Path | None = None  # None: the caller prints the data


@dataclass(frozen=True)
class GlossaryResult:
    """The glossary's terms and its bytes (written to ``output`` when one was given)."""

    terms: list[Term]
    data: bytes
    output: Path | None


def extract(settings: L10nSettings, *, msgs: Sequence[Message] | None = None) -> WriteResult:
    """Write ``workflows.pot`` from the catalogue (or from its already enumerated ``msgs``)."""
    msgs = load_messages(settings.catalog_dir) if msgs is None else msgs
    path = pot_path(settings.locales_dir)
    changed = write_if_changed(path, dump_po(merge(None, msgs, locale=None)))
    return WriteResult(path, changed, len(msgs))


def init_locale(settings: L10nSettings, locale: str) -> WriteResult:
    """Create the PO file of a CLDR locale (nothing to do when it exists).

    Raises:
        UsageError: when CLDR does not know the locale.
    """
    code = str(parse_locale(locale))
    if code != locale.replace("-", "_"):
        raise UsageError(f"locale {locale!r} is not in canonical form", hint=f"use {code!r}")
    msgs = load_messages(settings.catalog_dir)
    path = po_path(settings.locales_dir, code)
    existing = read_po_file(path, code) if path.exists() else None
    changed = write_if_changed(path, dump_po(merge(existing, msgs, locale=code)))
    return WriteResult(path, changed, len(msgs))


def _chosen(settings: LocalesSettings | GlossarySettings) -> list[str] | None:
    """The locales asked for (None: every one), each a CLDR code with a PO file."""
    if not settings.locales:
        return None
    return chosen_locales(settings.paths.locales_dir, settings.locales)


def stats(settings: LocalesSettings) -> list[LocaleStats]:
    """``wfgen l10n stats``: the entries of each locale and module, by state."""
    from ..l10n.stats import stats as locale_stats

    return locale_stats(settings.paths, _chosen(settings))


def check(settings: LocalesSettings) -> list[Problem]:
    """``wfgen l10n check``: every problem of the PO files, sorted by file and line."""
    from ..l10n.check import check_locales

    return check_locales(settings.paths, _chosen(settings))


def glossary(settings: GlossarySettings) -> GlossaryResult:
    """``wfgen l10n glossary``: the terms as TBX or CSV, written to ``output`` if given.

    Raises:
        InputError: when the output file cannot be written.
    """
    from ..errors import InputError
    from ..l10n.glossary import glossary_terms, to_csv, to_tbx
    from ..output import replace_keeping

    chosen = _chosen(settings) or available_locales(settings.paths.locales_dir)
    terms = glossary_terms(settings.paths, chosen)
    data = to_tbx(terms, chosen) if settings.fmt == "tbx" else to_csv(terms, chosen).encode()
    if settings.output is not None:
        try:
            replace_keeping(settings.output, data)
        except OSError as err:
            raise InputError(f"{settings.output}: cannot write: {err.strerror or err}") from err
    return GlossaryResult(terms=terms, data=data, output=settings.output)


def chosen_locales(locales_dir: Path, locales: Sequence[str]) -> list[str]:
    """Canonical codes of ``locales``, each one with a PO file under ``locales_dir``.

    Raises:
        UsageError: for a code CLDR does not know, or a locale without a PO file.
    """
    out: list[str] = []
    for locale in locales:
        code = str(parse_locale(locale))
        if not po_path(locales_dir, code).is_file():
            have = ", ".join(available_locales(locales_dir)) or "none"
            raise UsageError(
                f"locale {code!r} has no PO file in {locales_dir}",
                hint=f"locales with a PO file: {have}; create one with `wfgen l10n init {code}`",
            )
        out.append(code)
    return sorted(set(out))


def update_all(settings: L10nSettings) -> list[WriteResult]:
    """Refresh the template and merge the catalogue into every locale's PO file."""
    msgs = load_messages(settings.catalog_dir)
    results = [extract(settings, msgs=msgs)]
    for locale in available_locales(settings.locales_dir):
        path = po_path(settings.locales_dir, locale)
        existing = read_po_file(path, locale)
        changed = write_if_changed(path, dump_po(merge(existing, msgs, locale=locale)))
        results.append(WriteResult(path, changed, len(msgs)))
    return results
