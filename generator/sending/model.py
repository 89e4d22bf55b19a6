"""The sending model as frozen data, and loading it from catalog/sending.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CatalogError, Location, Problem, Severity
from ..load.document import Documents, read_document
from ..load.sending_checks import check
from ..load.yamlio import MarkLocator, Positions

__all__ = [
    "EFFECTS",
    "MODES",
    "Confirm",
    "Effect",
    "Event",
    "Kpi",
    "Row",
    "Rule",
    "SendingModel",
    "Status",
    "Table",
    "build_model",
    "load_model",
]

MODES = ("efs", "no_efs")
EFFECTS = ("starts_at", "unchanged", "increase", "decrease")


@dataclass(frozen=True)
class Kpi:
    """A key performance indicator of the Deployment zone."""

    key: str
    unit: str
    text: str
    ui: str | None = None
    refresh: str | None = None
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Status:
    """A sending-log status; ``ui`` is its name in the user interface."""

    key: str
    ui: str


@dataclass(frozen=True)
class Event:
    """An event of the sending process; ``after`` lists the events that may precede it."""

    key: str
    after: tuple[str, ...]
    text: str
    at_validity_end: bool = False

    @property
    def starts(self) -> bool:
        """True for the event that starts a message's life (nothing may precede it)."""
        return not self.after


@dataclass(frozen=True)
class Effect:
    """What an event does to a percentage KPI; ``percent`` is set only for ``starts_at``."""

    kind: str
    percent: int | None = None

    @classmethod
    def parse(cls, raw: str | dict[str, int]) -> Effect:
        """Read ``unchanged``/``increase``/``decrease`` or ``{starts_at: N}``."""
        if isinstance(raw, dict):
            return cls("starts_at", int(raw["starts_at"]))
        return cls(raw)

    def counts(self, before: bool) -> bool:
        """Whether a message counts towards the KPI after this effect, given ``before``."""
        if self.kind == "starts_at":
            return self.percent == 100
        if self.kind == "increase":
            return True
        if self.kind == "decrease":
            return False
        return before


@dataclass(frozen=True)
class Row:
    """One row of a transition table: event -> new log status and KPI effects."""

    event: str
    status: str
    effects: tuple[tuple[str, Effect], ...]
    in_table: bool = True
    location: Location = field(default_factory=lambda: Location(""))

    def effect(self, kpi: str) -> Effect:
        """The effect on ``kpi`` (``unchanged`` when the row does not name it)."""
        return dict(self.effects).get(kpi, Effect("unchanged"))


@dataclass(frozen=True)
class Table:
    """The transition table of one mode (``efs`` or ``no_efs``)."""

    mode: str
    kpis: tuple[str, ...]
    rows: tuple[Row, ...]

    def row(self, event: str) -> Row:
        """The row of ``event``; the checks guarantee there is exactly one."""
        return next(r for r in self.rows if r.event == event)

    @property
    def shown(self) -> tuple[Row, ...]:
        """Rows the page's table shows (not those taken from the prose)."""
        return tuple(r for r in self.rows if r.in_table)


@dataclass(frozen=True)
class Rule:
    """A rule the prose of the page states about a KPI in one mode."""

    mode: str
    kpi: str
    source: str
    starts_at: int | None = None
    never: str | None = None


@dataclass(frozen=True)
class Confirm:
    """Confirming the send: the role it requires and how scheduled and recurring sends behave."""

    role: str
    button: str
    progress_block: str
    scheduled: str
    recurring_applies_to: str
    recurring_option_block: str


@dataclass(frozen=True)
class SendingModel:
    """Everything the catalogue says about confirming and tracking a send."""

    page: str
    confirm: Confirm
    kpis: tuple[Kpi, ...]
    refresh_action: str
    refresh_window: str
    statuses: tuple[Status, ...]
    events: tuple[Event, ...]
    rules: tuple[Rule, ...]
    tables: tuple[Table, ...]
    texts: tuple[tuple[str, str], ...]
    path: str = ""

    def table(self, mode: str) -> Table:
        """The transition table of ``mode`` (``efs`` or ``no_efs``)."""
        return next(t for t in self.tables if t.mode == mode)

    def event(self, key: str) -> Event:
        """The event named ``key``."""
        return next(e for e in self.events if e.key == key)

    def status(self, key: str) -> Status:
        """The status named ``key``."""
        return next(s for s in self.statuses if s.key == key)

    def kpi(self, key: str) -> Kpi:
        """The KPI named ``key``."""
        return next(k for k in self.kpis if k.key == key)

    def text(self, key: str) -> str:
        """A fixed sentence of the reference page, in English."""
        return dict(self.texts)[key]

    @property
    def start_event(self) -> Event:
        """The event that starts a message's life (``relayed``)."""
        return next(e for e in self.events if e.starts)


