"""What ``wfgen build`` renders for an environment, read back by the readers of deployed files."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..load.deployed import Deployed, read_crontab
from ..load.deployed.kubernetes import read_kubernetes
from ..load.deployed.systemd import read_units

__all__ = ["command_template", "expected_jobs"]


def expected_jobs(environment: Any, catalog: Any, targets: set[str]) -> dict[str, list[Deployed]]:
    """What ``wfgen build`` renders for crontab, cron.d and ``targets``, read back by the same
    readers."""
    from ..render.targets import make_jinja, make_jobs, render_environment
    from ..schedules import to_cron_lines, to_kubernetes, to_systemd

    everywhere = dataclasses.replace(
        environment, targets=("crontab", "cron.d", "systemd", "kubernetes")
    )
    jobs = make_jobs(
        environment=everywhere,
        scheduled=everywhere.scheduled(catalog),
        to_cron=lambda s, nightly=None: "\n".join(to_cron_lines(s, nightly=nightly)),
        to_systemd=to_systemd,
        to_kubernetes=to_kubernetes,
        inputs=lambda item: (),
    )
    rendered = dataclasses.replace(
        environment,
        targets=tuple(t for t in everywhere.targets if t in {*targets, "crontab", "cron.d"}),
    )
    files = {
        f.path.split("/", 1)[1]: f.content.decode("utf-8")
        for f in render_environment(
            environment=rendered, jobs=jobs, jinja=make_jinja(None), profile_inputs=()
        )
    }
    template = command_template(environment)
    out = {
        "crontab": read_crontab(files["crontab"], "crontab", template),
        "cron.d": read_crontab(files["cron.d/wfgen"], "cron.d", template),
    }
    if "kubernetes" in targets:
        out["kubernetes"] = read_kubernetes(
            files["kubernetes/cronjobs.yaml"], "kubernetes", template
        )
    if "systemd" in targets:
        units = {k.split("/", 1)[1]: v for k, v in files.items() if k.startswith("systemd/")}
        out["systemd"] = read_units(units, "", template)
    return out


def command_template(environment: Any) -> tuple[str, ...]:
    """The command as deployed: ``{instance}`` filled, ``{id}`` still to find."""
    return tuple(part.replace("{instance}", environment.instance) for part in environment.command)
