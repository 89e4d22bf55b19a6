"""wfgen: a canonical catalogue of technical workflows, reconciled and rendered.

The public API is what ``__all__`` lists; everything else may change.
"""

from __future__ import annotations

from .catalog import Catalog, Module, Workflow, load_catalog, validate_paths
from .errors import CatalogError, InputError, Location, Problem, Severity, UsageError, WfgenError
from .schedules import Schedule

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
