"""What drift reports: per workflow in sync or what differs, per deployed target its counts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..errors import Problem

__all__ = ["DriftReport", "TargetSummary"]


@dataclass(frozen=True)
class TargetSummary:
    """Counts for one deployed target, as ``terraform plan`` prints them."""

    target: str
    source: str
    in_sync: int
    changed: int
    missing: int
    extra: int
    foreign: int

    def to_json(self) -> dict[str, object]:
        """Machine-readable form."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class DriftReport:
    """Per workflow: in sync, or what differs; jobs wfgen did not write, apart."""

    environment: str
    in_sync: tuple[str, ...]
    findings: tuple[Problem, ...]
    foreign: tuple[Problem, ...] = field(default=())
    targets: tuple[TargetSummary, ...] = field(default=())

    @property
    def drifted(self) -> bool:
        """True when anything deployed differs from the catalogue."""
        return bool(self.findings)

    def problems(self) -> list[Problem]:
        """Findings then foreign lines, each sorted by place."""
        return [*self.findings, *self.foreign]

    def to_json(self) -> dict[str, object]:
        """Machine-readable form (``--format json``)."""
        return {
            "environment": self.environment,
            "targets": [t.to_json() for t in self.targets],
            "in_sync": list(self.in_sync),
            "drift": [p.to_json() for p in self.findings],
            "not_written_by_wfgen": [p.to_json() for p in self.foreign],
            "drifted": self.drifted,
        }
