"""wfgen: a canonical catalogue of technical workflows, reconciled and rendered.

The public API is what ``__all__`` lists; everything else may change. Names are imported
on first use, so ``wfgen --help`` does not pay for YAML, JSON Schema, Babel or Jinja2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import CatalogError, InputError, Location, Problem, Severity, UsageError, WfgenError

if TYPE_CHECKING:
    from .load.catalog import Catalog, Module, Workflow, load_catalog, validate_paths
    from .schedules import Schedule

_FROM_CATALOG = ("Catalog", "Module", "Workflow", "load_catalog", "validate_paths")

__all__ = [
    "Catalog",
    "CatalogError",
    "InputError",
    "Location",
    "Module",
    "Problem",
    "Schedule",
    "Severity",
    "UsageError",
    "WfgenError",
    "Workflow",
    "load_catalog",
    "validate_paths",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "Schedule":
        from .schedules import Schedule

        return Schedule
    if name in _FROM_CATALOG:
        from .load import catalog

        return getattr(catalog, name)
    raise AttributeError(f"module 'generator' has no attribute {name!r}")