# long: the model's tables built from the file's sections in order
def build_model(
    data: dict[str, Any], *, path: str = "", locator: Positions | None = None
) -> SendingModel:
    """Turn checked YAML data (the mapping under ``sending:``'s parent) into a model.

    Args:
        data: the whole file's mapping; it must already have passed schema and checks.
        path: file name for row locations.
        locator: finds row lines for locations; rows get line 0 without one.

    Returns:
        The frozen model.
    """
    s = data["sending"]
    tables = []
    for t_index, t in enumerate(s["tables"]):
        rows = []
        for r_index, r in enumerate(t["rows"]):
            line, col = (
                locator.position(("sending", "tables", t_index, "rows", r_index))
                if locator is not None
                else (0, 0)
            )
            rows.append(
                Row(
                    event=r["event"],
                    status=r["status"],
                    effects=tuple((k, Effect.parse(v)) for k, v in r["effects"].items()),
                    in_table=r.get("in_table", True),
                    location=Location(path, line, col),
                )
            )
        tables.append(Table(t["mode"], tuple(t["kpis"]), tuple(rows)))
    c = s["confirm"]
    return SendingModel(
        page=s["page"],
        confirm=Confirm(
            role=c["role"],
            button=c["button"],
            progress_block=c["progress_block"],
            scheduled=c["scheduled"],
            recurring_applies_to=c["recurring_confirmation"]["applies_to"],
            recurring_option_block=c["recurring_confirmation"]["option_block"],
        ),
        kpis=tuple(
            Kpi(
                k["key"],
                k["unit"],
                k["text"],
                k.get("ui"),
                k.get("refresh"),
                tuple(k.get("channels", ())),
            )
            for k in s["kpis"]
        ),
        refresh_action=s["refresh"]["action"],
        refresh_window=s["refresh"]["window"],
        statuses=tuple(Status(x["key"], x["ui"]) for x in s["statuses"]),
        events=tuple(
            Event(e["key"], tuple(e["after"]), e["text"], bool(e.get("at_validity_end", False)))
            for e in s["events"]
        ),
        rules=tuple(
            Rule(r["mode"], r["kpi"], r["source"], r.get("starts_at"), r.get("never"))
            for r in s["rules"]
        ),
        tables=tuple(tables),
        texts=tuple(s["texts"].items()),
        path=path,
    )


def load_model(path: Path, *, documents: Documents | None = None) -> SendingModel:
    """Load and check a sending model file.

    Args:
        path: the YAML file (usually catalog/sending.yaml).
        documents: files this command has read already (each is parsed once).

    Returns:
        The model.

    Raises:
        InputError: when the file cannot be read.
        CatalogError: with every problem, when the file is not a valid sending model.
    """
    document = read_document(
        path,
        schema_name="sending",
        check=check,
        documents=documents,
        hint="pass --model PATH to a sending model such as catalog/sending.yaml",
    )
    loaded = document.loaded
    if loaded.data is not None and "sending" not in loaded.data:
        problems = [
            *loaded.problems,
            Problem(
                Location.of(path, 1, 1),
                "not a sending model (no `sending:` key)",
                code="sending-not-model",
                hint="point --model at catalog/sending.yaml",
            ),
        ]
        raise CatalogError(problems)
    if loaded.data is None or any(p.severity is Severity.ERROR for p in document.problems):
        raise CatalogError(list(document.problems))
    # Row positions are kept for later messages: read them from libyaml's marks.
    return build_model(loaded.data, path=str(path), locator=MarkLocator(loaded.text))
