"""What every command shares: exit codes, the error mapping, shared options, the group."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..config import CONFIG_NAME, Project, load_project
from ..errors import (
    CatalogError,
    Problem,
    Severity,
    WfgenError,
    escape_controls,
    format_problem,
)
from .completers import complete_environments

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class ProjectError(click.ClickException):
    """A project file that cannot be used, or no catalogue to work on: exit 2, one line."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"wfgen: error: {self.message}", err=True)


def project() -> Project:
    """The project of the current folder, read once per command line (``wfgen.config``)."""
    meta = click.get_current_context().find_root().meta
    if "wfgen.project" not in meta:
        try:
            meta["wfgen.project"] = load_project()
        except WfgenError as err:
            raise ProjectError(str(err)) from err
    found: Project = meta["wfgen.project"]
    return found


def project_catalog() -> Path:
    """The project's catalogue folder; without a project file and a ``catalog/`` here, an error."""
    found = project()
    if found.config is None and not found.catalog.exists():
        raise ProjectError(
            f"{found.catalog}: no such folder, and {found.describe()}; "
            f"hint: run `wfgen init` to start a project, cd into one, or pass --catalog"
        )
    return found.catalog


def from_project(default: Callable[[], Any]) -> Callable[[click.Context, Any, Any], Any]:
    """An option callback: the value given, else ``default()`` from the project."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None or value == ():
            return default()
        return value

    return callback


# Report formats of commands that report findings: CI reads SARIF (code scanning) and
# GitHub Actions workflow commands (annotations on the changed lines).
FORMATS = ("text", "json", "sarif", "github")


def format_option(
    help_text: str = "text, json, sarif (SARIF 2.1.0) or github (Actions annotations).",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The --format option of a command that reports findings (value in ``fmt``)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help=help_text,
    )


catalog_option = click.option(
    "--catalog",
    type=click.Path(path_type=Path),
    default=None,
    callback=from_project(project_catalog),
    help=f"Catalogue folder [default: the project's ({CONFIG_NAME}), else catalog/].",
)


environments_option = click.option(
    "--env",
    "environments",
    multiple=True,
    metavar="NAME",
    callback=from_project(lambda: project().environments),
    shell_complete=complete_environments,
    help=f"Environment profile (repeatable; default: {CONFIG_NAME}'s env, else all).",
)


strict_option = click.option(
    "--strict/--no-strict",
    default=None,
    callback=from_project(lambda: project().strict),
    help=f"Warnings fail too (exit 1) [default: {CONFIG_NAME}'s strict, else off].",
)


def locales_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The --locales option (folder of the PO files), with the command's own help text."""
    return click.option(
        "--locales",
        "locales_dir",
        type=click.Path(path_type=Path),
        default=None,
        callback=from_project(lambda: project().locales),
        help=f"{help_text} [default: the project's ({CONFIG_NAME}), else locales/]",
    )


T = TypeVar("T")

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a command stopped by Ctrl-C


def report_error(err: WfgenError, fmt: str = "text", command: str = "") -> int:
    """The one mapping of library errors to what the user sees and the exit code.

    A catalogue with errors is reported problem by problem in ``fmt`` (valid SARIF for CI),
    exit 1; any other error is one line on stderr, with the error's own exit code.
    """
    if isinstance(err, CatalogError):
        print_problems(err.problems, fmt, tool_command=command)
        return EXIT_PROBLEMS
    click.echo(f"wfgen: error: {escape_controls(str(err))}", err=True)
    return err.exit_code


def run_as(func: Callable[[], T], fmt: str = "text", command: str = "") -> T:
    """Call the library; turn its errors into messages and exit codes (``report_error``)."""
    try:
        return func()
    except WfgenError as err:
        sys.exit(report_error(err, fmt, command))


def run_or_exit(func: Callable[[], T]) -> T:
    """``run_as`` for a command that reports in text."""
    return run_as(func)


class Group(click.Group):
    """wfgen's command groups: Ctrl-C in any command ends it with one line and exit 130.

    Library errors no command caught are mapped by ``report_error`` too, so no command can
    end in a traceback for a ``WfgenError``.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("wfgen: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except WfgenError as err:
            ctx.exit(report_error(err))


def print_problems(
    problems: list[Problem], fmt: str, *, summary: bool = True, tool_command: str = ""
) -> None:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
    if fmt in ("sarif", "github"):
        from .report_formats import dumps, github_annotations, sarif_log

        if fmt == "github":
            for line in github_annotations(problems):
                click.echo(line)
            return
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("wfgen")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            installed = "0"
        command = tool_command or (click.get_current_context().command_path.partition(" ")[2])
        from ..l10n.check import CHECK_CODES, describe_codes

        described = describe_codes() if any(p.code in CHECK_CODES for p in problems) else {}
        click.echo(
            dumps(sarif_log(problems, command=command, version=installed, described=described))
        )
        return
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "problems": [p.to_json() for p in problems],
                    "errors": errors,
                    "warnings": warnings,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    for problem in problems:
        click.echo(format_problem(problem))
    if summary:
        click.echo(f"{errors} error(s), {warnings} warning(s)")


def failing(problems: list[Problem], *, strict: bool) -> bool:
    """Whether ``problems`` fail the command: any error, or any warning under ``--strict``."""
    worst = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(p.severity in worst for p in problems)


def json_dump(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def _register(name: str) -> None:
    """Import the module that defines the top-level command ``name`` (it registers itself)."""
    # Plain imports, one per command, so that import-linter sees each of them.
    if name == "build":
        from . import build  # noqa: F401
    elif name == "catalog":
        from . import catalog  # noqa: F401
    elif name == "completion":
        from . import completion  # noqa: F401
    elif name == "docs":
        from . import docs, docs_fix  # noqa: F401
    elif name == "drift":
        from . import drift  # noqa: F401
    elif name == "init":
        from . import project  # noqa: F401
    elif name == "l10n":
        from . import l10n  # noqa: F401
    elif name == "schedule":
        from . import schedule  # noqa: F401
    elif name == "sending":
        from . import sending  # noqa: F401
    elif name == "validate":
        from . import validate  # noqa: F401


# The top-level commands. A command's module, and the library behind it, is imported only
# when that command runs (or when --help or completion lists them all): `wfgen docs check`
# does not pay for the imports of `wfgen build`.
COMMANDS = (
    "build",
    "catalog",
    "completion",
    "docs",
    "drift",
    "init",
    "l10n",
    "schedule",
    "sending",
    "validate",
)


class LazyGroup(Group):
    """The top group: its commands register themselves when their module is first imported;
    Ctrl-C and library errors are mapped as in every group (``Group``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            _register(cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wfgen", prog_name="wfgen")
def cli() -> None:
    """wfgen: one canonical catalogue of technical workflows, reconciled with localized
    documentation and rendered as scheduler configs and localized reference pages.

    Exit codes: 0 success, 1 problems found, 2 usage or I/O error, 130 interrupted (Ctrl-C).
    """


def l10n_paths(func: Callable[..., Any]) -> Callable[..., Any]:
    func = locales_option("Folder of workflows.pot and <locale>/LC_MESSAGES/workflows.po.")(func)
    return catalog_option(func)


def report_writes(results: Any) -> None:
    for result in results:
        state = "updated" if result.changed else "unchanged"
        click.echo(f"{result.path}: {state} ({result.entries} entries)")
