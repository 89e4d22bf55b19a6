"""What is deployed against what the catalogue renders for one environment (the use case,
reading the deployed files, is ``commands.drift``).

Deployed state comes as operators export it: ``crontab -l`` output or a ``cron.d`` file,
``kubectl get cronjobs -o yaml|json`` output (a ``List``, one object or several documents),
a folder of systemd units with their drop-ins. Each is read as its scheduler reads it
(``load.deployed``: crontab, ``.kubernetes``, ``.systemd``), and what ``wfgen build`` renders
for the environment is read back by the same readers, so both sides are compared field by
field in the same form: schedule and zone, command, user, privileges, the number of jobs,
suspension, image, namespace, concurrency policy and the other unit settings.

Findings are :class:`~generator.errors.Problem` values at the deployed file's line, so every
report format (text, JSON, SARIF, GitHub annotations) prints them.
"""

from __future__ import annotations

from ..load.deployed import Deployed, read_crontab
from ..load.deployed.kubernetes import read_kubernetes
from ..load.deployed.systemd import read_systemd
from .compare import Comparer
from .expected import command_template, expected_jobs
from .report import DriftReport, TargetSummary

__all__ = [
    "DRIFT_CODES",
    "Comparer",
    "Deployed",
    "DriftReport",
    "TargetSummary",
    "command_template",
    "expected_jobs",
    "read_crontab",
    "read_kubernetes",
    "read_systemd",
]


DRIFT_CODES = (
    "drift-missing",
    "drift-unexpected",
    "drift-unknown-id",
    "drift-schedule",
    "drift-duplicate",
    "drift-command",
    "drift-timezone",
    "drift-user",
    "drift-privileges",
    "drift-suspended",
    "drift-image",
    "drift-namespace",
    "drift-concurrency",
    "drift-setting",
    "drift-invalid",
)
