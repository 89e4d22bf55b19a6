"""``wfgen drift``: what is deployed against what the catalogue renders for one environment.

Deployed state comes as operators export it: ``crontab -l`` output or a ``cron.d`` file,
``kubectl get cronjobs -o yaml|json`` output, a folder of systemd units with their drop-ins.
Each is read as its scheduler reads it (``load.deployed``) and compared field by field with
wfgen's own rendering read back the same way (``drift``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..drift import Comparer, DriftReport, TargetSummary, command_template, expected_jobs
from ..errors import InputError, Location, UsageError
from ..load.deployed import Deployed, read_crontab
from ..load.deployed.kubernetes import read_kubernetes
from ..load.deployed.systemd import read_systemd
from ..safebytes import MAX_INPUT_BYTES, decode_utf8, read_input

__all__ = ["DriftReport", "DriftSettings", "TargetSummary", "drift"]


@dataclass(frozen=True)
class DriftSettings:
    """Options of ``wfgen drift``; ``-`` reads a file from ``stdin``.

    ``host_timezone`` is the zone the host (or the CronJob controller) runs in: a job
    deployed without a zone runs there, which is in sync only when it is the environment's.
    """

    environment: str
    catalog: Path = Path("catalog")
    crontab: str | None = None
    kubernetes: str | None = None
    systemd: Path | None = None
    stdin: Callable[[], bytes] | None = None
    start: date | None = None  # first day of the year compared (today)
    host_timezone: str | None = None


def drift(settings: DriftSettings) -> DriftReport:
    """Compare the deployed state with what the catalogue renders for the environment.

    Raises:
        UsageError: without any deployed state to read, or for an unknown environment.
        InputError: when a deployed file cannot be read or parsed (at its line).
        CatalogError: when the catalogue or the profile has errors.
    """
    from ..load.catalog import load_catalog
    from ..load.profiles import load_environments

    if not (settings.crontab or settings.kubernetes or settings.systemd):
        raise UsageError(
            "nothing deployed to compare",
            hint="give --crontab FILE, --kubernetes FILE or --systemd DIR (- reads stdin)",
        )
    catalog, _ = load_catalog([settings.catalog])
    (environment,) = load_environments(settings.catalog / "environments", [settings.environment])
    template = command_template(environment)

    sources: list[tuple[str, str, list[Deployed]]] = []
    if settings.crontab:
        text, name = _read_file(settings.crontab, settings)
        sources.append(("crontab", name, read_crontab(text, name, template)))
    if settings.kubernetes:
        text, name = _read_file(settings.kubernetes, settings)
        sources.append(("kubernetes", name, read_kubernetes(text, name, template)))
    if settings.systemd:
        sources.append(("systemd", str(settings.systemd), read_systemd(settings.systemd, template)))
    expected = expected_jobs(environment, catalog, {target for target, _, _ in sources})
    comparer = Comparer(
        environment,
        catalog,
        expected,
        start=settings.start,
        host_timezone=settings.host_timezone,
    )
    for target, name, deployed in sources:
        comparer.compare(target, name, deployed)
    return comparer.report()


def _read_file(value: str, settings: DriftSettings) -> tuple[str, str]:
    """The text of ``value`` (``-``: standard input), read as every other input is."""
    if value == "-":
        if settings.stdin is None:
            raise UsageError("- (stdin) can be read once only")
        data = settings.stdin()
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(
                f"<stdin>: over the {MAX_INPUT_BYTES:,}-byte limit for an input",
                hint="export the deployed state to a file and check its size",
            )
        return decode_utf8(data, path="<stdin>", what="deployed file"), "<stdin>"
    try:
        data = read_input(Path(value))
    except OSError as err:
        raise InputError(
            f"cannot read: {err.strerror or err}",
            location=Location(value),
            hint="give a regular file, or - with the text on standard input",
        ) from err
    return decode_utf8(data, path=value, what="deployed file"), value
