"""The authorization matrix of a shared account over real sockets: every Patron field, through
`patron(id)` and `_entities`, and every mutation that names another account, for the owner (Léo),
the viewer with each scope (Camille, VIEW_AND_RENEW as in the demo, then VIEW), a stranger (Inès),
anonymous, and staff.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from emulator.runner import RunningEmulator
from tests.e2e.conftest import Clock
from tests.e2e.sharing_served import ServedSharing, served_sharing

CAMILLE, LEO, INES, HUGO = "2900000001", "2900000002", "2900000003", "2900000004"
STAFF = {"Authorization": "Bearer staff:staff-token-1"}

# What a share shows: circulation. Everything else is the owner's (and staff's).
CIRCULATION = {
    "firstName": "firstName",
    "lastName": "lastName",
    "displayName": "displayName",
    "homeLibrary": "homeLibrary { code }",
    "blocks": "blocks",
    "loans": "loans { id }",
    "holds": "holds { id }",
    "loanCount": "loanCount",
    "overdueCount": "overdueCount",
    "holdCount": "holdCount",
    "accountSummary": "accountSummary(format: CSV) { filename }",
}
PERSONAL = {
    "email": "email",
    "phone": "phone",
    "mobile": "mobile",
    "cardExpiresOn": "cardExpiresOn",
    "baskets": "baskets { id }",
    "savedSearches": "savedSearches { id }",
    "searchPreferences": "searchPreferences { scope { documentTypes } }",
    "newArrivalsSubscriptions": "newArrivalsSubscriptions { id }",
    "sharedAccounts": "sharedAccounts { id }",
    "sharedWith": "sharedWith { id }",
    "incomingShareRequests": "incomingShareRequests { id }",
    "receivedShareRequests": "receivedShareRequests { id }",
    "sentShareRequests": "sentShareRequests { id }",
}
FIELDS = {**CIRCULATION, **PERSONAL}
PATRON = "query P($id: ID!) {{ patron(id: $id) {{ id {} }} }}"
ENTITY = """
query E($id: ID!) {{ _entities(representations: [{{__typename: "Patron", id: $id}}]) {{
  ... on Patron {{ id {} }} }} }}
