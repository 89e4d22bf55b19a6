"""``wfgen init``: a minimal project, ready for ``wfgen build``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_NAME
from ..errors import UsageError
from ..output import write_new

__all__ = ["InitResult", "InitSettings", "init", "init_project"]


@dataclass(frozen=True)
class InitSettings:
    """Options of ``wfgen init``."""

    target: Path


@dataclass(frozen=True)
class InitResult:
    """What was written, in order."""

    written: list[Path]


def init(settings: InitSettings) -> InitResult:
    """``wfgen init``: write a minimal project into the settings' folder.

    Raises:
        UsageError: when the folder already holds a project file, catalogue or locales
            (nothing written), or a file cannot be written.
    """
    return InitResult(written=init_project(settings.target))


_CONFIG_TEXT = """\
# wfgen project settings. Paths are relative to this folder; any wfgen command run here or in
# a folder below finds this file. An option given on the command line wins over its key here.
catalog = "catalog"    # --catalog: modules.yaml, workflows/, environments/
locales = "locales"    # --locales: workflows.pot and <locale>/LC_MESSAGES/workflows.po
out = "out"            # --out: what `wfgen build` writes
# templates = "templates"   # --templates: your own .j2 files (others come from wfgen)
# env = ["prod"]            # --env: profiles `wfgen build` renders (default: all)
# locale = ["en"]           # --locale: locales of the reference pages (default: every PO file plus en)
# strict = true             # --strict: warnings fail build, validate, schedule lint, l10n and docs check
# base_url = "https://docs.example.com/workflows"  # --base-url: the site's address (absolute links, sitemap.xml)
"""

_MODULES_TEXT = """\
# Modules of the catalogue, keyed by their module key.
modules:
  deliveries:
    name: Deliveries
    package: Delivery
"""

_WORKFLOWS_TEXT = """\
# The workflows of one module, in the order its reference page lists them.
module: deliveries
workflows:
  - id: cleanup
    label: Database cleanup
    description: This workflow deletes obsolete data from the database.
    package: Delivery
    products: [v8]
    status: active
    schedule: {kind: nightly}
  - id: tracking
    label: Tracking
    description: This workflow recovers tracking information.
    package: Delivery
    products: [v8]
    status: active
    schedule: {kind: hourly, minute: 0}
"""

_ENVIRONMENT_TEXT = """\
# One instance: where and how the workflows run. `wfgen build` renders one folder per profile.
environment:
  instance: prod_mkt
  role: marketing
  timezone: UTC
  products: [v8]
  modules: [deliveries]
  nightly: "02:00"
  user: neolane
  command: [/usr/local/neolane/nl6/bin/nlserver, javascript, "-instance:{instance}", "-arg:{id}"]
  targets: [crontab, cron.d, systemd]
"""


def init_project(target: Path) -> list[Path]:
    """Write a minimal project into ``target``; return what was written.

    Refuses (``UsageError``, nothing written) when ``target`` already holds any of the
    files or folders it would write, or is not a folder.
    """
    files = {
        Path(CONFIG_NAME): _CONFIG_TEXT,
        Path("catalog", "modules.yaml"): _MODULES_TEXT,
        Path("catalog", "workflows", "deliveries.yaml"): _WORKFLOWS_TEXT,
        Path("catalog", "environments", "prod.yaml"): _ENVIRONMENT_TEXT,
    }
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: exists and is not a folder")
    existing = [
        target / name
        for name in (CONFIG_NAME, "catalog", "locales")
        if (target / name).exists() or (target / name).is_symlink()
    ]
    if existing:
        raise UsageError(
            f"{existing[0]}: already exists; init writes a new project only, nothing written"
        )
    written: list[Path] = []
    try:
        for name, text in files.items():
            path = target / name
            write_new(path, text.encode("utf-8"))
            written.append(path)
        (target / "locales").mkdir()
        written.append(target / "locales")
    except OSError as err:
        raise UsageError(f"{err.filename or target}: cannot write: {err.strerror or err}") from err
    return written
