"""`wfgen build`."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import Severity, format_problem
from ._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    catalog_option,
    cli,
    environments_option,
    format_option,
    from_project,
    json_dump,
    locales_option,
    print_problems,
    project,
    report_error,
    run_or_exit,
    strict_option,
)

if TYPE_CHECKING:
    from ..commands.build import BuildResult
from .completers import (
    complete_locales,
)

# --- build ------------------------------------------------------------------------------


def build_command(settings: Any, *, quiet: bool, fmt: str = "text") -> int:
    """Run ``wfgen build`` with ``settings`` (a ``build.BuildSettings``); return the exit code."""
    from ..commands.build import build

    if fmt != "text":
        return _build_report(settings, fmt)

    bar: Any = None
    show_bar = not quiet and sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if not show_bar:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="rendering", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        result = run_or_exit(lambda: build(settings, progress=progress))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for problem in result.warnings:
        if problem.severity is Severity.WARNING and not quiet:
            click.echo(format_problem(problem), err=True)
    if settings.check and result.write.differs:
        # A plan first (what changes, per environment, target and locale), then the diff.
        click.echo("\n".join(plan(result)))
        diff = result.write.diff
        click.echo(diff if diff.endswith("\n") else diff + "\n", nl=False)
    if not quiet or (settings.check and result.write.differs):
        click.echo(
            summary(result, check=settings.check), err=settings.check and result.write.differs
        )
    return EXIT_PROBLEMS if settings.check and result.write.differs else EXIT_OK


def _base_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from ..config import BASE_URL

    if value is None:
        return project().base_url
    if not BASE_URL.fullmatch(value):
        raise click.BadParameter("an http(s) address, e.g. https://docs.example.com/workflows")
    return value


@cli.command("build")
@environments_option
@click.option(
    "--locale",
    "locales",
    multiple=True,
    metavar="L",
    callback=from_project(lambda: project().build_locales),
    shell_complete=complete_locales,
    help="Locale (repeatable; default: wfgen.toml's locale, else every PO file plus en).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    callback=from_project(lambda: project().out),
    help="Output folder [default: the project's (wfgen.toml), else out/].",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path),
    default=None,
    callback=from_project(lambda: project().templates),
    help="A folder of your own templates; any name it lacks comes from the bundled set.",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    callback=_base_url,
    help="The site's published address: absolute canonical and hreflang links, sitemap.xml "
    "[default: the project's base_url, else relative links and no sitemap].",
)
@catalog_option
@locales_option("PO files.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 with a diff when out/ differs.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary.")
@strict_option
@format_option("json: summary, warnings and files; sarif, github: the findings for CI.")
def build_cmd(
    environments: tuple[str, ...],
    locales: tuple[str, ...],
    out: Path,
    templates: Path | None,
    base_url: str | None,
    catalog: Path,
    locales_dir: Path,
    check: bool,
    quiet: bool,
    strict: bool,
    fmt: str,
) -> None:
    """Render scheduler configs for every environment and reference pages for every locale."""
    from ..commands.build import BuildSettings

    settings = BuildSettings(
        catalog=catalog,
        out=out,
        templates=templates,
        locales_dir=locales_dir,
        environments=environments,
        locales=locales,
        check=check,
        strict=strict,
        base_url=base_url,
    )
    sys.exit(build_command(settings, quiet=quiet, fmt=fmt))


def _build_report(settings: Any, fmt: str) -> int:
    """``build --format json|sarif|github``: no progress, no diff text; validation errors too.

    With ``--check``, each file that differs is a ``build-check-differs`` error in SARIF and
    GitHub output, so CI shows which generated file is stale.
    """
    from ..commands.build import build
    from ..errors import CatalogError, Location, Problem, WfgenError

    try:
        result = build(settings)
    except CatalogError as err:
        if fmt != "json":
            return report_error(err, fmt, "build")
        json_dump({"ok": False, "problems": [p.to_json() for p in err.problems]})
        return EXIT_PROBLEMS
    except WfgenError as err:
        return report_error(err, fmt, "build")
    write = result.write
    differs = settings.check and write.differs
    if fmt == "json":
        json_dump(
            {
                "ok": not differs,
                "check": settings.check,
                "summary": summary(result, check=settings.check),
                "written": list(write.written),
                "unchanged": list(write.unchanged),
                "removed": list(write.removed),
                "added": list(write.added),
                "foreign": list(write.foreign),
                "warnings": [p.to_json() for p in result.warnings],
                **({"diff": write.diff} if differs else {}),
            }
        )
    else:
        stale = (
            [
                Problem(
                    Location(str(settings.out / path)),
                    f"{path} is not what the catalogue renders; run `wfgen build`",
                    Severity.ERROR,
                    code="build-check-differs",
                )
                for path in (*write.written, *write.removed)
            ]
            if differs
            else []
        )
        print_problems([*result.warnings, *stale], fmt, tool_command="build")
    return EXIT_PROBLEMS if differs else EXIT_OK


# --- formatting a build's result ---------------------------------------------------------


def _group(path: str) -> tuple[int, str]:
    """Where a file of out/ belongs in the plan: (order, name)."""
    parts = path.split("/")
    if parts[0] in ("docs", "site") and len(parts) > 2:
        return 1, f"locale {parts[1]}, {parts[0]}"
    if parts[0] == "site":
        return 2, "site, shared files"
    if len(parts) > 1:
        return 0, f"environment {parts[0]}, {parts[1]}"
    return 3, path


def plan(result: BuildResult) -> list[str]:
    """What ``build --check`` would change, per environment and target, then per locale:
    one line each, ``<group>: N added, N changed, N removed``, after a total line."""
    w = result.write
    added = set(w.added)
    counts: dict[tuple[int, str], list[int]] = {}
    for path in w.written:
        counts.setdefault(_group(path), [0, 0, 0])[0 if path in added else 1] += 1
    for path in w.removed:
        counts.setdefault(_group(path), [0, 0, 0])[2] += 1

    def said(numbers: Sequence[int]) -> str:
        words = ("added", "changed", "removed")
        return ", ".join(f"{n} {word}" for n, word in zip(numbers, words, strict=True) if n)

    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    lines = [f"plan: {said(total) or 'nothing to change'}"]
    lines += [f"  {name}: {said(counts[key])}" for key in sorted(counts) for name in [key[1]]]
    return lines


def summary(result: BuildResult, *, check: bool) -> str:
    """The one-line summary the command prints."""
    w = result.write
    warnings = sum(1 for p in result.warnings if p.severity is Severity.WARNING)
    if check:
        state = "differs from" if w.differs else "matches"
        return (
            f"out/ {state} the build: {len(w.written)} to write, {len(w.unchanged)} unchanged, "
            f"{len(w.removed)} extra, {warnings} warning(s)"
        )
    return (
        f"{len(w.written)} file(s) written, {len(w.unchanged)} unchanged, {len(w.removed)} removed, "
        f"{warnings} warning(s)"
    )
