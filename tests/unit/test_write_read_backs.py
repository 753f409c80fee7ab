"""A write that happened is answered as such, even when the ILS cannot be read afterwards.

Found by the fault suite over SIP2 alone (bench/faults.py --profile sip2): a renewal the ILS
applied, whose answer carried no due date, was answered with a request error (ILS_UNAVAILABLE)
when the account read for the payload failed; a failing item read for one loan's rules failed
the whole renewLoans, hiding the loans renewed next to it; a placed hold whose account read
failed afterwards was answered ILS_UNAVAILABLE too. Each is now data in the payload.
"""

from __future__ import annotations

import dataclasses

from adapters.errors import IlsUnavailable
from adapters.ils.models import RenewalOutcome
from tests.fakes import FakeIls
from tests.unit.schema_harness import CAMILLE, STAFF, Harness, as_patron

RENEW = """
mutation($ids: [ID!]!) {
  renewLoans(loanIds: $ids) {
    renewedCount
    results { loanId renewed reasons message loan { dueDate } }
    errors { code field }
  }
}
"""
PLACE = """
mutation($r: ID!) {
  placeHold(recordId: $r, pickupLibraryCode: "DURAS") { hold { id } reasons errors { code } }
}
"""
LOANS = "query($id: ID!) { patron(id: $id) { loans { id item { record { title } } } } }"
DOWN = IlsUnavailable("sip2", "no answer")


class _NoDueDateIls(FakeIls):
    """An ACS whose renewal answer leaves the new due date out (AH is optional in SIP2)."""

    async def renew(self, patron_id: str, item_id: str) -> RenewalOutcome:
        answer = await super().renew(patron_id, item_id)
        return dataclasses.replace(answer, due_date=None)


async def _loan_id(harness: Harness, title: str) -> str:
    data = await harness.data(LOANS, {"id": CAMILLE}, viewer=STAFF)
    return str(next(x["id"] for x in data["patron"]["loans"] if x["item"]["record"]["title"] == title))


async def test_a_renewal_applied_is_answered_renewed_when_the_account_cannot_be_read_again() -> None:
    harness = Harness(ils=_NoDueDateIls())
    horde = await _loan_id(harness, "La Horde du Contrevent")
    harness.ils.fail_next("get_accounts", DOWN, skip=1)  # the read before succeeds, the read-back fails
    result = await harness.run(RENEW, {"ids": [horde]}, viewer=as_patron(CAMILLE))
    assert result.errors is None, result.errors
    payload = result.data["renewLoans"] if result.data else {}
    assert payload["renewedCount"] == 1
    assert payload["results"] == [
        {"loanId": horde, "renewed": True, "reasons": [], "message": None, "loan": None}
    ]
    assert harness.ils.calls["renew"] == 1


async def test_a_loan_whose_rules_cannot_be_judged_is_not_applied_alone() -> None:
    harness = Harness()
    horde = await _loan_id(harness, "La Horde du Contrevent")
    harness.ils.fail_next("get_items", DOWN)
    result = await harness.run(RENEW, {"ids": [horde]}, viewer=as_patron(CAMILLE))
    assert result.errors is None, result.errors
    payload = result.data["renewLoans"] if result.data else {}
    assert [r["renewed"] for r in payload["results"]] == [False]
    assert payload["errors"] == [{"code": "NOT_APPLIED", "field": ["loanIds", "0"]}]
    assert harness.ils.calls["renew"] == 0  # nothing was asked


async def test_a_hold_placed_is_answered_placed_when_the_account_cannot_be_read_again() -> None:
    harness = Harness()
    bovary = next(t.id for t in harness.ils.titles.values() if t.title == "Madame Bovary")
    harness.ils.fail_next("get_accounts", DOWN, skip=1)
    result = await harness.run(PLACE, {"r": bovary}, viewer=as_patron(CAMILLE))
    assert result.errors is None, result.errors
    assert result.data == {"placeHold": {"hold": None, "reasons": [], "errors": []}}
    assert any(h.title_id == bovary for h in harness.ils.holds.values() if h.patron_id == CAMILLE)
