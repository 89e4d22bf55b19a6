"""The sending model of "Confirming the send": data, rendering context, simulation.

The file's checks (what ``wfgen validate`` reports) live with the other YAML kinds in
:mod:`generator.load.sending_checks`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import MODES, Effect, Event, Kpi, Row, SendingModel, Status, Table, load_model
from .simulate import EVENT_NAMES, KpiSummary, SimulationResult, Simulator, read_events, simulate

if TYPE_CHECKING:
    from .reference import messages, reference_context


# The reference pages' code (Babel number formats, the page reader) loads when a build or
# an import asks for it, not when validation loads the model.
def __getattr__(name: str) -> Any:
    if name in ("messages", "reference_context"):
        from . import reference

        return getattr(reference, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
