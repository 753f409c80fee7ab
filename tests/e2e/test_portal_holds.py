"""Holds through the mutations, over HTTP against the emulator: placeHold's yes and each no,
cancelHold, idempotent retries, the ILS's own refusals and lost answers.

SIP2 15 (hold, add or cancel) is counted by the emulator's admin API: a refusal by the
portal rules must never reach the ILS, and a retried request must never place a second hold.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from emulator import db
from emulator.runner import RunningEmulator
from tests.e2e.conftest import bearer, graphql, sip2_count

CAMILLE, HUGO, NADIA = "2900000001", "2900000004", "2900000006"

PLACE = """
mutation Place($record: ID!, $library: ID!, $key: String) {
  placeHold(recordId: $record, pickupLibraryCode: $library, idempotencyKey: $key) {
    hold { id status queuePosition cancellable pickupLibrary { code } record { id title } }
    reasons
    errors { code message field }
  }
}
"""
CANCEL = """
mutation Cancel($id: ID!) { cancelHold(holdId: $id) { cancelled errors { code message field } } }
"""
HOLDS = "{ me { holds { id status record { id title } } } }"


async def place(
    client: httpx.AsyncClient, headers: dict[str, str], record: str, library: str, key: str | None = None
) -> dict[str, Any]:
    body = await graphql(client, PLACE, {"record": record, "library": library, "key": key}, headers)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["placeHold"]
    return payload


async def cancel(client: httpx.AsyncClient, headers: dict[str, str], hold_id: str) -> dict[str, Any]:
    body = await graphql(client, CANCEL, {"id": hold_id}, headers)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["cancelHold"]
    return payload


async def holds_of_viewer(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The viewer's holds as the gateway reads them now (a fresh request), keyed by record id."""
    body = await graphql(client, HOLDS, headers=headers)
    assert "errors" not in body, body
    return {hold["record"]["id"]: hold for hold in body["data"]["me"]["holds"]}


