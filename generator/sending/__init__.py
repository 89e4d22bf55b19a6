"""The sending model of "Confirming the send": data, checks, rendering context, simulation.

Importing this package registers the ``sending`` file kind with ``wfgen validate``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..catalog import register_kind
from .checks import check
from .model import MODES, Effect, Event, Kpi, Row, SendingModel, Status, Table, load_model
from .simulate import EVENT_NAMES, KpiSummary, SimulationResult, Simulator, read_events, simulate

if TYPE_CHECKING:
    from .reference import messages, reference_context

# Validation imports this package for its file kind; the reference pages' code (Babel
# number formats, the page reader) loads when a build or an import asks for it.
_LAZY = {"messages": "reference", "reference_context": "reference"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


__all__ = [
    "EVENT_NAMES",
    "MODES",
    "Effect",
    "Event",
    "Kpi",
    "KpiSummary",
    "Row",
    "SendingModel",
    "SimulationResult",
    "Simulator",
    "Status",
    "Table",
    "load_model",
    "messages",
    "read_events",
    "reference_context",
    "simulate",
]

register_kind(
    "sending", detect=lambda data, path: "sending" in data, schema_name="sending", check=check
)
