"""Renewals through the mutations, over HTTP against the emulator: each rule's yes and no, the ILS's own
refusals, and lost answers (the emulator drops the connection around the write).

The ILS is the judge of what happened: due dates are read back in a later request and
SIP2 29 (renew) is counted by the emulator's admin API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from emulator import db
from emulator.runner import RunningEmulator
from emulator.seed import DEMO_TODAY
from tests.design_expectations import CAMILLE_RENEWAL_REASONS
from tests.e2e.conftest import bearer, graphql, sip2_count, soap_count

CAMILLE, LEO, INES, NADIA = "2900000001", "2900000002", "2900000003", "2900000006"

LOANS = """
query Loans($id: ID!) {
  patron(id: $id) {
    loans { id dueDate renewalCount renewability { renewable reasons } item { record { id title } } }
  }
}
"""
RESULT = "loanId renewed reasons message loan { dueDate renewalCount renewalsLeft }"
RENEW = f"""
mutation Renew($ids: [ID!]!) {{
  renewLoans(loanIds: $ids) {{ renewedCount results {{ {RESULT} }} errors {{ code message field }} }}
}}
"""
RENEW_ALL = f"""
mutation RenewAll($patron: ID) {{
  renewAllLoans(patronId: $patron) {{ renewedCount results {{ {RESULT} }} errors {{ code message field }} }}
}}
"""


def day(offset: int) -> str:
    return (DEMO_TODAY + timedelta(days=offset)).isoformat()


async def loans_of(
    client: httpx.AsyncClient, card: str, headers: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """The account's loans as the gateway reads them now, keyed by record title."""
    body = await graphql(client, LOANS, {"id": card}, headers)
    assert "errors" not in body, body
    return {loan["item"]["record"]["title"]: loan for loan in body["data"]["patron"]["loans"]}


async def renew(client: httpx.AsyncClient, ids: list[str], headers: dict[str, str]) -> dict[str, Any]:
    body = await graphql(client, RENEW, {"ids": ids}, headers)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["renewLoans"]
    return payload


def ils_due_date(emulator: RunningEmulator, item_title: str) -> tuple[str, int]:
    """Due date and renewal count of the loan of this title, straight from the ILS's database."""
    connection = db.connect(emulator.db_path)
    try:
        row = connection.execute(
            "SELECT loans.due_date, loans.renewal_count FROM loans JOIN items ON items.id = loans.item_id"
            " JOIN titles ON titles.id = items.title_id WHERE titles.title = ?",
            (item_title,),
        ).fetchone()
    finally:
        connection.close()
    return str(row[0]), int(row[1])


