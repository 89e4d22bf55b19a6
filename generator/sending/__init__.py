"""The sending model of "Confirming the send": data, checks, rendering context, simulation.

Importing this package registers the ``sending`` file kind with ``wfgen validate``.
"""

from __future__ import annotations

from ..catalog import register_kind
from .checks import check
from .model import MODES, Effect, Event, Kpi, Row, SendingModel, Status, Table, load_model
from .reference import messages, reference_context
from .simulate import EVENT_NAMES, KpiSummary, SimulationResult, Simulator, read_events, simulate

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
