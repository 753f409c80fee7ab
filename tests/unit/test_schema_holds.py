"""placeHold and cancelHold through the schema: every rule, ILS refusals, idempotency, lost answers."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.errors import OutcomeUnknown
from adapters.ils.models import HoldStatus
from schema.context import Viewer
from tests.unit.schema_harness import ANONYMOUS, CAMILLE, HUGO, LEO, NADIA, STAFF, Harness, as_patron, codes

# contract/operations/place-hold.graphql, verbatim.
PLACE = """
mutation PlaceHold($recordId: ID!, $library: ID!, $key: String) {
  placeHold(recordId: $recordId, pickupLibraryCode: $library, idempotencyKey: $key) {
    hold { id status queuePosition pickupLibrary { code } }
    reasons
    errors { code message }
  }
}
"""
CANCEL = "mutation($id: ID!) { cancelHold(holdId: $id) { cancelled errors { code message field } } }"
HOLDS = "query($id: ID!) { patron(id: $id) { holds { id status record { title } } } }"


def _record(harness: Harness, title: str) -> str:
    return next(t.id for t in harness.ils.titles.values() if t.title == title)


async def _place(harness: Harness, title: str, library: str = "DURAS", **kwargs: Any) -> dict[str, Any]:
    variables = {"recordId": _record(harness, title), "library": library, "key": kwargs.pop("key", None)}
    data = await harness.data(PLACE, variables, **kwargs)
    payload: dict[str, Any] = data["placeHold"]
    return payload


async def test_a_title_with_every_copy_checked_out_can_be_reserved() -> None:
    harness = Harness()
    payload = await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE))
    assert payload["reasons"] == [] and payload["errors"] == []
    assert payload["hold"]["status"] == "WAITING"
    assert payload["hold"]["pickupLibrary"] == {"code": "DURAS"}
    holds = await harness.data(HOLDS, {"id": CAMILLE}, viewer=as_patron(CAMILLE))
    assert "Madame Bovary" in {h["record"]["title"] for h in holds["patron"]["holds"]}


@pytest.mark.parametrize(
    ("viewer", "title", "library", "reasons"),
    [
        (CAMILLE, "Le Petit Prince", "DURAS", ["AVAILABLE_ON_SHELF"]),
        (CAMILLE, "Le Horla", "DURAS", ["NO_COPIES"]),
        (CAMILLE, "L'Étranger", "DURAS", ["DIGITAL_DOCUMENT"]),
        (CAMILLE, "Les Misérables", "DURAS", ["ALREADY_HELD"]),
        (CAMILLE, "Les Furtifs", "DURAS", ["ALREADY_ON_LOAN"]),
        (HUGO, "Notre-Dame de Paris", "DURAS", ["MAX_HOLDS_REACHED"]),
        (NADIA, "Notre-Dame de Paris", "DURAS", ["PATRON_BLOCKED"]),
        (CAMILLE, "Notre-Dame de Paris", "FORNEY", ["INVALID_PICKUP_LIBRARY"]),
        (CAMILLE, "Notre-Dame de Paris", "NUMERIQUE", ["INVALID_PICKUP_LIBRARY"]),
        (CAMILLE, "Notre-Dame de Paris", "ATLANTIS", ["INVALID_PICKUP_LIBRARY"]),
    ],
)
async def test_each_hold_rule_refuses_before_the_ils(
    viewer: str, title: str, library: str, reasons: list[str]
) -> None:
    harness = Harness()
    payload = await _place(harness, title, library, viewer=as_patron(viewer))
    assert (payload["hold"], payload["reasons"]) == (None, reasons)
    assert [e["code"] for e in payload["errors"]] == reasons
    assert harness.ils.calls["place_hold"] == 0


@pytest.mark.parametrize("record_id", ["T-nope", "T\x00|AB", "T" * 65])
async def test_an_unknown_record_is_a_user_error(record_id: str) -> None:
    harness = Harness()
    data = await harness.data(PLACE, {"recordId": record_id, "library": "DURAS"}, viewer=as_patron(CAMILLE))
    assert data["placeHold"]["errors"] == [{"code": "RECORD_NOT_FOUND", "message": "Notice introuvable."}]


@pytest.mark.parametrize(("viewer", "code"), [(ANONYMOUS, "UNAUTHENTICATED"), (STAFF, "FORBIDDEN")])
async def test_place_hold_needs_a_signed_in_patron(viewer: Viewer | None, code: str) -> None:
    harness = Harness()
    variables = {"recordId": _record(harness, "Madame Bovary"), "library": "DURAS"}
    assert codes(await harness.run(PLACE, variables, viewer=viewer)) == [code]


async def test_an_ils_refusal_is_ils_refused_with_its_message() -> None:
    harness = Harness()
    harness.ils.refuse_next("place_hold", "Quota de réservations atteint")
    payload = await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE), language="en")
    assert payload["reasons"] == ["ILS_REFUSED"]
    assert payload["errors"] == [
        {"code": "ILS_REFUSED", "message": "The library system refused: Quota de réservations atteint"}
    ]


async def test_the_same_idempotency_key_returns_the_first_hold() -> None:
    harness = Harness()
    first = await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE), key="k-1")
    second = await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE), key="k-1")
    assert first == second and first["hold"] is not None
    assert harness.ils.calls["place_hold"] == 1
    # Without the key, the retry is judged again: the title is now held.
    third = await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE))
    assert third["reasons"] == ["ALREADY_HELD"]


async def test_an_idempotency_key_also_replays_a_refusal_and_is_per_patron() -> None:
    harness = Harness()
    refused = await _place(harness, "Le Petit Prince", viewer=as_patron(CAMILLE), key="k-2")
    assert refused["reasons"] == ["AVAILABLE_ON_SHELF"]
    assert (await _place(harness, "Le Petit Prince", viewer=as_patron(CAMILLE), key="k-2")) == refused
    other = await _place(harness, "Madame Bovary", viewer=as_patron(LEO), key="k-2")
    assert other["hold"] is not None


@pytest.mark.parametrize(("title", "library"), [("Notre-Dame de Paris", "DURAS"), ("Madame Bovary", "SAGAN")])
async def test_a_key_reused_for_another_request_is_refused_and_places_nothing(
    title: str, library: str
) -> None:
    harness = Harness()
    await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE), key="k-3")
    reused = await _place(harness, title, library, viewer=as_patron(CAMILLE), key="k-3", language="en")
    assert (reused["hold"], reused["reasons"]) == (None, [])
    assert reused["errors"] == [
        {
            "code": "IDEMPOTENCY_KEY_REUSED",
            "message": "This idempotency key was already used for another hold request.",
        }
    ]
    assert harness.ils.calls["place_hold"] == 1


@pytest.mark.parametrize("key", ["k" * 201, "k\x00-1"], ids=["longer-than-the-store-keeps", "nul"])
async def test_an_idempotency_key_the_store_cannot_keep_is_refused_before_placing(key: str) -> None:
    harness = Harness()
    payload = await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE), key=key, language="en")
    assert (payload["hold"], payload["reasons"]) == (None, [])
    assert payload["errors"] == [
        {
            "code": "INVALID_IDEMPOTENCY_KEY",
            "message": "Invalid idempotency key: at most 200 characters, no control characters.",
        }
    ]
    assert harness.ils.calls["place_hold"] == 0
    assert not harness.store.idempotency.records  # type: ignore[attr-defined]
    # The longest key the store keeps is fine.
    kept = await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE), key="k" * 200)
    assert kept["hold"] is not None


async def test_a_lost_answer_is_settled_by_reading_the_holds_again() -> None:
    harness = Harness()
    harness.ils.lose_next_answer("place_hold")
    payload = await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE), key="k-3")
    assert payload["hold"]["status"] == "WAITING" and payload["errors"] == []
    assert harness.ils.calls["place_hold"] == 1
    # The confirmed result was recorded: a retry with the key does not place a second hold.
    assert await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE), key="k-3") == payload
    assert harness.ils.calls["place_hold"] == 1


async def test_a_lost_hold_that_was_not_placed_is_not_recorded_for_the_key() -> None:
    harness = Harness()
    harness.ils.fail_next("place_hold", OutcomeUnknown("place_hold", "timeout"))
    payload = await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE), key="k-4")
    assert payload["hold"] is None
    assert [e["code"] for e in payload["errors"]] == ["NOT_APPLIED"]
    retried = await _place(harness, "Madame Bovary", viewer=as_patron(CAMILLE), key="k-4")
    assert retried["hold"] is not None


# ---- cancelHold


async def _hold_id(harness: Harness, patron_id: str, title: str) -> str:
    data = await harness.data(HOLDS, {"id": patron_id}, viewer=STAFF)
    hold_id: str = next(h["id"] for h in data["patron"]["holds"] if h["record"]["title"] == title)
    return hold_id


async def test_a_waiting_hold_is_cancelled() -> None:
    harness = Harness()
    hold_id = await _hold_id(harness, CAMILLE, "Les Misérables")
    data = await harness.data(CANCEL, {"id": hold_id}, viewer=as_patron(CAMILLE))
    assert data["cancelHold"] == {"cancelled": True, "errors": []}
    holds = await harness.data(HOLDS, {"id": CAMILLE}, viewer=as_patron(CAMILLE))
    assert "Les Misérables" not in {h["record"]["title"] for h in holds["patron"]["holds"]}


async def test_an_available_hold_is_not_cancellable() -> None:
    harness = Harness()
    hold_id = await _hold_id(harness, CAMILLE, "Mémoires d'Hadrien")
    data = await harness.data(CANCEL, {"id": hold_id}, viewer=as_patron(CAMILLE))
    assert data["cancelHold"]["cancelled"] is False
    assert [e["code"] for e in data["cancelHold"]["errors"]] == ["HOLD_NOT_CANCELLABLE"]
    assert harness.ils.calls["cancel_hold"] == 0


async def test_a_share_shows_holds_but_does_not_cancel_them() -> None:
    harness = Harness()
    harness.ils.add_hold(
        LEO, harness.ils.titles[_record(harness, "Madame Bovary")], "DURAS", HoldStatus.WAITING
    )
    hold_id = await _hold_id(harness, LEO, "Madame Bovary")
    assert codes(await harness.run(CANCEL, {"id": hold_id}, viewer=as_patron(CAMILLE))) == ["FORBIDDEN"]
    hugo_s = await _hold_id(harness, HUGO, "L'Anomalie")
    assert codes(await harness.run(CANCEL, {"id": hugo_s}, viewer=as_patron(CAMILLE))) == ["FORBIDDEN"]
    assert codes(await harness.run(CANCEL, {"id": hugo_s}, viewer=ANONYMOUS)) == ["UNAUTHENTICATED"]
    assert harness.ils.calls["cancel_hold"] == 0
    staff = await harness.data(CANCEL, {"id": hold_id}, viewer=STAFF)
    assert staff["cancelHold"]["cancelled"] is True


async def test_an_unknown_hold_is_a_user_error() -> None:
    data = await Harness().data(CANCEL, {"id": f"{CAMILLE}:H-nope"}, viewer=as_patron(CAMILLE))
    assert [e["code"] for e in data["cancelHold"]["errors"]] == ["HOLD_NOT_FOUND"]


async def test_a_lost_cancel_answer_is_settled_by_reading_again() -> None:
    harness = Harness()
    hold_id = await _hold_id(harness, CAMILLE, "Le Consentement")
    harness.ils.lose_next_answer("cancel_hold")
    data = await harness.data(CANCEL, {"id": hold_id}, viewer=as_patron(CAMILLE))
    assert data["cancelHold"] == {"cancelled": True, "errors": []}


async def test_a_refused_cancel_carries_the_ils_message() -> None:
    harness = Harness()
    hold_id = await _hold_id(harness, CAMILLE, "Le Consentement")
    harness.ils.refuse_next("cancel_hold", "Réservation en cours de traitement")
    data = await harness.data(CANCEL, {"id": hold_id}, viewer=as_patron(CAMILLE))
    assert data["cancelHold"]["cancelled"] is False
    assert data["cancelHold"]["errors"][0]["code"] == "ILS_REFUSED"
    assert data["cancelHold"]["errors"][0]["message"].endswith("Réservation en cours de traitement")
