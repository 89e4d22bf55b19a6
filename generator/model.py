"""The catalogue's model: frozen values that travel from loading to rendering."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import Location
from .schedules import Schedule

__all__ = [
    "NOWHERE",
    "PRODUCTS",
    "PRODUCT_NAMES",
    "Catalog",
    "Listing",
    "Module",
    "ModulePage",
    "ProductVariant",
    "Source",
    "Workflow",
]

PRODUCTS = ("classic-v7", "v8", "standard")
NOWHERE = Location("")  # the location of a value built in code, not read from a file
PRODUCT_NAMES = {
    "classic-v7": "Campaign Classic v7",
    "v8": "Campaign v8",
    "standard": "Campaign Standard",
}


@dataclass(frozen=True)
class Source:
    """The English page and sentence a fact was taken from."""

    page: str
    text: str


@dataclass(frozen=True)
class Listing:
    """The last English page version that still listed a workflow the current pages dropped."""

    page: str  # the page's path in its documentation repository
    version: str  # the commit of that version
    product: str
    date: str | None = None  # ISO date (YYYY-MM or YYYY-MM-DD) when it is known


@dataclass(frozen=True)
class ProductVariant:
    """What differs for one product; unset fields inherit the workflow's."""

    product: str
    id: str | None = None  # the product's own English spelling of the id, when it differs
    label: str | None = None
    description: str | None = None
    package: str | None = None
    schedule: Schedule | None = None
    has_schedule: bool = False  # distinguishes "schedule: null" from "no override"
    schedule_source: Source | None = None
    note: str | None = None


@dataclass(frozen=True)
class Workflow:
    """One canonical technical workflow."""

    id: str
    module: str
    label: str
    description: str
    package: str
    products: tuple[str, ...]
    status: str
    schedule: Schedule | None
    schedule_source: Source | None = None
    schedule_note: str | None = None
    replaced_by: str | None = None
    obsolete_note: str | None = None
    last_listed: Listing | None = None
    requires: tuple[str, ...] = ()
    placeholders: tuple[tuple[str, str], ...] = ()
    variants: tuple[ProductVariant, ...] = ()
    location: Location = NOWHERE
    field_lines: tuple[tuple[str, int], ...] = ()

    @property
    def is_template(self) -> bool:
        """True for ids with placeholders such as ``mcSynch_<external_account_name>``."""
        return "<" in self.id

    @property
    def obsolete(self) -> bool:
        """True when the workflow is no longer installed."""
        return self.status == "obsolete"

    def variant(self, product: str) -> ProductVariant | None:
        """The per-product difference for ``product``, if the catalogue records one."""
        return next((v for v in self.variants if v.product == product), None)

    def schedule_for(self, products: Iterable[str]) -> Schedule | None:
        """The schedule that applies on an instance running ``products`` (first match wins)."""
        for product in products:
            variant = self.variant(product)
            if variant is not None and variant.has_schedule and product in self.products:
                return variant.schedule
        return self.schedule

    @property
    def spellings(self) -> tuple[str, ...]:
        """The canonical id, then every product's own English spelling of it."""
        extra = tuple(v.id for v in self.variants if v.id and v.id != self.id)
        return (self.id, *dict.fromkeys(extra))

    def line_of(self, name: str) -> int:
        """Line of field ``name`` in the catalogue file (the entry's line when unknown)."""
        return dict(self.field_lines).get(name, self.location.line)


@dataclass(frozen=True)
class ModulePage:
    """An English module page of one product and the order it lists workflows in."""

    product: str
    page: str
    order: tuple[str, ...]


@dataclass(frozen=True)
class Module:
    """A built-in package whose workflows a module page documents."""

    key: str
    name: str
    package: str
    summary: str = ""
    pages: tuple[ModulePage, ...] = ()
    location: Location = NOWHERE

    def order(self, product: str | None = None) -> tuple[str, ...]:
        """Documented order of the module's workflows on ``product``'s page (first page if None)."""
        for page in self.pages:
            if product is None or page.product == product:
                return page.order
        return ()


@dataclass(frozen=True)
class Catalog:
    """The whole canonical catalogue, in a stable order."""

    modules: tuple[Module, ...]
    workflows: tuple[Workflow, ...]
    files: tuple[str, ...] = ()
    _index: dict[str, Workflow] = field(default_factory=dict, compare=False, repr=False)

    _spelled: dict[str, Workflow] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({w.id: w for w in self.workflows})
        for workflow in self.workflows:
            for spelling in workflow.spellings[1:]:
                self._spelled.setdefault(spelling, workflow)

    def get(self, workflow_id: str) -> Workflow | None:
        """The workflow with exactly this id, or None."""
        return self._index.get(workflow_id)

    def by_spelling(self, documented_id: str) -> Workflow | None:
        """The workflow whose id, or one product's English spelling of it, is ``documented_id``."""
        return self._index.get(documented_id) or self._spelled.get(documented_id)

    def module(self, key: str) -> Module | None:
        """The module with this key, or None."""
        return next((m for m in self.modules if m.key == key), None)

    def workflows_of(self, module: str) -> tuple[Workflow, ...]:
        """Workflows of a module, in the catalogue's order."""
        return tuple(w for w in self.workflows if w.module == module)
