"""Why a workflow gets no timer on an instance: shared by ``schedule explain`` and ``drift``."""

from __future__ import annotations

from typing import Any

from ..load.catalog import Catalog
from ..load.profiles import Environment
from ..schedules import Schedule

__all__ = ["not_scheduled"]


def not_scheduled(  # noqa: PLR0911 - one return per reason a workflow is not scheduled on an instance
    catalog: Catalog,
    environment: Environment | None,
    workflow: Any,
    instance_id: str,
    schedule: Schedule | None,
) -> str:
    """Why the workflow gets no timer (in the environment), or "" when it gets one."""
    if workflow.obsolete:
        replaced = f"; replaced by {workflow.replaced_by}" if workflow.replaced_by else ""
        return f"obsolete, no longer installed{replaced}"
    if environment is not None:
        where = f"environment {environment.name}"
        if not environment.installs(workflow):
            if workflow.module not in environment.modules:
                return f"module {workflow.module} is not installed on {where}"
            return f"none of its products ({', '.join(workflow.products)}) is installed on {where}"
        override = environment.override(instance_id) or environment.override(workflow.id)
        if environment.disabled(workflow, instance_id) and override is not None:
            return f"disabled by the profile ({override.location})" + (
                f": {override.reason}" if override.reason else ""
            )
        if workflow.is_template and instance_id == workflow.id:
            ids = environment.expand(workflow)
            if not ids:
                return f"a template, and {where} gives no values for its placeholders"
            return f"a template: scheduled as {', '.join(ids)}"
    if schedule is None:
        return "no documented schedule"
    if not schedule.is_timed:
        return f"started by its trigger ({schedule.trigger or 'event'}), not by a timer"
    return ""