async def test_each_loan_is_judged_on_its_own_and_only_renewable_ones_reach_the_ils(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    loans = await loans_of(demo_gateway, CAMILLE, headers)
    before = await sip2_count(ils, "29")

    payload = await renew(demo_gateway, [loan["id"] for loan in loans.values()], headers)

    results = {title: payload["results"][n] for n, title in enumerate(loans)}
    assert {title: (r["renewed"], r["reasons"]) for title, r in results.items()} == {
        "La Horde du Contrevent": (True, []),
        "Les Furtifs": (False, ["MAX_RENEWALS_REACHED"]),
        "Astérix le Gaulois": (False, ["ONE_WEEK_LOAN"]),
        "Le Bureau des légendes, saison 1": (False, ["OVERDUE"]),
        "L'Anomalie": (False, ["RESERVED_BY_ANOTHER_PATRON"]),
        "Chanson douce": (False, ["DIGITAL_LOAN"]),
        "Vernon Subutex 1": (True, []),
    }
    assert (payload["renewedCount"], payload["errors"]) == (2, [])
    assert all(r["message"] for r in results.values() if not r["renewed"])  # a reason in words
    # New due date: 28 days from the old one (the loan was not overdue).
    assert results["La Horde du Contrevent"]["loan"] == {
        "dueDate": day(38),
        "renewalCount": 1,
        "renewalsLeft": 1,
    }
    assert results["Vernon Subutex 1"]["loan"] == {"dueDate": day(30), "renewalCount": 2, "renewalsLeft": 0}
    assert await sip2_count(ils, "29") == before + 2  # the refused ones never cost a round trip


async def test_a_renewal_changes_the_due_date_in_the_ils(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    horde = (await loans_of(demo_gateway, CAMILLE, headers))["La Horde du Contrevent"]

    assert (await renew(demo_gateway, [horde["id"]], headers))["renewedCount"] == 1

    assert ils_due_date(ils, "La Horde du Contrevent") == (day(38), 1)
    again = (await loans_of(demo_gateway, CAMILLE, headers))["La Horde du Contrevent"]  # a second request
    assert (again["dueDate"], again["renewalCount"], again["renewability"]["renewable"]) == (day(38), 1, True)


@pytest.mark.parametrize("mutation", ["renewLoans", "renewAllLoans"])
async def test_a_renewal_reads_the_account_once_before_and_never_after(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator, mutation: str
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    loans = await loans_of(demo_gateway, CAMILLE, headers)
    accounts_before, renews_before = await soap_count(ils, "lookupAccounts"), await sip2_count(ils, "29")

    if mutation == "renewLoans":
        payload = await renew(demo_gateway, [loan["id"] for loan in loans.values()], headers)
    else:
        body = await graphql(demo_gateway, RENEW_ALL, {}, headers)
        payload = body["data"]["renewAllLoans"]

    assert payload["renewedCount"] == 2
    # The rules need the account; the new due dates come with the ILS's answers (SIP2 30, AH).
    assert await soap_count(ils, "lookupAccounts") == accounts_before + 1
    assert await sip2_count(ils, "29") == renews_before + 2
    renewed = {r["loan"]["dueDate"] for r in payload["results"] if r["renewed"]}
    assert renewed == {day(38), day(30)}


async def test_the_third_renewal_is_refused_for_the_limit(demo_gateway: httpx.AsyncClient) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    vernon = (await loans_of(demo_gateway, CAMILLE, headers))["Vernon Subutex 1"]  # renewed once already

    first = await renew(demo_gateway, [vernon["id"]], headers)
    second = await renew(demo_gateway, [vernon["id"]], headers)

    assert first["results"][0]["renewed"] is True
    assert (second["results"][0]["renewed"], second["results"][0]["reasons"]) == (
        False,
        ["MAX_RENEWALS_REACHED"],
    )


async def test_renew_all_renews_what_it_can_and_reports_the_rest(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    titles = {loan["id"]: title for title, loan in (await loans_of(demo_gateway, CAMILLE, headers)).items()}

    body = await graphql(demo_gateway, RENEW_ALL, {}, headers)

    assert "errors" not in body, body
    payload = body["data"]["renewAllLoans"]
    assert payload["renewedCount"] == 2
    outcome = {titles[r["loanId"]]: r["reasons"] for r in payload["results"]}
    assert outcome == CAMILLE_RENEWAL_REASONS
    assert ils_due_date(ils, "La Horde du Contrevent") == (day(38), 1)
    assert ils_due_date(ils, "Vernon Subutex 1") == (day(30), 2)
    assert ils_due_date(ils, "Les Furtifs") == (day(5), 2)


async def test_camille_renews_leos_loans_through_the_share(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    leo = await loans_of(demo_gateway, LEO, headers)

    single = await renew(demo_gateway, [leo["Mortelle Adèle, tome 1"]["id"]], headers)

    assert single["results"][0]["renewed"] is True
    assert ils_due_date(ils, "Mortelle Adèle, tome 1") == (day(36), 1)

    body = await graphql(demo_gateway, RENEW_ALL, {"patron": LEO}, headers)

    results = {r["loanId"]: r for r in body["data"]["renewAllLoans"]["results"]}
    assert results[leo["Le Petit Nicolas"]["id"]]["reasons"] == ["OVERDUE"]
    assert results[leo["Mortelle Adèle, tome 1"]["id"]]["renewed"] is True
    assert ils_due_date(ils, "Mortelle Adèle, tome 1") == (day(64), 2)


async def test_a_blocked_patron_cannot_renew_and_the_ils_is_not_asked(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, NADIA)
    (loan,) = (await loans_of(demo_gateway, NADIA, headers)).values()
    before = await sip2_count(ils, "29")

    payload = await renew(demo_gateway, [loan["id"]], headers)

    assert (payload["results"][0]["renewed"], payload["results"][0]["reasons"]) == (False, ["PATRON_BLOCKED"])
    assert "bloqué" in payload["results"][0]["message"]
    assert await sip2_count(ils, "29") == before
    assert ils_due_date(ils, "La Vie devant soi") == (day(7), 0)


async def test_a_refusal_of_the_ils_itself_comes_back_as_ils_refused_with_its_message(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Between the gateway's check and the ILS's write, another reader reserves the title:
    # the emulator applies the change just before it handles the renew (its latency hook).
    headers = await bearer(demo_gateway, CAMILLE)
    vernon = (await loans_of(demo_gateway, CAMILLE, headers))["Vernon Subutex 1"]
    monkeypatch.setattr(ils.faults, "sip2_delay", _reserve_first(ils, INES, vernon["item"]["record"]["id"]))

    payload = await renew(demo_gateway, [vernon["id"]], headers)

    (result,) = payload["results"]
    assert (result["renewed"], result["reasons"]) == (False, ["ILS_REFUSED"])
    assert result["message"] == (
        "Le système de la bibliothèque a refusé : "
        "Document réservé par un autre lecteur : prolongation impossible."
    )
    assert result["loan"]["dueDate"] == day(2)
    assert ils_due_date(ils, "Vernon Subutex 1") == (day(2), 1)


def _reserve_first(emulator: RunningEmulator, patron_id: str, title_id: str) -> Callable[[], Awaitable[None]]:
    """A replacement for the emulator's SIP2 delay that first queues a hold by `patron_id` (once)."""
    done: list[bool] = []

    async def reserve() -> None:
        if done:
            return
        done.append(True)
        connection = db.connect(emulator.db_path)
        try:
            connection.execute(
                "INSERT INTO holds (patron_id, title_id, status, pickup_library, placed_at)"
                " VALUES (?, ?, 'WAITING', 'DURAS', ?)",
                (patron_id, title_id, f"{DEMO_TODAY.isoformat()}T08:00:00"),
            )
        finally:
            connection.close()

    return reserve


async def _set_faults(emulator: RunningEmulator, **faults: float) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emulator.admin_url}/faults", json=faults)
    assert response.status_code == 200, response.text


async def test_a_lost_answer_after_the_write_is_reported_as_renewed(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    horde = (await loans_of(demo_gateway, CAMILLE, headers))["La Horde du Contrevent"]
    before = await sip2_count(ils, "29")
    await _set_faults(ils, drop_after_write=1.0)

    payload = await renew(demo_gateway, [horde["id"]], headers)

    await _set_faults(ils, drop_after_write=0.0)
    (result,) = payload["results"]
    assert (result["renewed"], result["reasons"], payload["errors"]) == (True, [], [])
    assert result["loan"]["dueDate"] == day(38)
    assert ils_due_date(ils, "La Horde du Contrevent") == (day(38), 1)
    assert await sip2_count(ils, "29") == before + 1  # learned by reading again, never by renewing again


async def test_a_lost_connection_before_the_write_is_reported_as_not_renewed(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    horde = (await loans_of(demo_gateway, CAMILLE, headers))["La Horde du Contrevent"]
    await _set_faults(ils, drop_before_write=1.0)

    payload = await renew(demo_gateway, [horde["id"]], headers)

    await _set_faults(ils, drop_before_write=0.0)
    (result,) = payload["results"]
    assert result["renewed"] is False
    assert result["loan"]["dueDate"] == day(10)
    assert [error["code"] for error in payload["errors"]] == ["NOT_APPLIED"]
    assert ils_due_date(ils, "La Horde du Contrevent") == (day(10), 0)
    # The next attempt, with the ILS answering again, goes through.
    assert (await renew(demo_gateway, [horde["id"]], headers))["renewedCount"] == 1


async def test_an_anonymous_renewal_is_unauthenticated(demo_gateway: httpx.AsyncClient) -> None:
    body = await graphql(demo_gateway, RENEW, {"ids": [f"{CAMILLE}:1"]})

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
