"""What the current field's selection asks for, and prefetching a loader key it will need.

Lets a resolver start a batch load one or more levels early (an account knows the
item and record ids of its loans before any loan field resolves), which removes
levels of ILS round trips. Never awaits: a prefetched key is awaited by the field
that needs it. Directives (@skip, @include) are ignored: at worst a key is loaded
that nobody reads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from strawberry.types.nodes import SelectedField, Selection

from schema.context import Info


def fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """Every field among `selections`, fragments (named and inline) opened."""
    pending = list(selections)
    while pending:
        selection = pending.pop()
        if isinstance(selection, SelectedField):
            yield selection
        else:
            pending.extend(selection.selections)


def children(selections: Iterable[Selection], name: str) -> list[Selection]:
    """The sub-selections of every field `name` among `selections` (fragments merged in, aliases too)."""
    return [child for field in fields(selections) if field.name == name for child in field.selections]


def descend(selections: Iterable[Selection], *path: str) -> list[Selection]:
    """The merged sub-selections at `path` below `selections` (empty when the path is not selected)."""
    current = list(selections)
    for name in path:
        current = children(current, name)
    return current


def asks(selections: Sequence[Selection], *path: str) -> bool:
    """Whether the field at `path` is selected (a leaf counts: its name is found with no sub-selection)."""
    *parents, leaf = path
    return _has_field(descend(selections, *parents), leaf)


def _has_field(selections: Iterable[Selection], name: str) -> bool:
    return any(field.name == name for field in fields(selections))


def own_selection(info: Info) -> list[Selection]:
    """The current field's sub-selection (computed by Strawberry on each call: ask once per resolver)."""
    return [selection for field in info.selected_fields for selection in field.selections]


def selects(info: Info, name: str) -> bool:
    """Whether the current field's sub-selection asks for the field `name` (fragments included)."""
    return _has_field(own_selection(info), name)


def prefetch(future: asyncio.Future[Any]) -> None:
    """Let a loader batch this key now; a failure is reported by whoever awaits it, not logged as lost."""
    future.add_done_callback(_consume)


def _consume(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()
