"""The SIP2-only profile's mapping: 66 screen messages per item, patron status flags to blocks,
the 64 to a patron record, counts and fees."""

from __future__ import annotations

from datetime import datetime

from adapters.ils.sip2 import mapping
from adapters.ils.sip2 import messages as m

NOW = datetime(2026, 12, 1, 9, 0, 0)


def _66(unrenewed: tuple[str, ...], *screen: str) -> m.RenewAllResponse:
    return m.RenewAllResponse(
        ok=True,
        renewed_count=1,
        unrenewed_count=len(unrenewed),
        transaction_date=NOW,
        renewed_items=("A1",),
        unrenewed_items=unrenewed,
        screen_messages=screen,
    )


def test_renew_all_screen_messages_that_name_an_item_are_that_items() -> None:
    outcome = mapping.renew_all(
        _66(("B2", "B22"), "B22 : Document réservé.", "B2 - Prêt d'une semaine.", "Bonne lecture !")
    )
    assert outcome.renewed_item_ids == ("A1",) and outcome.unrenewed_item_ids == ("B2", "B22")
    # "B22 : …" is B22's, not B2's although B2 is its prefix.
    assert dict(outcome.item_messages) == {"B22": "Document réservé.", "B2": "Prêt d'une semaine."}
    assert outcome.general_message == "Bonne lecture !"
    assert outcome.message == "B22 : Document réservé. B2 - Prêt d'une semaine. Bonne lecture !"


def test_renew_all_screen_messages_without_an_item_are_about_the_request() -> None:
    # No separator after the id, an id not among the unrenewed ones (A1 was renewed): general.
    outcome = mapping.renew_all(_66(("B2",), "B2x : autre", "A1 : prolongé", "Limite atteinte"))
    assert outcome.item_messages == ()
    assert outcome.general_message == "B2x : autre A1 : prolongé Limite atteinte"
    assert mapping.renew_all(_66(("B2",))).general_message is None
