"""The authorization matrix over HTTP: who may read or act on which account, through Query.patron,
federation entity references (`_entities`) and the circulation mutations.

The viewer may see themself, an account shared with them (accepted share: Camille sees Léo),
or anyone when staff. Anything else is FORBIDDEN, answered before the ILS is asked.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from emulator.runner import RunningEmulator
from tests.e2e.conftest import bearer, graphql, sip2_count, soap_count

CAMILLE, LEO, INES, HUGO, LUCIE, NADIA = (f"290000000{n}" for n in range(1, 7))
STAFF = {"Authorization": "Bearer staff:staff-token-1"}

PATRON = "query Patron($id: ID!) { patron(id: $id) { id displayName loans { id dueDate } holds { id } } }"
ENTITY = """
query Entity($id: ID!) {
  _entities(representations: [{__typename: "Patron", id: $id}]) {
    ... on Patron { id displayName loans { id dueDate } holds { id } }
  }
}
"""
DOCUMENTS = pytest.mark.parametrize("document", [PATRON, ENTITY], ids=["patron", "_entities"])


def the_patron(body: dict[str, Any]) -> dict[str, Any] | None:
    data: dict[str, Any] = body["data"] or {}
    patron: dict[str, Any] | None
    (patron,) = data["_entities"] if "_entities" in data else [data.get("patron")]
    return patron


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@DOCUMENTS
@pytest.mark.parametrize(
    ("viewer", "target"),
    [(CAMILLE, INES), (LEO, CAMILLE), (INES, LEO), (HUGO, LUCIE), (None, CAMILLE)],
    ids=["camille->ines", "leo->camille", "ines->leo", "hugo->lucie", "anonymous->camille"],
)
async def test_anything_but_self_share_or_staff_is_forbidden(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator, document: str, viewer: str | None, target: str
) -> None:
    headers = await bearer(demo_gateway, viewer) if viewer else None
    reads = await soap_count(ils, "lookupAccounts")

    body = await graphql(demo_gateway, document, {"id": target}, headers)

    assert the_patron(body) is None
    assert codes(body) == ["FORBIDDEN"]
    assert await soap_count(ils, "lookupAccounts") == reads  # refused before the ILS is asked


@DOCUMENTS
async def test_camille_sees_leo_and_herself(demo_gateway: httpx.AsyncClient, document: str) -> None:
    headers = await bearer(demo_gateway, CAMILLE)

    leo = await graphql(demo_gateway, document, {"id": LEO}, headers)
    herself = await graphql(demo_gateway, document, {"id": CAMILLE}, headers)

    assert codes(leo) == codes(herself) == []
    assert (the_patron(leo) or {}).get("displayName") == "Léo Martin"
    assert len((the_patron(leo) or {})["loans"]) == 2
    assert len((the_patron(herself) or {})["loans"]) == 7


async def test_a_share_shows_loans_but_not_contact_details(demo_gateway: httpx.AsyncClient) -> None:
    headers = await bearer(demo_gateway, CAMILLE)

    body = await graphql(
        demo_gateway, 'query { patron(id: "2900000002") { displayName email } }', None, headers
    )

    assert body["data"]["patron"] == {"displayName": "Léo Martin", "email": None}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["patron", "email"], "FORBIDDEN")
    ]


@DOCUMENTS
@pytest.mark.parametrize("target", [CAMILLE, LEO, INES, HUGO, LUCIE, NADIA])
async def test_staff_see_anyone(demo_gateway: httpx.AsyncClient, document: str, target: str) -> None:
    body = await graphql(demo_gateway, document, {"id": target}, STAFF)

    assert codes(body) == []
    assert (the_patron(body) or {}).get("id") == target


async def test_nobody_renews_someone_elses_loan(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    ines_loans = (await graphql(demo_gateway, PATRON, {"id": INES}, STAFF))["data"]["patron"]["loans"]
    camille_loans = (await graphql(demo_gateway, PATRON, {"id": CAMILLE}, STAFF))["data"]["patron"]["loans"]
    renew = """
    mutation R($ids: [ID!]!) {
      renewLoans(loanIds: $ids) { renewedCount results { renewed } errors { code } }
    }
    """
    attempts = [(CAMILLE, ines_loans[0]["id"]), (LEO, camille_loans[0]["id"]), (NADIA, ines_loans[0]["id"])]
    for viewer, loan_id in attempts:
        body = await graphql(demo_gateway, renew, {"ids": [loan_id]}, await bearer(demo_gateway, viewer))
        # Reported exactly like an unknown loan, so that ids cannot probe other accounts.
        assert body["data"]["renewLoans"] == {
            "renewedCount": 0,
            "results": [{"renewed": False}],
            "errors": [{"code": "LOAN_NOT_FOUND"}],
        }, viewer
    renew_all = "mutation A($id: ID) { renewAllLoans(patronId: $id) { renewedCount } }"
    body = await graphql(demo_gateway, renew_all, {"id": INES}, await bearer(demo_gateway, CAMILLE))
    assert codes(body) == ["FORBIDDEN"]
    assert await sip2_count(ils, "29") == 0
    after = (await graphql(demo_gateway, PATRON, {"id": INES}, STAFF))["data"]["patron"]["loans"]
    assert after == ines_loans


async def test_a_share_does_not_allow_cancelling_and_strangers_cannot_either(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    (hugo_hold, *_) = (await graphql(demo_gateway, PATRON, {"id": HUGO}, STAFF))["data"]["patron"]["holds"]
    cancel = "mutation C($id: ID!) { cancelHold(holdId: $id) { cancelled } }"

    body = await graphql(demo_gateway, cancel, {"id": hugo_hold["id"]}, await bearer(demo_gateway, LUCIE))

    assert codes(body) == ["FORBIDDEN"]
    assert await sip2_count(ils, "15") == 0