@pytest.mark.parametrize(
    ("record", "title"), [("T-BOVARY", "Madame Bovary"), ("T-NOTREDAME", "Notre-Dame de Paris")]
)
async def test_a_hold_is_placed_then_cancelled(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator, record: str, title: str
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    before = await sip2_count(ils, "15")

    placed = await place(demo_gateway, headers, record, "SAGAN")

    assert (placed["reasons"], placed["errors"]) == ([], [])
    hold = placed["hold"]
    assert (hold["status"], hold["queuePosition"], hold["cancellable"]) == ("WAITING", 1, True)
    assert (hold["pickupLibrary"]["code"], hold["record"]["title"]) == ("SAGAN", title)
    assert (await holds_of_viewer(demo_gateway, headers))[record]["id"] == hold["id"]

    cancelled = await cancel(demo_gateway, headers, hold["id"])

    assert cancelled == {"cancelled": True, "errors": []}
    assert record not in await holds_of_viewer(demo_gateway, headers)
    assert await sip2_count(ils, "15") == before + 2


@pytest.mark.parametrize(
    ("card", "record", "library", "reasons"),
    [
        (CAMILLE, "T-PRINCE", "DURAS", ["AVAILABLE_ON_SHELF"]),
        (CAMILLE, "T-HORLA", "DURAS", ["NO_COPIES"]),
        (CAMILLE, "T-ETRANGER", "DURAS", ["DIGITAL_DOCUMENT"]),
        (HUGO, "T-BOVARY", "SAGAN", ["MAX_HOLDS_REACHED"]),
        (CAMILLE, "T-MISERABLES", "DURAS", ["ALREADY_HELD"]),
        (CAMILLE, "T-HORDE", "DURAS", ["ALREADY_ON_LOAN"]),
        (NADIA, "T-BOVARY", "LEDUC", ["PATRON_BLOCKED"]),
        (CAMILLE, "T-BOVARY", "FORNEY", ["INVALID_PICKUP_LIBRARY"]),
        (CAMILLE, "T-BOVARY", "NUMERIQUE", ["INVALID_PICKUP_LIBRARY"]),
        (CAMILLE, "T-BOVARY", "ATLANTIS", ["INVALID_PICKUP_LIBRARY"]),
    ],
)
async def test_each_refusal_of_the_rules_is_reported_without_asking_the_ils(
    demo_gateway: httpx.AsyncClient,
    ils: RunningEmulator,
    card: str,
    record: str,
    library: str,
    reasons: list[str],
) -> None:
    headers = await bearer(demo_gateway, card)
    before = await sip2_count(ils, "15")

    payload = await place(demo_gateway, headers, record, library)

    assert (payload["hold"], payload["reasons"]) == (None, reasons)
    assert [error["code"] for error in payload["errors"]] == reasons
    assert all(error["message"] for error in payload["errors"])
    assert await sip2_count(ils, "15") == before


@pytest.mark.parametrize("record", ["T-BOVARY\x00|AB", "T" * 65], ids=["control-chars", "65-chars"])
async def test_a_record_id_no_record_can_have_is_record_not_found_not_an_internal_error(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator, record: str
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)

    payload = await place(demo_gateway, headers, record, "DURAS")

    assert [error["code"] for error in payload["errors"]] == ["RECORD_NOT_FOUND"]
    assert await sip2_count(ils, "15") == 0


async def test_an_anonymous_hold_is_unauthenticated(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    body = await graphql(demo_gateway, PLACE, {"record": "T-BOVARY", "library": "DURAS"})

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await sip2_count(ils, "15") == 0


async def test_a_retry_with_the_same_idempotency_key_returns_the_first_hold(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    before = await sip2_count(ils, "15")

    first = await place(demo_gateway, headers, "T-BOVARY", "DURAS", key="b0vary-7f3a")
    retry = await place(demo_gateway, headers, "T-BOVARY", "DURAS", key="b0vary-7f3a")

    assert first["hold"] is not None
    assert retry == first
    assert await sip2_count(ils, "15") == before + 1  # one SIP2 15 in all
    # A new key is a new request: the rules now say the title is already held.
    other = await place(demo_gateway, headers, "T-BOVARY", "DURAS", key="b0vary-8e4b")
    assert other["reasons"] == ["ALREADY_HELD"]


async def test_a_refusal_of_the_ils_itself_comes_back_as_ils_refused_with_its_message(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    # The gateway caches the list of libraries (reference data); the ILS stops pickups at DURAS
    # meanwhile, so the gateway's rules allow the hold and the ILS refuses it.
    headers = await bearer(demo_gateway, CAMILLE)
    assert (await place(demo_gateway, headers, "T-HORLA", "DURAS"))["reasons"] == [
        "NO_COPIES"
    ]  # warms the cache
    connection = db.connect(ils.db_path)
    try:
        connection.execute("UPDATE libraries SET accepts_pickup = 0 WHERE code = 'DURAS'")
    finally:
        connection.close()

    payload = await place(demo_gateway, headers, "T-BOVARY", "DURAS")

    assert (payload["hold"], payload["reasons"]) == (None, ["ILS_REFUSED"])
    (error,) = payload["errors"]
    assert error["code"] == "ILS_REFUSED"
    assert error["message"] == (
        "Le système de la bibliothèque a refusé : "
        "Cette bibliothèque n'accepte pas les retraits de réservations."
    )
    assert "T-BOVARY" not in await holds_of_viewer(demo_gateway, headers)


async def test_a_lost_answer_after_placing_is_reported_as_placed(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    ils.faults.update({"drop_after_write": 1.0})

    payload = await place(demo_gateway, headers, "T-NOTREDAME", "LEDUC", key="n0tre-dame")

    ils.faults.update({"drop_after_write": 0.0})
    assert (payload["reasons"], payload["errors"]) == ([], [])
    assert payload["hold"]["record"]["id"] == "T-NOTREDAME"
    assert (await holds_of_viewer(demo_gateway, headers))["T-NOTREDAME"]["id"] == payload["hold"]["id"]
    assert await sip2_count(ils, "15") == 1
    # The confirmed outcome was recorded under the key: a retry returns it, without a second 15.
    assert await place(demo_gateway, headers, "T-NOTREDAME", "LEDUC", key="n0tre-dame") == payload
    assert await sip2_count(ils, "15") == 1


async def test_a_waiting_hold_is_cancelled_and_an_available_one_is_not(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    holds = await holds_of_viewer(demo_gateway, headers)

    refused = await cancel(demo_gateway, headers, holds["T-HADRIEN"]["id"])  # AVAILABLE at SAGAN
    assert refused["cancelled"] is False
    assert [error["code"] for error in refused["errors"]] == ["HOLD_NOT_CANCELLABLE"]
    assert await sip2_count(ils, "15") == 0

    done = await cancel(demo_gateway, headers, holds["T-MISERABLES"]["id"])  # WAITING, 2nd in the queue
    assert done == {"cancelled": True, "errors": []}
    assert set(await holds_of_viewer(demo_gateway, headers)) == {"T-HADRIEN", "T-CONSENTEMENT"}
    assert await sip2_count(ils, "15") == 1
