"""The one write-and-confirm path: every outcome, alone and through each write mutation over FakeIls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.errors import (
    GatewayError,
    IlsRejected,
    IlsUnavailable,
    LocalProtocolError,
    OutcomeUnknown,
    PeerProtocolError,
)
from schema.confirmed_write import Outcome, WriteResult, outcome_error, write_and_confirm
from tests.fakes import FakeIls
from tests.unit.schema_harness import CAMILLE, STAFF, Harness, as_patron

# ---- the path alone


@dataclass
class _Ils:
    """Counts writes and re-reads; each does what the test says."""

    write: Callable[[], Awaitable[str]]
    read: Callable[[], Awaitable[bool]]
    writes: int = 0
    reads: int = 0

    async def do_write(self) -> str:
        self.writes += 1
        return await self.write()

    async def do_read(self) -> bool:
        self.reads += 1
        return await self.read()


def _answers(value: str) -> Callable[[], Awaitable[str]]:
    async def answer() -> str:
        return value

    return answer


def _raises(error: GatewayError) -> Callable[[], Awaitable[Any]]:
    async def fail() -> Any:
        raise error

    return fail


def _reads(applied: bool) -> Callable[[], Awaitable[bool]]:
    async def read() -> bool:
        return applied

    return read


async def _run(ils: _Ils) -> WriteResult[str]:
    return await write_and_confirm(
        "test",
        ils.do_write,
        ils.do_read,
        refusal=lambda answer: answer[3:] if answer.startswith("no:") else None,
    )


@pytest.mark.parametrize(
    ("write", "read", "outcome", "message", "reads"),
    [
        (_answers("ok"), _reads(False), Outcome.APPLIED, None, 0),
        (_answers("no:Prolongation impossible"), _reads(True), Outcome.REFUSED, "Prolongation impossible", 0),
        (_raises(IlsRejected("X", "Carte expirée")), _reads(True), Outcome.REFUSED, "Carte expirée", 0),
        (_raises(IlsUnavailable("sip2", "refused")), _reads(True), Outcome.NOT_APPLIED, None, 0),
        (_raises(LocalProtocolError("unsendable")), _reads(True), Outcome.NOT_APPLIED, None, 0),
        (_raises(OutcomeUnknown("renew", "timeout")), _reads(True), Outcome.APPLIED, None, 1),
        (_raises(OutcomeUnknown("renew", "timeout")), _reads(False), Outcome.NOT_APPLIED, None, 1),
        (_raises(PeerProtocolError("garbage")), _reads(True), Outcome.APPLIED, None, 1),
        (
            _raises(OutcomeUnknown("renew", "timeout")),
            _raises(IlsUnavailable("soap", "down")),
            Outcome.OUTCOME_UNKNOWN,
            None,
            1,
        ),
        (
            _raises(OutcomeUnknown("renew", "timeout")),
            _raises(PeerProtocolError("bad xml")),
            Outcome.OUTCOME_UNKNOWN,
            None,
            1,
        ),
    ],
)
async def test_each_outcome_and_when_the_ils_is_read_again(
    write: Callable[[], Awaitable[str]],
    read: Callable[[], Awaitable[bool]],
    outcome: Outcome,
    message: str | None,
    reads: int,
) -> None:
    ils = _Ils(write, read)
    result = await _run(ils)
    assert (result.outcome, result.message) == (outcome, message)
    assert result.reconciled is (reads == 1)
    # Sent once, whatever happened: a write is never retried.
    assert (ils.writes, ils.reads) == (1, reads)


def test_each_outcome_becomes_one_localized_user_error() -> None:
    assert outcome_error(WriteResult(Outcome.APPLIED), "fr") is None
    refused = outcome_error(WriteResult(Outcome.REFUSED, message="Carte expirée"), "en", ["input"])
    assert refused is not None
    assert (refused.code, refused.message, refused.field) == (
        "ILS_REFUSED",
        "The library system refused: Carte expirée",
        ["input"],
    )
    not_applied = outcome_error(WriteResult(Outcome.NOT_APPLIED), "fr")
    assert not_applied is not None and not_applied.code == "NOT_APPLIED"
    assert "rien n'a changé" in not_applied.message
    unknown = outcome_error(WriteResult(Outcome.OUTCOME_UNKNOWN), "en")
    assert unknown is not None and unknown.code == "OUTCOME_UNKNOWN"
    assert unknown.message == "The library system did not confirm the operation; check before trying again."


# ---- through each mutation, with FakeIls's knobs

Arm = Callable[[FakeIls], None]

LOANS = "query($id: ID!) { patron(id: $id) { loans { id item { record { title } } } } }"
HOLDS = "query($id: ID!) { patron(id: $id) { holds { id record { id title } } } }"


async def _renew(harness: Harness, arm: Arm) -> tuple[bool, list[str]]:
    data = await harness.data(LOANS, {"id": CAMILLE}, viewer=STAFF)
    horde = next(
        x["id"] for x in data["patron"]["loans"] if x["item"]["record"]["title"].startswith("La Horde")
    )
    harness.ils.reset_counts()
    arm(harness.ils)
    document = "mutation($ids: [ID!]!) { renewLoans(loanIds: $ids) { renewedCount errors { code } } }"
    payload = (await harness.data(document, {"ids": [horde]}, viewer=as_patron(CAMILLE)))["renewLoans"]
    return payload["renewedCount"] == 1, [e["code"] for e in payload["errors"]]


async def _cancel(harness: Harness, arm: Arm) -> tuple[bool, list[str]]:
    data = await harness.data(HOLDS, {"id": CAMILLE}, viewer=STAFF)
    hold = next(h["id"] for h in data["patron"]["holds"] if h["record"]["title"] == "Le Consentement")
    harness.ils.reset_counts()
    arm(harness.ils)
    document = "mutation($id: ID!) { cancelHold(holdId: $id) { cancelled errors { code } } }"
    payload = (await harness.data(document, {"id": hold}, viewer=as_patron(CAMILLE)))["cancelHold"]
    return payload["cancelled"], [e["code"] for e in payload["errors"]]


async def _place(harness: Harness, arm: Arm) -> tuple[bool, list[str]]:
    record = next(t.id for t in harness.ils.titles.values() if t.title == "Madame Bovary")
    harness.ils.reset_counts()
    arm(harness.ils)
    document = """mutation($id: ID!) { placeHold(recordId: $id, pickupLibraryCode: "DURAS") {
      hold { id } errors { code } } }"""
    payload = (await harness.data(document, {"id": record}, viewer=as_patron(CAMILLE)))["placeHold"]
    return payload["hold"] is not None, [e["code"] for e in payload["errors"]]


async def _update(harness: Harness, arm: Arm) -> tuple[bool, list[str]]:
    arm(harness.ils)
    document = """mutation { updateProfile(input: { phone: "0102030405" }) {
      patron { phone } errors { code } } }"""
    payload = (await harness.data(document, viewer=as_patron(CAMILLE)))["updateProfile"]
    applied = harness.ils.patrons[CAMILLE].phone == "0102030405"
    assert payload["patron"]["phone"] == harness.ils.patrons[CAMILLE].phone
    return applied, [e["code"] for e in payload["errors"]]


# Each mutation, its port method, and the account reads it makes before writing.
MUTATIONS = [
    pytest.param(_renew, "renew", 1, id="renewLoans"),
    pytest.param(_cancel, "cancel_hold", 1, id="cancelHold"),
    pytest.param(_place, "place_hold", 1, id="placeHold"),
    pytest.param(_update, "update_contact", 0, id="updateProfile"),
]


Mutate = Callable[[Harness, Arm], Awaitable[tuple[bool, list[str]]]]


def _nothing(ils: FakeIls) -> None:
    pass


@pytest.mark.parametrize(("mutate", "method", "reads_before"), MUTATIONS)
async def test_an_answer_that_comes_back_is_applied(mutate: Mutate, method: str, reads_before: int) -> None:
    harness = Harness()
    assert await mutate(harness, _nothing) == (True, [])
    assert harness.ils.calls[method] == 1


@pytest.mark.parametrize(("mutate", "method", "reads_before"), MUTATIONS)
async def test_a_lost_answer_of_an_applied_write_is_applied(
    mutate: Mutate, method: str, reads_before: int
) -> None:
    harness = Harness()
    assert await mutate(harness, lambda ils: ils.lose_next_answer(method)) == (True, [])
    assert harness.ils.calls[method] == 1
    assert harness.ils.calls["get_accounts"] >= reads_before + 1


@pytest.mark.parametrize(("mutate", "method", "reads_before"), MUTATIONS)
async def test_a_lost_answer_of_a_write_never_made_is_not_applied(
    mutate: Mutate, method: str, reads_before: int
) -> None:
    harness = Harness()
    # Raised before the fake applies anything: the re-read finds nothing changed.
    lost = OutcomeUnknown(method, "dropped before the write")
    assert await mutate(harness, lambda ils: ils.fail_next(method, lost)) == (False, ["NOT_APPLIED"])
    assert harness.ils.calls[method] == 1


@pytest.mark.parametrize(("mutate", "method", "reads_before"), MUTATIONS)
async def test_a_lost_answer_whose_re_read_fails_says_outcome_unknown(
    mutate: Mutate, method: str, reads_before: int
) -> None:
    harness = Harness()

    def arm(ils: FakeIls) -> None:
        ils.lose_next_answer(method)
        ils.fail_next("get_accounts", IlsUnavailable("soap", "down"), skip=reads_before)

    # The fake applied the write; nobody can tell, and the answer says so instead of guessing.
    _, errors = await mutate(harness, arm)
    assert errors == ["OUTCOME_UNKNOWN"]
    assert harness.ils.calls[method] == 1


@pytest.mark.parametrize(("mutate", "method", "reads_before"), MUTATIONS)
async def test_an_ils_out_of_reach_before_sending_is_not_applied(
    mutate: Mutate, method: str, reads_before: int
) -> None:
    harness = Harness()
    down = IlsUnavailable("sip2", "connection refused")
    assert await mutate(harness, lambda ils: ils.fail_next(method, down)) == (False, ["NOT_APPLIED"])
    # Nothing to settle: no re-read (updateProfile reads the patron for its payload).
    assert harness.ils.calls["get_accounts"] == reads_before + (method == "update_contact")


@pytest.mark.parametrize(("mutate", "method", "reads_before"), MUTATIONS)
async def test_a_refusal_carries_the_ils_message(mutate: Mutate, method: str, reads_before: int) -> None:
    harness = Harness()
    refusal = IlsRejected("REFUSED", "Carte expirée")
    applied, errors = await mutate(harness, lambda ils: ils.fail_next(method, refusal))
    # renewLoans reports a refusal as the loan's reason ILS_REFUSED, not as a payload error.
    assert (applied, errors) == (False, [] if method == "renew" else ["ILS_REFUSED"])
