"""The kinds of YAML file a catalogue folder holds, and the rules each is checked by.

A new kind gets a schema in ``schemas/``, a check here and a line in :func:`document.kind_of`;
``wfgen validate`` and every loader then read it the one way (:mod:`generator.load.document`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import Check
from .profiles import check_profile
from .sending_checks import check as check_sending

__all__ = ["KINDS", "Kind"]


@dataclass(frozen=True)
class Kind:
    """One kind of YAML file: its bundled schema and the checks beyond the schema."""

    name: str
    schema: str
    check: Check | None = None


# The catalogue's own checks span files (ids, modules, references): see load/catalog.py.
KINDS = {
    "catalog": Kind("catalog", "catalog"),
    "environment": Kind("environment", "environment", check_profile),
    "sending": Kind("sending", "sending", check_sending),
}