"""
ACTORS = ["owner", "viewer-view-and-renew", "viewer-view", "stranger", "anonymous", "staff"]
# Which fields each actor gets (None: the whole patron is refused).
SEES: dict[str, set[str] | None] = {
    "owner": set(CIRCULATION) | set(PERSONAL),
    "viewer-view-and-renew": set(CIRCULATION),
    "viewer-view": set(CIRCULATION),
    "stranger": None,
    "anonymous": None,
    "staff": set(CIRCULATION) | set(PERSONAL),
}


@pytest.fixture
async def served(ils: RunningEmulator, tmp_path: Path, clock: Clock) -> AsyncIterator[ServedSharing]:
    async with served_sharing(ils, tmp_path, clock) as running:
        yield running


async def _share_id(served: ServedSharing) -> str:
    body = await served.graphql("query { me { sharedAccounts { id } } }", None, await served.bearer(CAMILLE))
    (share,) = body["data"]["me"]["sharedAccounts"]
    share_id: str = share["id"]
    return share_id


async def _headers(served: ServedSharing, actor: str) -> dict[str, str] | None:
    if actor == "viewer-view":
        body = await served.graphql(UPDATE, {"id": await _share_id(served)}, await served.bearer(LEO))
        assert body["data"]["updateAccountShare"]["errors"] == []
    cards = {"owner": LEO, "viewer-view-and-renew": CAMILLE, "viewer-view": CAMILLE, "stranger": INES}
    if actor in cards:
        return await served.bearer(cards[actor])
    return STAFF if actor == "staff" else None


def _patron(body: dict[str, Any]) -> dict[str, Any] | None:
    data = body.get("data") or {}
    found: dict[str, Any] | None = data["_entities"][0] if "_entities" in data else data.get("patron")
    return found


@pytest.mark.parametrize("document", [PATRON, ENTITY], ids=["patron", "_entities"])
@pytest.mark.parametrize("actor", ACTORS)
async def test_every_patron_field_for_every_actor(served: ServedSharing, actor: str, document: str) -> None:
    """One document per field (a refused non-null field would null the whole patron)."""
    headers = await _headers(served, actor)
    seen: set[str] = set()
    refusals: set[str] = set()
    for name, selection in FIELDS.items():
        body = await served.graphql(document.format(selection), {"id": LEO}, headers)
        patron = _patron(body)
        codes = [e["extensions"]["code"] for e in body.get("errors", [])]
        if not codes:
            assert patron is not None and patron["id"] == LEO and name in patron, (name, body)
            seen.add(name)
        else:
            assert codes == ["FORBIDDEN"], (name, body)
            refusals.add(name)

    expected = SEES[actor]
    assert seen == (expected or set())
    assert refusals == set(FIELDS) - (expected or set())


async def test_what_a_share_shows_is_the_owner_s_data(served: ServedSharing) -> None:
    body = await served.graphql(
        PATRON.format("displayName loans { id }"), {"id": LEO}, await served.bearer(CAMILLE)
    )
    patron = _patron(body)
    assert patron is not None and patron["displayName"] == "Léo Martin" and len(patron["loans"]) == 2


RENEW = "mutation R($ids: [ID!]!) { renewLoans(loanIds: $ids) { renewedCount errors { code } } }"
RENEW_ALL = "mutation A($id: ID) { renewAllLoans(patronId: $id) { renewedCount } }"
UPDATE = "mutation U($id: ID!) { updateAccountShare(sharedAccountId: $id, scope: VIEW) { errors { code } } }"
REVOKE = "mutation V($id: ID!) { revokeAccountShare(sharedAccountId: $id) { deleted errors { code } } }"
ACCEPT = "mutation C($id: ID!) { acceptAccountShare(requestId: $id) { errors { code } } }"
DECLINE = "mutation D($id: ID!) { declineAccountShare(requestId: $id) { deleted errors { code } } }"
ASK = "mutation Q($c: String!) { requestAccountShare(cardNumber: $c) { errors { code } } }"

# actor -> (renewLoans, renewAllLoans, updateAccountShare, accept/decline a request to Léo, revoke)
MUTATIONS: dict[str, tuple[str, str, str, str, str]] = {
    "owner": ("renewed", "renewed", "ok", "ok", "ok"),
    "viewer-view-and-renew": ("renewed", "renewed", "SHARE_NOT_FOUND", "SHARE_REQUEST_NOT_FOUND", "ok"),
    "viewer-view": ("LOAN_NOT_FOUND", "FORBIDDEN", "SHARE_NOT_FOUND", "SHARE_REQUEST_NOT_FOUND", "ok"),
    "stranger": (
        "LOAN_NOT_FOUND",
        "FORBIDDEN",
        "SHARE_NOT_FOUND",
        "SHARE_REQUEST_NOT_FOUND",
        "SHARE_NOT_FOUND",
    ),
    "anonymous": (
        "UNAUTHENTICATED",
        "UNAUTHENTICATED",
        "UNAUTHENTICATED",
        "UNAUTHENTICATED",
        "UNAUTHENTICATED",
    ),
    "staff": ("renewed", "renewed", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
}


def _outcome(body: dict[str, Any], name: str) -> str:
    if body.get("errors"):
        code: str = body["errors"][0]["extensions"]["code"]
        return code
    payload = body["data"][name]
    if payload.get("errors"):
        error: str = payload["errors"][0]["code"]
        return error
    if "renewedCount" in payload:
        return "renewed" if payload["renewedCount"] >= 1 else "none"
    return "ok"


@pytest.mark.parametrize("actor", ACTORS)
async def test_every_mutation_on_the_shared_account_for_every_actor(
    served: ServedSharing, actor: str
) -> None:
    share_id = await _share_id(served)
    await served.graphql(ASK, {"c": LEO}, await served.bearer(HUGO))
    requests = await served.graphql(
        "query { me { incomingShareRequests { id } } }", None, await served.bearer(LEO)
    )
    (request,) = requests["data"]["me"]["incomingShareRequests"]
    loans = await served.graphql(
        "query P($id: ID!) { patron(id: $id) { loans { id renewability { renewable } } } }",
        {"id": LEO},
        STAFF,
    )
    renewable = next(
        loan["id"] for loan in loans["data"]["patron"]["loans"] if loan["renewability"]["renewable"]
    )
    headers = await _headers(served, actor)
    renew_one, renew_all, update, answer, revoke = MUTATIONS[actor]

    assert _outcome(await served.graphql(RENEW, {"ids": [renewable]}, headers), "renewLoans") == renew_one
    # 0 renewals in the demo: renewed once above, once more here.
    assert _outcome(await served.graphql(RENEW_ALL, {"id": LEO}, headers), "renewAllLoans") == renew_all
    assert _outcome(await served.graphql(UPDATE, {"id": share_id}, headers), "updateAccountShare") == update
    assert (
        _outcome(await served.graphql(ACCEPT, {"id": request["id"]}, headers), "acceptAccountShare") == answer
    )
    if answer != "ok":
        assert (
            _outcome(await served.graphql(DECLINE, {"id": request["id"]}, headers), "declineAccountShare")
            == answer
        )
    assert _outcome(await served.graphql(REVOKE, {"id": share_id}, headers), "revokeAccountShare") == revoke
