"""``wfgen sending simulate``: sending events run through the "Confirming the send" tables."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..sending.model import SendingModel
from ..sending.simulate import SimulationResult

__all__ = ["SimulateResult", "SimulateSettings", "simulate_events"]


@dataclass(frozen=True)
class SimulateSettings:
    """Options of ``wfgen sending simulate``; times are seconds since the epoch (UTC)."""

    events: Path  # ``-``: standard input
    model: Path
    efs: bool = False
    at: float | None = None
    validity_end: float | None = None
    stdin: Callable[[], IO[bytes]] | None = None  # where ``-`` reads from


@dataclass(frozen=True)
class SimulateResult:
    """The run's statuses and KPIs, and the model that names them."""

    simulation: SimulationResult
    model: SendingModel


def simulate_events(settings: SimulateSettings) -> SimulateResult:
    """Stream the events through the sending model; unreadable events are skipped, each said.

    Raises:
        CatalogError: when the sending model has errors.
        InputError: when the events cannot be read.
    """
    from ..sending import load_model, read_events, simulate

    model = load_model(settings.model)
    try:
        # "-" reads standard input; a byte-order mark (spreadsheets write one) is skipped.
        # A byte that is not UTF-8 reaches read_events as a surrogate escape: that line
        # is reported and skipped, like any other unreadable event.
        if str(settings.events) == "-":
            if settings.stdin is None:
                raise InputError("-: no standard input to read the events from")
            stream_cm: Any = io.TextIOWrapper(
                settings.stdin(), encoding="utf-8-sig", errors="surrogateescape", newline=""
            )
        else:
            stream_cm = settings.events.open(
                encoding="utf-8-sig", errors="surrogateescape", newline=""
            )
        with stream_cm as stream:
            simulation = simulate(
                model,
                read_events(stream),
                efs=settings.efs,
                at=settings.at,
                validity_end=settings.validity_end,
                source=str(settings.events),
            )
    except OSError as err:
        raise InputError(f"{settings.events}: cannot read: {err.strerror or err}") from err
    return SimulateResult(simulation=simulation, model=model)
