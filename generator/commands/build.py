"""``wfgen build``: validate -> reconcile -> render -> write, in that order and no other.

The catalogue (with its environment profiles) is validated first; a catalogue with errors is
never rendered. Rendering is pure and complete before anything touches out/, so the write is
one atomic step, or (with ``check``) a diff and no write at all.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from ..errors import CatalogError, InputError, Location, Problem, Severity, UsageError
from ..output import (
    BUNDLED_TEMPLATES,
    OutputWriter,
    RenderedFile,
    WriteResult,
    check_out_dir,
    check_output,
    locked,
    manifest_file,
    manifest_of,
    recover,
    up_to_date,
)
from ..safebytes import files_below, read_input

if TYPE_CHECKING:
    from ..load.document import Documents

__all__ = ["BuildResult", "BuildSettings", "build", "render_all"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildSettings:
    """Options of ``wfgen build``; empty ``environments``/``locales`` mean all of them."""

    catalog: Path = Path("catalog")
    out: Path = Path("out")
    templates: Path | None = None
    locales_dir: Path = Path("locales")
    environments: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    check: bool = False
    strict: bool = False  # warnings fail the build as errors do: nothing is written
    base_url: str | None = None  # the site's published address: absolute links and sitemap.xml


@dataclass(frozen=True)
class BuildResult:
    """The rendered files (with --check; a build writes each as it is rendered and keeps
    none), what writing (or checking) them did, and the warnings on the way."""

    files: tuple[RenderedFile, ...]
    write: WriteResult
    warnings: tuple[Problem, ...] = field(default=())
    rendered: int = 0  # files rendered, manifest included (none for an unchanged rebuild)


def _namer(base: Path) -> Callable[[str | PurePath], str]:
    """Input paths as recorded in the manifest: relative to the folder holding catalog/ and
    locales/, so two machines (or two temporary folders) record the same names."""
    root = base.resolve()
    # Every page lists each workflow's file: resolve a path once, not once per workflow.
    known: dict[str | PurePath, str] = {}

    def name(path: str | PurePath) -> str:
        found = known.get(path)
        if found is not None:
            return found
        resolved = Path(path).resolve()
        try:
            found = resolved.relative_to(root).as_posix()
        except ValueError:
            found = Path(os.path.relpath(resolved, root)).as_posix()
        known[path] = found
        return found

    return name


def _locales(settings: BuildSettings) -> list[str]:
    from ..l10n.po import available_locales, parse_locale

    wanted = list(settings.locales) or ["en", *available_locales(settings.locales_dir)]
    for code in wanted:
        parse_locale(code)  # an unknown locale is a usage error before any rendering
    return sorted(set(wanted))


def _environments(settings: BuildSettings, documents: Documents) -> list[Any]:
    folder = settings.catalog / "environments"
    names = list(settings.environments) or None
    if not folder.is_dir():
        if names:
            raise UsageError(
                f"{folder}: no environment profiles", hint="add catalog/environments/<name>.yaml"
            )
        return []
    from ..load.profiles import load_environments

    environments = list(load_environments(folder, names, documents=documents))
    if names:
        missing = sorted(set(names) - {e.name for e in environments})
        if missing:
            raise UsageError(
                f"unknown environment(s): {', '.join(missing)}",
                hint=f"choose from the profiles in {folder}",
            )
    return sorted(environments, key=lambda e: e.name)


def fingerprint(settings: BuildSettings) -> str:
    """A digest of everything a build reads: wfgen's own code and templates, the catalogue
    folder (profiles and sending model included), the PO files, the user's templates and
    the options. Equal digests render equal files, so an unchanged rebuild can stop early."""
    from .. import __version__

    digest = hashlib.sha256(f"wfgen {__version__}\n".encode())
    digest.update(repr((settings.environments, settings.locales)).encode())
    package = Path(__file__).resolve().parent.parent
    roots = [
        ("code", package, ("*.py", "*.json")),
        ("bundled", BUNDLED_TEMPLATES, ("*",)),
        ("catalog", settings.catalog, ("*",)),
        ("locales", settings.locales_dir, ("*.po",)),
    ]
    if settings.templates is not None:
        roots.append(("templates", settings.templates, ("*",)))
    for label, root, patterns in roots:
        if not root.is_dir():
            continue
        # The catalogue is listed as strictly as loading it lists it: a subfolder that cannot
        # be read is an error, never a different digest that happens to look unchanged.
        found = sorted(
            path
            for path in files_below(root, strict=label == "catalog")
            if any(fnmatchcase(path.name, pattern) for pattern in patterns) and path.is_file()
        )
        for path in found:
            digest.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode())
            try:
                data = read_input(path)
            except OSError as err:
                raise InputError(
                    f"cannot read: {err.strerror or err}", location=Location.of(path)
                ) from err
            digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def render_all(  # noqa: PLR0915 - the build's pipeline in order (validate, translations, each environment, each locale, site, manifest); each step is one call, their shared state is the build's
    settings: BuildSettings,
    *,
    progress: Progress | None = None,
    digest: str = "",
    emit: Callable[[RenderedFile], None] | None = None,
) -> tuple[list[RenderedFile], list[Problem]]:
    """Validate the catalogue and render every output (the manifest included).

    Args:
        settings: what to build.
        progress: called with (steps done, steps in all) as rendering goes.
        digest: the inputs' fingerprint, recorded in the manifest.
        emit: called with each file as soon as it is rendered, which is then not kept
            (``OutputWriter.add``: memory stays flat whatever the catalogue's size); the
            caller makes the manifest. Without it, the files are returned.

    Returns:
        The files, sorted by path, manifest last (none when ``emit`` took them), and the
        warnings found on the way.

    Raises:
        CatalogError: when the catalogue, a profile, a schedule or a published translation
            has errors, or (``strict``) warnings; nothing is rendered.
        UsageError: for unknown environments or locales.
        InputError: for unreadable inputs or broken templates.
    """
    # Loaded here, not at import: an unchanged rebuild never needs YAML, Babel or Jinja2.
    from .. import schedules
    from ..l10n import phrases
    from ..l10n.check import check_published, publish_config
    from ..l10n.messages import messages
    from ..l10n.phrases import remembered
    from ..l10n.po import load_translations, po_path, read_po_file
    from ..l10n.stats import locale_stats
    from ..load.catalog import load_catalog
    from ..load.document import Documents as _Documents
    from ..render.blocks import one_block_per_line
    from ..render.pages import locale_tables, render_docs, with_counts
    from ..render.sending_pages import sending_files, site_sending
    from ..render.targets import environment_files, make_jinja, make_jobs
    from ..schedule_lint import forget_positions
    from .validate import validate

    # Each YAML file is parsed once: the stages below take it from here. The catalogue and
    # its profiles are judged by `wfgen validate` itself, so both report the same findings.
    documents = _Documents()
    problems = validate([settings.catalog], documents=documents, environments=settings.environments)
    if _fails(problems, strict=settings.strict):
        raise CatalogError(problems)
    forget_positions()  # the findings are located: rendering needs no node trees
    catalog, _ = load_catalog([settings.catalog], documents=documents)
    environments = _environments(settings, documents)
    locales = _locales(settings)
    jinja = make_jinja(settings.templates)
    name = _namer(settings.catalog.resolve().parent)
    # Reconcile: a translation counts only for the English it was made from.
    current = messages(catalog, documents=documents) if locales != ["en"] else []
    english = {m.context: m.english for m in current}
    # What is published is checked first: a translation msgfmt refuses, or (strict) one
    # that states a wrong fact, stops the build before anything is rendered.
    config = publish_config(settings.catalog) if current else None
    # Each PO file is read once, for the checks, the translations and the counts; only what
    # rendering needs of it (strings and counts) is kept, not Babel's whole catalogue.
    read: dict[str, Any] = {}
    counts: dict[str, Any] = {}
    for locale in locales:
        path = po_path(settings.locales_dir, locale)
        if locale != "en" and path.is_file():
            entries = read_po_file(path, locale)
            problems.extend(
                check_published(
                    path, locale, catalog=catalog, messages=current, config=config, po=entries
                )
            )
            read[locale] = load_translations(
                settings.locales_dir, locale, english=english, po=entries
            )
            counts[locale] = locale_stats(locale, entries, current)
            del entries
    if _fails(problems, strict=settings.strict):
        raise CatalogError(problems)

    sentence = remembered(phrases.sentence)
    sending_models: dict[Path, Any] = {}
    total = len(environments) + len(locales)
    done = 0
    files: list[RenderedFile] = []

    def keep(rendered: Iterable[RenderedFile]) -> None:
        for made in rendered:
            file = one_block_per_line(made) if made.path.endswith(".html") else made
            if emit is None:
                files.append(file)
            else:
                emit(file)

    site_gettexts: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    site_inputs: dict[str, tuple[str, ...]] = {}
    completeness: dict[str, dict[str, tuple[int, int]]] = {}
    catalog_names = sorted(
        {name(w.location.file) for w in catalog.workflows}
        | {name(m.location.file) for m in catalog.modules}
    )
    for environment in environments:
        jobs = make_jobs(
            environment=environment,
            scheduled=environment.scheduled(catalog),
            to_cron=_cron_lines,
            to_systemd=schedules.to_systemd,
            to_kubernetes=schedules.to_kubernetes,
            inputs=lambda item: (name(item.workflow.location.file),),
        )
        profile = (
            (name(environment.location.file),) if getattr(environment, "location", None) else ()
        )
        keep(
            environment_files(
                environment=environment, jobs=jobs, jinja=jinja, profile_inputs=profile
            )
        )
        done += 1
        if progress:
            progress(done, total)
    for locale in locales:
        translations = (
            None
            if locale == "en"
            else read[locale]
            if locale in read
            else load_translations(settings.locales_dir, locale, english=english)
        )
        if translations is not None and translations.stale:
            problems.append(
                _stale_warning(po_path(settings.locales_dir, locale), translations.stale)
            )
        gettext = translations.get if translations is not None else None
        site_gettexts[locale] = gettext
        po = po_path(settings.locales_dir, locale)
        site_inputs[locale] = (*catalog_names, *((name(po),) if po.is_file() else ()))
        # The reference pages and the site show the same tables: made once.
        tables[locale] = locale_tables(
            catalog=catalog, locale=locale, gettext=gettext, sentence=sentence
        )
        if locale != "en":
            counted = counts[locale] if locale in counts else locale_stats(locale, None, current)
            tables[locale] = with_counts(tables[locale], counted, locale)
            completeness[locale] = {
                "": (counted.counts.translated, counted.counts.total),
                **{
                    key: (counts.translated, counts.total)
                    for key, counts in counted.modules.items()
                },
            }
        keep(
            render_docs(
                catalog=catalog,
                locale=locale,
                gettext=gettext,
                sentence=sentence,
                jinja=jinja,
                inputs=lambda paths: tuple(sorted({name(p) for p in paths})),
                po_input=name(po) if po.is_file() else None,
                tables=tables[locale],
            )
        )
        keep(
            sending_files(
                settings.catalog,
                locale=locale,
                gettext=gettext,
                jinja=jinja,
                name=name,
                loaded=sending_models,
                documents=documents,
            )
        )
        done += 1
        if progress:
            progress(done, total)
    from ..render.site import render_site

    keep(
        render_site(
            jinja=jinja,
            catalog=catalog,
            locales=locales,
            gettexts=site_gettexts,
            sentence=sentence,
            inputs=site_inputs,
            tables=tables,
            completeness=completeness,
            base_url=settings.base_url,
            **site_sending(settings.catalog, name=name, loaded=sending_models, documents=documents),
        )
    )
    if _fails(problems, strict=settings.strict):  # stale translations, found on the way
        raise CatalogError(problems)
    reported = [p for p in problems if p.severity is not Severity.INFO]
    if emit is not None:
        return [], reported
    files.sort(key=lambda f: f.path)
    files.append(manifest_file(files, fingerprint=digest, warnings=reported))
    return files, reported


def _fails(problems: list[Problem], *, strict: bool) -> bool:
    worst = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(p.severity in worst for p in problems)


def _stale_warning(path: Path, contexts: tuple[str, ...]) -> Problem:
    shown = ", ".join(contexts[:3]) + (
        f" and {len(contexts) - 3} more" if len(contexts) > 3 else ""
    )
    return Problem(
        Location.of(path),
        f"{len(contexts)} translation(s) were made for an older English text and are shown "
        f"in English: {shown}",
        Severity.WARNING,
        code="stale-translation",
        hint="run `wfgen l10n update`, then review the entries it marks fuzzy",
    )


def _cron_lines(schedule: Any, *, nightly: str | None = None) -> str:
    """Every cron line the schedule needs (a window inside an hour needs up to three)."""
    from ..schedules import to_cron_lines

    return "\n".join(to_cron_lines(schedule, nightly=nightly))


def build(settings: BuildSettings, *, progress: Progress | None = None) -> BuildResult:
    """Render everything, then write out/ atomically (or, with ``check``, only compare).

    Args:
        settings: what to build and where.
        progress: called with (steps done, steps in all) as rendering goes.

    Returns:
        The files, what happened to out/ (with the diff when checking) and the warnings.

    Raises:
        CatalogError: when the catalogue has errors; out/ is not touched.
        UsageError: for bad options or files in out/ that wfgen would overwrite.
        InputError: for unreadable inputs or an unwritable out/ (left as it was).
    """
    check_out_dir(
        settings.out,
        inputs=[
            settings.catalog,
            settings.locales_dir,
            *([settings.templates] if settings.templates else []),
        ],
    )
    if settings.check:
        return _build(settings, progress=progress, leftovers=())
    # Two builds into one folder take turns, from the first look at out/ to the swap: a
    # build never reports "unchanged" about a folder another build is replacing.
    with locked(settings.out):
        return _build(settings, progress=progress, leftovers=tuple(recover(settings.out)))


def _build(
    settings: BuildSettings, *, progress: Progress | None, leftovers: tuple[Problem, ...]
) -> BuildResult:
    digest = fingerprint(settings)
    # Nothing read has changed and out/ is exactly what that build wrote: nothing to do.
    current = up_to_date(settings.out, digest)
    if current is not None:
        paths, reported = current
        if _fails(list(reported), strict=settings.strict):
            raise CatalogError(list(reported))
        return BuildResult((), WriteResult(unchanged=paths), (*leftovers, *reported))
    if settings.check:
        files, warnings = render_all(settings, progress=progress, digest=digest)
        result = check_output(files, out_dir=settings.out)
        return BuildResult(
            tuple(files), result, (*leftovers, *warnings, *result.problems), len(files)
        )
    # Each file is written into the new folder as it is rendered, not held until the swap.
    with OutputWriter(settings.out) as writer:
        _, warnings = render_all(settings, progress=progress, digest=digest, emit=writer.add)
        writer.add(manifest_of(writer.entries, fingerprint=digest, warnings=warnings))
        result = writer.commit()
    return BuildResult((), result, (*leftovers, *warnings, *result.problems), len(writer.entries))
