"""Ending and narrowing shares over real sockets: revocation within one request (every open session,
download links issued before), a VIEW share cannot renew, an expired share is gone and recorded.

The demo's share: Camille (viewer) sees Léo (owner), VIEW_AND_RENEW.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator.runner import RunningEmulator
from tests.e2e.conftest import Clock, sip2_count
from tests.e2e.sharing_served import ServedSharing, served_sharing

CAMILLE, LEO = "2900000001", "2900000002"

SHARED = "query { me { sharedAccounts { id scope expiresAt owner { id } } } }"
LOANS = "query P($id: ID!) { patron(id: $id) { loans { id renewability { renewable } } } }"
REVOKE = "mutation V($id: ID!) { revokeAccountShare(sharedAccountId: $id) { deleted errors { code } } }"
UPDATE = """
mutation U($id: ID!, $scope: ShareScope, $endsOn: Date) {
  updateAccountShare(sharedAccountId: $id, scope: $scope, endsOn: $endsOn) {
    sharedAccount { scope expiresAt } errors { code field }
  }
}
"""
SUMMARY = """
query S($ids: [ID!]) { me { accountSummary(format: CSV, accountIds: $ids) { url } } }
"""
HISTORY = "query { me { sharedWith { id } receivedShareRequests { id } } }"


@pytest.fixture
async def served(ils: RunningEmulator, tmp_path: Path, clock: Clock) -> AsyncIterator[ServedSharing]:
    async with served_sharing(ils, tmp_path, clock) as running:
        yield running


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def _share_id(served: ServedSharing, camille: dict[str, str]) -> str:
    (share,) = (await served.graphql(SHARED, None, camille))["data"]["me"]["sharedAccounts"]
    assert share["owner"]["id"] == LEO and share["scope"] == "VIEW_AND_RENEW"  # the demo's share
    share_id: str = share["id"]
    return share_id


@pytest.mark.parametrize("side", ["owner", "viewer"])
async def test_a_revocation_ends_access_at_the_next_request_of_every_session(
    served: ServedSharing, side: str
) -> None:
    sessions = [await served.bearer(CAMILLE), await served.bearer(CAMILLE)]
    share_id = await _share_id(served, sessions[0])
    link = (await served.graphql(SUMMARY, {"ids": [CAMILLE, LEO]}, sessions[1]))["data"]["me"]
    async with served.client() as browser:
        assert (await browser.get(link["accountSummary"]["url"])).status_code == 200
    for session in sessions:
        assert codes(await served.graphql(LOANS, {"id": LEO}, session)) == []

    revoker = await served.bearer(LEO) if side == "owner" else sessions[0]
    answer = await served.graphql(REVOKE, {"id": share_id}, revoker)

    assert answer["data"]["revokeAccountShare"] == {"deleted": True, "errors": []}
    for session in sessions:
        assert codes(await served.graphql(LOANS, {"id": LEO}, session)) == ["FORBIDDEN"]
        assert (await served.graphql(SHARED, None, session))["data"]["me"]["sharedAccounts"] == []
    async with served.client() as browser:
        assert (await browser.get(link["accountSummary"]["url"])).status_code == 403
    again = await served.graphql(REVOKE, {"id": share_id}, revoker)
    assert again["data"]["revokeAccountShare"] == {"deleted": False, "errors": [{"code": "SHARE_NOT_FOUND"}]}


async def test_nobody_else_revokes_or_changes_a_share(served: ServedSharing) -> None:
    share_id = await _share_id(served, await served.bearer(CAMILLE))
    for card in ("2900000003", "2900000004"):
        other = await served.bearer(card)
        revoked = await served.graphql(REVOKE, {"id": share_id}, other)
        assert revoked["data"]["revokeAccountShare"]["errors"] == [{"code": "SHARE_NOT_FOUND"}]
        changed = await served.graphql(UPDATE, {"id": share_id, "scope": "VIEW"}, other)
        assert changed["data"]["updateAccountShare"]["errors"] == [
            {"code": "SHARE_NOT_FOUND", "field": ["sharedAccountId"]}
        ]
    # The viewer may end it, but never widen or narrow it: that is the owner's choice.
    by_viewer = await served.graphql(UPDATE, {"id": share_id, "scope": "VIEW"}, await served.bearer(CAMILLE))
    assert by_viewer["data"]["updateAccountShare"]["errors"][0]["code"] == "SHARE_NOT_FOUND"
    assert codes(await served.graphql(LOANS, {"id": LEO}, await served.bearer(CAMILLE))) == []


async def test_a_view_share_shows_the_loans_but_cannot_renew(
    served: ServedSharing, ils: RunningEmulator
) -> None:
    camille, leo = await served.bearer(CAMILLE), await served.bearer(LEO)
    share_id = await _share_id(served, camille)
    narrowed = await served.graphql(UPDATE, {"id": share_id, "scope": "VIEW"}, leo)
    assert narrowed["data"]["updateAccountShare"] == {
        "sharedAccount": {"scope": "VIEW", "expiresAt": None},
        "errors": [],
    }

    loans = (await served.graphql(LOANS, {"id": LEO}, camille))["data"]["patron"]["loans"]
    renewable = next(loan["id"] for loan in loans if loan["renewability"]["renewable"])
    renew = "mutation R($ids: [ID!]!) { renewLoans(loanIds: $ids) { renewedCount errors { code } } }"
    renew_all = "mutation A($id: ID) { renewAllLoans(patronId: $id) { renewedCount } }"
    one = await served.graphql(renew, {"ids": [renewable]}, camille)
    every = await served.graphql(renew_all, {"id": LEO}, camille)

    assert len(loans) == 2
    assert one["data"]["renewLoans"] == {"renewedCount": 0, "errors": [{"code": "LOAN_NOT_FOUND"}]}
    assert codes(every) == ["FORBIDDEN"]
    assert await sip2_count(ils, "29") == 0 and await sip2_count(ils, "65") == 0

    widened = await served.graphql(UPDATE, {"id": share_id, "scope": "VIEW_AND_RENEW"}, leo)
    assert widened["data"]["updateAccountShare"]["errors"] == []
    renewed = await served.graphql(renew, {"ids": [renewable]}, camille)
    assert renewed["data"]["renewLoans"]["renewedCount"] == 1


async def test_an_expired_share_is_gone_and_recorded_as_expired(served: ServedSharing) -> None:
    camille, leo = await served.bearer(CAMILLE), await served.bearer(LEO)
    share_id = await _share_id(served, camille)
    past = await served.graphql(UPDATE, {"id": share_id, "endsOn": "2026-12-01"}, leo)
    assert past["data"]["updateAccountShare"]["errors"] == [
        {"code": "SHARE_END_IN_PAST", "field": ["endsOn"]}
    ]
    ending = await served.graphql(UPDATE, {"id": share_id, "endsOn": "2026-12-03"}, leo)
    expires_at = ending["data"]["updateAccountShare"]["sharedAccount"]["expiresAt"]
    assert expires_at.startswith("2026-12-03T00:00:00")
    assert codes(await served.graphql(LOANS, {"id": LEO}, camille)) == []

    served.clock.advance(timedelta(days=2))
    camille, leo = await served.bearer(CAMILLE), await served.bearer(LEO)

    assert codes(await served.graphql(LOANS, {"id": LEO}, camille)) == ["FORBIDDEN"]
    assert (await served.graphql(SHARED, None, camille))["data"]["me"]["sharedAccounts"] == []
    assert (await served.graphql(HISTORY, None, leo))["data"]["me"]["sharedWith"] == []
    # Ended as if revoked: the owner may end the end (no share left to change).
    gone = await served.graphql(UPDATE, {"id": share_id, "endsOn": None}, leo)
    assert gone["data"]["updateAccountShare"]["errors"][0]["code"] == "SHARE_NOT_FOUND"


async def test_the_download_route_follows_a_scope_narrowed_to_nothing_else(
    served: ServedSharing,
) -> None:
    """A summary link of a shared account stays good while the share shows loans (VIEW too)."""
    camille, leo = await served.bearer(CAMILLE), await served.bearer(LEO)
    share_id = await _share_id(served, camille)
    url = (await served.graphql(SUMMARY, {"ids": [LEO]}, camille))["data"]["me"]["accountSummary"]["url"]
    await served.graphql(UPDATE, {"id": share_id, "scope": "VIEW"}, leo)
    async with httpx.AsyncClient() as browser:
        assert (await browser.get(url)).status_code == 200
