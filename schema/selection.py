"""What the current field's selection asks for, and prefetching a loader key it will need.

Lets a resolver start a batch load one level early (a loan knows its record's
id before its item is loaded), which removes a level of ILS round trips.
Never awaits: a prefetched key is awaited by the field that needs it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from strawberry.types.nodes import SelectedField

from schema.context import Info


def selects(info: Info, name: str) -> bool:
    """Whether the current field's sub-selection asks for the field `name` (fragments included)."""
    pending = [selection for field in info.selected_fields for selection in field.selections]
    while pending:
        selection = pending.pop()
        if isinstance(selection, SelectedField):
            if selection.name == name:
                return True
        else:
            pending.extend(selection.selections)
    return False


def prefetch(future: asyncio.Future[Any]) -> None:
    """Let a loader batch this key now; a failure is reported by whoever awaits it, not logged as lost."""
    future.add_done_callback(_consume)


def _consume(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()
