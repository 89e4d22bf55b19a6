"""The bundled catalogue's translatable messages, enumerated once per process."""

from __future__ import annotations

import functools

from generator.l10n.messages import Message
from generator.l10n.update import load_messages
from tests.conftest import CATALOG


@functools.cache
def bundled_messages() -> tuple[Message, ...]:
    """``load_messages(CATALOG)``: every test reading the bundled catalogue's messages shares
    them (they are frozen; a test that changes the catalogue loads its own copy)."""
    return tuple(load_messages(CATALOG))
