"""The executable model: stream per-message events through one mode's transition table.

Each message's state is one small integer (last accepted event, log status, and whether it
counts towards Delivered and Bounces + errors), so memory grows with the number of
messages, not events. Every (state, event) pair is precomputed into a lookup table and the
KPIs are kept as counts per state, which keeps the per-event work to a few list lookups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..errors import Location, Problem, Severity
from .events import RawEvent, format_time, parse_time, read_events
from .model import SendingModel

__all__ = [
    "EVENT_NAMES",
    "KpiSummary",
    "SimulationResult",
    "Simulator",
    "format_time",
    "parse_time",
    "read_events",
    "simulate",
]

# The documented event vocabulary of `wfgen sending simulate` (a contract: docs/commands/sending.md).
EVENT_NAMES = (
    "relayed",
    "delivered",
    "hard_bounce",
    "soft_bounce",
    "retry_succeeded",
    "retries_failed",
)
MAX_REPORTED = 1000  # skipped events kept with details; the rest are only counted

_PHASE, _STATUS, _DELIVERED, _BOUNCED = 16, 4, 2, 1  # bit layout of a state integer


@dataclass(frozen=True)
class KpiSummary:
    """The KPIs of the Deployment zone that sending events determine, at one moment."""

    to_deliver: int
    statuses: tuple[tuple[str, int], ...]
    delivered: int
    bounces: int

    def count(self, status: str) -> int:
        """Messages whose log status is ``status``."""
        return dict(self.statuses).get(status, 0)

    @property
    def sent(self) -> int:
        """The number of messages sent (log status Sent)."""
        return self.count("sent")

    @property
    def delivered_percent(self) -> float:
        """Delivered %: messages counted as delivered over messages to deliver."""
        return 100.0 * self.delivered / self.to_deliver if self.to_deliver else 0.0

    @property
    def bounces_percent(self) -> float:
        """Bounces + errors %: messages counted as bounced over messages to deliver."""
        return 100.0 * self.bounces / self.to_deliver if self.to_deliver else 0.0

    def to_json(self) -> dict[str, object]:
        """Stable machine-readable form."""
        return {
            "to_deliver": self.to_deliver,
            "sent": self.sent,
            "delivered_percent": round(self.delivered_percent, 4),
            "bounces_percent": round(self.bounces_percent, 4),
            "statuses": dict(self.statuses),
        }


@dataclass(frozen=True)
class SimulationResult:
    """Final statuses, KPI summaries and the events that were skipped."""

    mode: str
    final: KpiSummary
    validity_end: float | None
    at: KpiSummary | None = None
    at_time: float | None = None
    skipped: tuple[Problem, ...] = ()
    skipped_total: int = 0
    events_applied: int = 0
    _states: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _status_keys: tuple[str, ...] = ()

    def messages(self) -> Iterator[tuple[str, str]]:
        """Each message id with its final log status, in the order messages first appeared."""
        keys = self._status_keys
        for message, state in self._states.items():
            yield message, keys[(state % _PHASE) // _STATUS]


class Simulator:
    """Apply one mode's transition table to a stream of events, one event at a time."""

    def __init__(self, model: SendingModel, *, efs: bool, source: str = "<events>") -> None:
        """Precompute the lookup tables of ``model``'s table for the chosen mode.

        Args:
            model: the checked sending model.
            efs: True for the table with the Email Feedback Service.
            source: file name used in skipped-event problems.
        """
        self.model = model
        self.mode = "efs" if efs else "no_efs"
        self.source = source
        table = model.table(self.mode)
        self.status_keys = tuple(s.key for s in model.statuses)
        self.event_keys = tuple(e.key for e in model.events)
        self._event_index = {key: i for i, key in enumerate(self.event_keys)}
        phases = len(self.event_keys) + 1  # phase 0: the message has not been seen
        self._size = phases * _PHASE
        # _next[event][state] -> new state, or -1 when the event cannot follow that state
        self._next: list[list[int]] = []
        for event in model.events:
            row = table.row(event.key)
            allowed = {0} if event.starts else {self._event_index[a] + 1 for a in event.after}
            status = self.status_keys.index(row.status)
            # Each KPI's count after the event, by whether the message counted before.
            delivered_after = (
                row.effect("delivered").counts(False),
                row.effect("delivered").counts(True),
            )
            bounced_after = (
                row.effect("bounces").counts(False),
                row.effect("bounces").counts(True),
            )
            targets = [-1] * self._size
            for state in range(self._size):
                if state // _PHASE not in allowed:
                    continue
                delivered = delivered_after[bool(state & _DELIVERED)]
                bounced = bounced_after[bool(state & _BOUNCED)]
                targets[state] = (
                    (self._event_index[event.key] + 1) * _PHASE
                    + status * _STATUS
                    + delivered * _DELIVERED
                    + bounced * _BOUNCED
                )
            self._next.append(targets)
        self._closing = [self._event_index[e.key] for e in model.events if e.at_validity_end]
        self.states: dict[str, int] = {}
        self.per_state = [0] * self._size
        self.last_time: float | None = None
        self.skipped: list[Problem] = []
        self.skipped_total = 0
        self.applied = 0

    def skip(self, line: int, message: str | Callable[[], tuple[str, str]], hint: str = "") -> None:
        """Record a skipped event (details for the first ``MAX_REPORTED``).

        ``message`` may be a callable returning (message, hint), so that a stream with
        many bad events does not pay for formatting messages nobody will read.
        """
        self.skipped_total += 1
        if len(self.skipped) < MAX_REPORTED:
            if callable(message):
                message, hint = message()
            self.skipped.append(
                Problem(
                    Location(self.source, line, 1 if line else 0),
                    message,
                    Severity.ERROR,
                    code="sending-bad-event",
                    hint=hint,
                )
            )

    def _why(self, message_id: str, event: str, state: int) -> tuple[str, str]:
        phase = state // _PHASE
        expected = self.model.event(event).after
        if phase == 0:
            return (
                f"unknown message {message_id!r}: no {self.model.start_event.key!r} event before",
                "every message starts with a relayed event",
            )
        last = self.event_keys[phase - 1]
        start = self.model.start_event.key
        if event == start:
            return (f"message {message_id!r} was already {start}", "each message is relayed once")
        if len(expected) == 1 and expected[0] != start:
            return (
                f"{event} for message {message_id!r} without a {expected[0]} before it "
                f"(its last event was {last})",
                f"a {event} event reports the result of retrying after a {expected[0]}",
            )
        return (
            f"{event} cannot follow {last} for message {message_id!r}",
            f"{event} may follow: {', '.join(expected)}",
        )

    def feed(self, line: int, message_id: str, event: str, time: float) -> bool:
        """Apply one event; return False (and record why) when it is skipped."""
        index = self._event_index.get(event)
        if index is None:
            self.skip(line, f"unknown event {event!r}", f"events: {', '.join(self.event_keys)}")
            return False
        last = self.last_time
        if last is not None and time < last:
            self.skip(
                line,
                lambda: (
                    f"event at {format_time(time)} is earlier than the one before "
                    f"({format_time(last)})",
                    "sort the events by time",
                ),
            )
            return False
        old = self.states.get(message_id, 0)
        new = self._next[index][old]
        if new < 0:
            self.skip(line, lambda: self._why(message_id, event, old))
            return False
        self.states[message_id] = new
        self.per_state[old] -= 1
        self.per_state[new] += 1
        self.last_time = time
        self.applied += 1
        return True

    def close(self) -> int:
        """End the validity period: apply ``at_validity_end`` events where they may follow.

        Returns:
            How many messages changed.
        """
        changed = 0
        for index in self._closing:
            targets = self._next[index]
            for message_id, old in self.states.items():
                new = targets[old]
                if new >= 0:
                    self.states[message_id] = new
                    self.per_state[old] -= 1
                    self.per_state[new] += 1
                    changed += 1
        return changed

    def summary(self) -> KpiSummary:
        """The KPIs now."""
        counts = [0] * len(self.status_keys)
        delivered = bounces = 0
        for state in range(_PHASE, self._size):  # phase 0 holds no message
            n = self.per_state[state]
            if n:
                counts[(state % _PHASE) // _STATUS] += n
                delivered += n if state & _DELIVERED else 0
                bounces += n if state & _BOUNCED else 0
        return KpiSummary(
            len(self.states), tuple(zip(self.status_keys, counts, strict=True)), delivered, bounces
        )


def simulate(  # noqa: PLR0915 - the streaming loop over events; its state machine reads best in one place
    model: SendingModel,
    events: Iterable[RawEvent | tuple[int, str]],
    *,
    efs: bool,
    at: float | None = None,
    validity_end: float | None = None,
    source: str = "<events>",
) -> SimulationResult:
    """Run events through the model; bad events are recorded and skipped, never raised.

    Args:
        model: the checked sending model.
        events: what ``read_events`` yields.
        efs: True to use the table with the Email Feedback Service.
        at: also summarize the KPIs as they stood at this time (POSIX seconds).
        validity_end: end of the validity period; later events are skipped. Without it the
            period ends with the last event.
        source: file name for skipped-event problems.

    Returns:
        The final statuses, the summary at ``at`` and at the end of the validity period.
    """
    sim = Simulator(model, efs=efs, source=source)
    snapshot: KpiSummary | None = None
    cache_text, cache_value = "", 0.0
    # The common case (a known event that follows the message's last one, in time order)
    # is handled inline; everything unusual goes through Simulator.feed for its report.
    index_of = sim._event_index.get
    nexts = sim._next
    states = sim.states
    get_state = states.get
    per_state = sim.per_state
    last = float("-inf")
    applied = 0
    for item in events:
        if len(item) == 2:
            sim.skip(item[0], item[1])
            continue
        line, message_id, event, text = item
        if text != cache_text:  # consecutive events often share a time stamp
            try:
                cache_value = parse_time(text)
            except ValueError:
                sim.skip(line, f"bad time {text!r}", "use ISO 8601, e.g. 2024-05-01T10:00:00Z")
                continue
            cache_text = text
        if validity_end is not None and cache_value > validity_end:
            sim.skip(
                line,
                f"{event} at {text} is after the end of the validity period "
                f"({format_time(validity_end)})",
                "events after the validity period are ignored",
            )
            continue
        if snapshot is None and at is not None and cache_value > at:
            sim.applied += applied
            applied = 0
            snapshot = sim.summary()
        index = index_of(event)
        if index is not None and cache_value >= last:
            old = get_state(message_id, 0)
            new = nexts[index][old]
            if new >= 0:
                states[message_id] = new
                per_state[old] -= 1
                per_state[new] += 1
                last = cache_value
                applied += 1
                continue
        sim.last_time = None if last == float("-inf") else last
        if sim.feed(line, message_id, event, cache_value):
            last = cache_value
    sim.applied += applied
    sim.last_time = None if last == float("-inf") else last
    end = validity_end if validity_end is not None else sim.last_time
    if snapshot is None and at is not None and (end is None or at < end):
        snapshot = sim.summary()
    sim.close()
    final = sim.summary()
    if snapshot is None and at is not None:
        snapshot = final
    return SimulationResult(
        mode=sim.mode,
        final=final,
        validity_end=end,
        at=snapshot,
        at_time=at,
        skipped=tuple(sim.skipped),
        skipped_total=sim.skipped_total,
        events_applied=sim.applied,
        _states=sim.states,
        _status_keys=sim.status_keys,
    )
