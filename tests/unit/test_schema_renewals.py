"""renewLoans and renewAllLoans through the schema: rules before the ILS, refusals, shares, lost answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from adapters.errors import IlsUnavailable, OutcomeUnknown
from schema.circulation.mutations.renew_loans import MAX_LOAN_IDS
from schema.context import Viewer
from tests.design_expectations import CAMILLE_RENEWAL_REASONS
from tests.unit.schema_harness import ANONYMOUS, CAMILLE, INES, LEO, NADIA, STAFF, Harness, as_patron, codes

RENEW = """
mutation($ids: [ID!]!) {
  renewLoans(loanIds: $ids) {
    renewedCount
    results { loanId renewed reasons message loan { dueDate renewalsLeft } }
    errors { code message field }
  }
}
"""
# contract/operations/renew-all.graphql, verbatim.
RENEW_ALL = """
mutation RenewAll($patronId: ID) {
  renewAllLoans(patronId: $patronId) {
    renewedCount
    results { loanId renewed reasons message loan { dueDate renewalsLeft } }
    errors { code message }
  }
}
"""
LOANS = "query($id: ID!) { patron(id: $id) { loans { id dueDate item { record { title } } } } }"


async def _loans(harness: Harness, patron_id: str) -> dict[str, dict[str, Any]]:
    data = await harness.data(LOANS, {"id": patron_id}, viewer=STAFF)
    return {loan["item"]["record"]["title"]: loan for loan in data["patron"]["loans"]}


def _results(data: dict[str, Any], key: str = "renewLoans") -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = data[key]["results"]
    return results


async def test_renew_all_renews_what_it_can_and_reports_the_rest() -> None:
    harness = Harness()
    loans = await _loans(harness, CAMILLE)
    data = await harness.data(RENEW_ALL, viewer=as_patron(CAMILLE))
    by_title = {title: loan["id"] for title, loan in loans.items()}
    results = {r["loanId"]: r for r in _results(data, "renewAllLoans")}
    assert data["renewAllLoans"]["renewedCount"] == 2
    assert {
        title: results[loan_id]["reasons"] for title, loan_id in by_title.items()
    } == CAMILLE_RENEWAL_REASONS
    horde = results[by_title["La Horde du Contrevent"]]
    assert horde["renewed"] and horde["message"] is None
    assert horde["loan"] == {"dueDate": str(harness.ils.today + timedelta(days=28)), "renewalsLeft": 1}
    furtifs = results[by_title["Les Furtifs"]]
    assert furtifs["message"] == "Ce document a déjà été prolongé deux fois."
    # The gateway checked the rules first: only the two renewable loans reached the ILS.
    assert harness.ils.calls["renew"] == 2
    assert data["renewAllLoans"]["errors"] == []


async def test_a_renewal_is_read_back_in_the_next_request() -> None:
    harness = Harness()
    horde = (await _loans(harness, CAMILLE))["La Horde du Contrevent"]
    await harness.data(RENEW, {"ids": [horde["id"]]}, viewer=as_patron(CAMILLE))
    again = (await _loans(harness, CAMILLE))["La Horde du Contrevent"]
    assert again["dueDate"] == str(harness.ils.today + timedelta(days=28)) != horde["dueDate"]


async def test_each_loan_is_judged_on_its_own() -> None:
    harness = Harness()
    loans = await _loans(harness, CAMILLE)
    ids = [
        loans["Les Furtifs"]["id"],
        loans["Vernon Subutex 1"]["id"],
        "garbage",
        loans["Chanson douce"]["id"],
    ]
    data = await harness.data(RENEW, {"ids": ids}, viewer=as_patron(CAMILLE))
    payload = data["renewLoans"]
    assert [(r["loanId"], r["renewed"], r["reasons"]) for r in payload["results"]] == [
        (ids[0], False, ["MAX_RENEWALS_REACHED"]),
        (ids[1], True, []),
        ("garbage", False, []),
        (ids[3], False, ["DIGITAL_LOAN"]),
    ]
    assert payload["renewedCount"] == 1
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("LOAN_NOT_FOUND", ["loanIds", "2"])]


async def test_a_parent_renews_a_shared_child_s_loan() -> None:
    harness = Harness()
    adele = (await _loans(harness, LEO))["Mortelle Adèle, tome 1"]
    data = await harness.data(RENEW, {"ids": [adele["id"]]}, viewer=as_patron(CAMILLE))
    assert data["renewLoans"]["renewedCount"] == 1
    all_for_leo = await harness.data(RENEW_ALL, {"patronId": LEO}, viewer=as_patron(CAMILLE))
    assert [r["reasons"] for r in _results(all_for_leo, "renewAllLoans")] == [[], ["OVERDUE"]]


async def test_another_patron_s_loan_looks_unknown_and_never_reaches_the_ils() -> None:
    harness = Harness()
    potter = (await _loans(harness, INES))["Harry Potter à l'école des sorciers"]
    data = await harness.data(RENEW, {"ids": [potter["id"]]}, viewer=as_patron(CAMILLE))
    assert [e["code"] for e in data["renewLoans"]["errors"]] == ["LOAN_NOT_FOUND"]
    assert data["renewLoans"]["results"][0]["loan"] is None
    assert harness.ils.calls["renew"] == 0


@pytest.mark.parametrize(
    ("viewer", "patron_id", "code"),
    [
        (ANONYMOUS, None, "UNAUTHENTICATED"),
        (as_patron(INES), CAMILLE, "FORBIDDEN"),
        (as_patron(LEO), CAMILLE, "FORBIDDEN"),
        (STAFF, None, "BAD_USER_INPUT"),
    ],
)
async def test_renew_all_refuses_who_may_not(viewer: Viewer | None, patron_id: str | None, code: str) -> None:
    harness = Harness()
    result = await harness.run(RENEW_ALL, {"patronId": patron_id}, viewer=viewer)
    assert codes(result) == [code]
    assert harness.ils.calls["renew"] == 0


async def test_anonymous_renew_loans_is_unauthenticated() -> None:
    result = await Harness().run(RENEW, {"ids": ["2900000001:L1"]}, viewer=ANONYMOUS)
    assert codes(result) == ["UNAUTHENTICATED"]


async def test_staff_renews_anyone() -> None:
    data = await Harness().data(RENEW_ALL, {"patronId": INES}, viewer=STAFF)
    assert data["renewAllLoans"]["renewedCount"] == 1


async def test_nadia_is_refused_by_the_gateway_without_an_ils_call() -> None:
    harness = Harness()
    data = await harness.data(RENEW_ALL, viewer=as_patron(NADIA))
    assert _results(data, "renewAllLoans")[0]["reasons"] == ["PATRON_BLOCKED"]
    assert harness.ils.calls["renew"] == 0


async def test_an_ils_refusal_is_ils_refused_with_its_own_message() -> None:
    harness = Harness()
    harness.ils.refuse_next("renew", "Document signalé perdu")
    horde = (await _loans(harness, CAMILLE))["La Horde du Contrevent"]
    data = await harness.data(RENEW, {"ids": [horde["id"]]}, viewer=as_patron(CAMILLE))
    (result,) = _results(data)
    assert (result["renewed"], result["reasons"]) == (False, ["ILS_REFUSED"])
    assert result["message"] == "Le système de la bibliothèque a refusé : Document signalé perdu"


async def test_a_lost_answer_after_the_renewal_is_reported_as_renewed() -> None:
    harness = Harness()
    harness.ils.lose_next_answer("renew")
    horde = (await _loans(harness, CAMILLE))["La Horde du Contrevent"]
    data = await harness.data(RENEW, {"ids": [horde["id"]]}, viewer=as_patron(CAMILLE))
    (result,) = _results(data)
    assert result["renewed"] is True
    assert result["loan"]["renewalsLeft"] == 1
    # One renew, then one re-read of the account to learn what happened (never a second renew).
    assert harness.ils.calls["renew"] == 1


async def test_a_lost_renewal_that_did_not_happen_says_nothing_changed() -> None:
    harness = Harness()
    harness.ils.fail_next("renew", OutcomeUnknown("renew", "connection reset"))
    horde = (await _loans(harness, CAMILLE))["La Horde du Contrevent"]
    data = await harness.data(RENEW, {"ids": [horde["id"]]}, viewer=as_patron(CAMILLE), language="en")
    (result,) = _results(data)
    assert (result["renewed"], result["loan"]["dueDate"]) == (False, horde["dueDate"])
    assert [e["code"] for e in data["renewLoans"]["errors"]] == ["NOT_APPLIED"]
    assert result["message"].startswith("The library system stopped answering")


async def test_an_unreachable_ils_fails_that_loan_alone() -> None:
    harness = Harness()
    harness.ils.fail_next("renew", IlsUnavailable("sip2", "pool exhausted"))
    loans = await _loans(harness, CAMILLE)
    ids = [loans["La Horde du Contrevent"]["id"], loans["Vernon Subutex 1"]["id"]]
    data = await harness.data(RENEW, {"ids": ids}, viewer=as_patron(CAMILLE))
    assert sorted(r["renewed"] for r in _results(data)) == [False, True]
    assert [e["code"] for e in data["renewLoans"]["errors"]] == ["NOT_APPLIED"]


async def test_a_loan_named_twice_is_renewed_once_and_counted_once() -> None:
    harness = Harness()
    horde = (await _loans(harness, CAMILLE))["La Horde du Contrevent"]
    data = await harness.data(RENEW, {"ids": [horde["id"], horde["id"]]}, viewer=as_patron(CAMILLE))
    payload = data["renewLoans"]
    assert [r["loanId"] for r in payload["results"]] == [horde["id"], horde["id"]]
    assert payload["renewedCount"] == 1
    assert harness.ils.calls["renew"] == 1
    assert payload["results"][0]["loan"]["renewalsLeft"] == 1


async def test_an_empty_list_renews_nothing() -> None:
    harness = Harness()
    data = await harness.data(RENEW, {"ids": []}, viewer=as_patron(CAMILLE))
    assert data["renewLoans"] == {"renewedCount": 0, "results": [], "errors": []}
    assert not harness.ils.calls


async def test_too_many_loan_ids_are_refused_as_a_whole_before_any_look_up() -> None:
    harness = Harness()
    horde = (await _loans(harness, CAMILLE))["La Horde du Contrevent"]
    harness.ils.reset_counts()
    ids = [horde["id"]] + [f"{CAMILLE}:L{n}" for n in range(10_000)]
    data = await harness.data(RENEW, {"ids": ids}, viewer=as_patron(CAMILLE), language="en")
    payload = data["renewLoans"]
    assert (payload["renewedCount"], payload["results"]) == (0, [])
    assert payload["errors"] == [
        {
            "code": "TOO_MANY_LOAN_IDS",
            "message": "Too many loans in one request: 200 at most.",
            "field": ["loanIds"],
        }
    ]
    assert not harness.ils.calls
    # Up to the limit, each id is judged as usual.
    at_limit = await harness.data(RENEW, {"ids": ids[:MAX_LOAN_IDS]}, viewer=as_patron(CAMILLE))
    assert at_limit["renewLoans"]["renewedCount"] == 1
