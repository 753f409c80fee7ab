"""zeep values -> domain dataclasses, and what happens when the peer sends something unexpected."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from adapters.errors import PeerProtocolError
from adapters.ils.models import ItemStatus
from adapters.ils.soap import mapping


def _item(**changes: object) -> SimpleNamespace:
    values: dict[str, object] = {
        "itemId": "31",
        "titleId": "T-1",
        "libraryId": "DURAS",
        "callNumber": None,
        "status": "CHECKED_OUT",
        "dueDate": date(2026, 12, 3),
        "holdQueueLength": 2,
    }
    values.update(changes)
    return SimpleNamespace(**values)


def test_as_list() -> None:
    assert mapping.as_list(None) == []
    assert mapping.as_list("a") == ["a"]
    assert mapping.as_list(["a", "b"]) == ["a", "b"]


def test_item() -> None:
    item = mapping.item(_item())
    assert (item.status, item.due_date, item.hold_queue_length) == (
        ItemStatus.CHECKED_OUT,
        date(2026, 12, 3),
        2,
    )


@pytest.mark.parametrize(
    "changes",
    [{"status": "LOST_IN_SPACE"}, {"itemId": None}, {"holdQueueLength": "many"}, {"dueDate": "soon"}],
)
def test_unexpected_values_are_peer_protocol_errors(changes: dict[str, object]) -> None:
    with pytest.raises(PeerProtocolError):
        mapping.item(_item(**changes))
