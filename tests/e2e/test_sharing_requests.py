"""Share requests over real sockets (served gateway, emulator): asked by card, answered in the account.

Léo has no e-mail: a request for his account waits among his incoming requests and he
accepts it signed in. Refusals by the rules come back as UserErrors, and an unknown card
gets exactly the answer a real one gets.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from emulator.runner import RunningEmulator
from tests.e2e.conftest import Clock
from tests.e2e.sharing_served import ServedSharing, served_sharing

CAMILLE, LEO, INES, HUGO, LUCIE, NADIA = (f"290000000{n}" for n in range(1, 7))

REQUEST = """
mutation R($card: String!) {
  requestAccountShare(cardNumber: $card) {
    request { cardNumber status delivery createdAt expiresAt requester { id } }
    errors { code message field }
  }
}
"""
INCOMING = """
query { me { incomingShareRequests { id requesterName cardNumber status delivery history { kind actor } } } }
"""
ACCEPT = """
mutation A($id: ID!, $scope: ShareScope, $endsOn: Date) {
  acceptAccountShare(requestId: $id, scope: $scope, endsOn: $endsOn) {
    sharedAccount { id scope expiresAt ownerName viewerName owner { id } }
    errors { code field }
  }
}
"""
LOANS = "query P($id: ID!) { patron(id: $id) { displayName loans { id } } }"


@pytest.fixture
async def served(ils: RunningEmulator, tmp_path: Path, clock: Clock) -> AsyncIterator[ServedSharing]:
    async with served_sharing(ils, tmp_path, clock) as running:
        yield running


def data(body: dict[str, Any], name: str) -> dict[str, Any]:
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][name]
    return payload


async def test_leo_accepts_in_his_account_and_hugo_then_sees_his_loans(served: ServedSharing) -> None:
    hugo, leo = await served.bearer(HUGO), await served.bearer(LEO)
    refused = await served.graphql(LOANS, {"id": LEO}, hugo)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    asked = data(await served.graphql(REQUEST, {"card": "2900 0000 02"}, hugo), "requestAccountShare")
    assert asked["errors"] == []
    assert asked["request"]["cardNumber"] == LEO and asked["request"]["status"] == "PENDING"
    assert asked["request"]["expiresAt"] == "2026-12-15T09:00:00+00:00"  # 14 days
    assert served.mailer.queued == []  # Léo has no e-mail

    (incoming,) = data(await served.graphql(INCOMING, None, leo), "me")["incomingShareRequests"]
    assert incoming["requesterName"] == "Hugo Bernard"
    assert (incoming["delivery"], incoming["status"]) == ("IN_ACCOUNT", "PENDING")
    accepted = data(await served.graphql(ACCEPT, {"id": incoming["id"]}, leo), "acceptAccountShare")

    assert accepted["errors"] == []
    share = accepted["sharedAccount"]
    assert (share["scope"], share["expiresAt"], share["ownerName"], share["viewerName"]) == (
        "VIEW_AND_RENEW",
        None,
        "Léo Martin",
        "Hugo Bernard",
    )
    seen = data(await served.graphql(LOANS, {"id": LEO}, hugo), "patron")
    assert seen["displayName"] == "Léo Martin" and len(seen["loans"]) == 2
    assert data(await served.graphql(INCOMING, None, leo), "me")["incomingShareRequests"] == []
    again = data(await served.graphql(ACCEPT, {"id": incoming["id"]}, leo), "acceptAccountShare")
    assert again["errors"] == [{"code": "SHARE_REQUEST_ANSWERED", "field": ["requestId"]}]


async def test_only_the_account_asked_for_can_answer(served: ServedSharing) -> None:
    hugo = await served.bearer(HUGO)
    await served.graphql(REQUEST, {"card": LEO}, hugo)
    (incoming,) = data(await served.graphql(INCOMING, None, await served.bearer(LEO)), "me")[
        "incomingShareRequests"
    ]
    for other in (HUGO, INES):
        answer = await served.graphql(ACCEPT, {"id": incoming["id"]}, await served.bearer(other))
        assert data(answer, "acceptAccountShare")["errors"] == [
            {"code": "SHARE_REQUEST_NOT_FOUND", "field": ["requestId"]}
        ]
    anonymous = await served.graphql(ACCEPT, {"id": incoming["id"]})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    staff = await served.graphql(
        ACCEPT, {"id": incoming["id"]}, {"Authorization": "Bearer staff:staff-token-1"}
    )
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_declined_requests_are_answered_and_leave_no_access(served: ServedSharing) -> None:
    hugo, leo = await served.bearer(HUGO), await served.bearer(LEO)
    await served.graphql(REQUEST, {"card": LEO}, hugo)
    (incoming,) = data(await served.graphql(INCOMING, None, leo), "me")["incomingShareRequests"]
    decline = "mutation D($id: ID!) { declineAccountShare(requestId: $id) { deleted errors { code } } }"

    assert data(await served.graphql(decline, {"id": incoming["id"]}, leo), "declineAccountShare") == {
        "deleted": True,
        "errors": [],
    }
    assert data(await served.graphql(decline, {"id": incoming["id"]}, leo), "declineAccountShare") == {
        "deleted": False,
        "errors": [{"code": "SHARE_REQUEST_ANSWERED"}],
    }
    assert data(await served.graphql(ACCEPT, {"id": incoming["id"]}, leo), "acceptAccountShare")[
        "errors"
    ] == [{"code": "SHARE_REQUEST_ANSWERED", "field": ["requestId"]}]
    refused = await served.graphql(LOANS, {"id": LEO}, hugo)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    sent = "query { me { sentShareRequests { status history { kind actor } } } }"
    (request,) = data(await served.graphql(sent, None, hugo), "me")["sentShareRequests"]
    assert request == {
        "status": "DECLINED",
        "history": [{"kind": "REQUESTED", "actor": "REQUESTER"}, {"kind": "DECLINED", "actor": "OWNER"}],
    }


@pytest.mark.parametrize(
    ("viewer", "card", "code"),
    [
        (CAMILLE, "29-0000-0001", "SHARE_WITH_SELF"),
        (CAMILLE, LEO, "SHARE_EXISTS"),  # the demo's share
        (CAMILLE, " - ", "INVALID_CARD_NUMBER"),
    ],
)
async def test_what_the_rules_refuse(served: ServedSharing, viewer: str, card: str, code: str) -> None:
    body = await served.graphql(REQUEST, {"card": card}, await served.bearer(viewer))
    answer = data(body, "requestAccountShare")
    assert answer["request"] is None
    assert [(e["code"], e["field"]) for e in answer["errors"]] == [(code, ["cardNumber"])]


async def test_a_second_request_while_one_is_pending_is_refused_in_french_or_english(
    served: ServedSharing,
) -> None:
    hugo = await served.bearer(HUGO)
    await served.graphql(REQUEST, {"card": LEO}, hugo)
    french = data(await served.graphql(REQUEST, {"card": LEO}, hugo), "requestAccountShare")
    english = data(
        await served.graphql(REQUEST, {"card": LEO}, {**hugo, "Accept-Language": "en"}), "requestAccountShare"
    )
    assert french["errors"][0]["message"] == "Une demande de partage pour ce compte attend déjà une réponse."
    assert (
        english["errors"][0]["message"] == "A share request for this account is already awaiting an answer."
    )


async def test_the_answer_is_the_same_for_a_card_that_exists_and_one_that_does_not(
    served: ServedSharing,
) -> None:
    hugo = await served.bearer(HUGO)
    answers = []
    for card in (INES, LEO, "2900999999"):  # an e-mail, none, no such card
        answers.append(data(await served.graphql(REQUEST, {"card": card}, hugo), "requestAccountShare"))

    shapes = [{**a["request"], "cardNumber": "*"} for a in answers]
    assert shapes[0] == shapes[1] == shapes[2]
    assert shapes[0]["delivery"] == "IN_ACCOUNT" and shapes[0]["status"] == "PENDING"
    assert [a["errors"] for a in answers] == [[], [], []]
    assert [mail.to for mail in served.mailer.queued] == ["ines.martin@example.org"]  # only the real one


async def test_an_anonymous_or_staff_request_is_refused(served: ServedSharing) -> None:
    anonymous = await served.graphql(REQUEST, {"card": LEO})
    staff = await served.graphql(REQUEST, {"card": LEO}, {"Authorization": "Bearer staff:staff-token-1"})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"
