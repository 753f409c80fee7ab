"""Each demo patron's situation from DESIGN.md, as a frontend sees it over HTTP (emulator on real sockets).

Dates are relative to DEMO_TODAY (T), the day the emulator's demo data is seeded and frozen.
Lucie's e-mail clash is covered by test_gateway_login.py.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import httpx
import pytest

from emulator.seed import DEMO_TODAY
from tests.e2e.conftest import GatewayFactory, bearer, dashboard_document, graphql

CAMILLE, LEO, INES, HUGO, LUCIE, NADIA = (f"290000000{n}" for n in range(1, 7))

HOLDABILITY = """
query Holdability($id: ID!) { record(id: $id) { title holdability { holdable reasons } } }
"""
PATRON = """
query Patron($id: ID!) {
  patron(id: $id) {
    id displayName blocks loanCount overdueCount holdCount
    loans {
      dueDate loanType renewalsLeft isOverdue renewability { renewable reasons } item { record { title } }
    }
    holds { status queuePosition pickupDeadline cancellable pickupLibrary { code } record { title } }
  }
}
"""


def day(offset: int) -> str:
    """The ISO date T + offset days."""
    return (DEMO_TODAY + timedelta(days=offset)).isoformat()


def by_title(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Loans or holds keyed by their record's title (the order of the ILS is not part of the contract)."""
    keyed: dict[str, dict[str, Any]] = {}
    for entry in entries:
        record = entry["item"]["record"] if "item" in entry else entry["record"]
        keyed[record["title"]] = entry
    return keyed


async def me(client: httpx.AsyncClient, card: str) -> dict[str, Any]:
    """The dashboard's `me` for a demo patron signed in through `login`."""
    body = await graphql(client, dashboard_document(), headers=await bearer(client, card))
    assert "errors" not in body, body
    patron: dict[str, Any] = body["data"]["me"]
    return patron


async def holdability(client: httpx.AsyncClient, record_id: str, headers: dict[str, str] | None) -> list[str]:
    body = await graphql(client, HOLDABILITY, {"id": record_id}, headers)
    assert "errors" not in body, body
    decision: dict[str, Any] = body["data"]["record"]["holdability"]
    assert decision["holdable"] is (decision["reasons"] == [])
    reasons: list[str] = decision["reasons"]
    return reasons


async def test_camille_sees_her_seven_loans_with_their_renewability(demo_gateway: httpx.AsyncClient) -> None:
    camille = await me(demo_gateway, CAMILLE)

    assert (camille["id"], camille["displayName"], camille["blocks"]) == (CAMILLE, "Camille Martin", [])
    assert (camille["loanCount"], camille["overdueCount"], camille["holdCount"]) == (7, 1, 3)
    loans = {
        title: (
            loan["loanType"],
            loan["dueDate"],
            loan["renewalsLeft"],
            loan["isOverdue"],
            loan["renewability"]["renewable"],
            loan["renewability"]["reasons"],
        )
        for title, loan in by_title(camille["loans"]).items()
    }
    assert loans == {
        "La Horde du Contrevent": ("STANDARD", day(10), 2, False, True, []),
        "Les Furtifs": ("STANDARD", day(5), 0, False, False, ["MAX_RENEWALS_REACHED"]),
        "Astérix le Gaulois": ("ONE_WEEK", day(3), 2, False, False, ["ONE_WEEK_LOAN"]),
        "Le Bureau des légendes, saison 1": ("STANDARD", day(-4), 2, True, False, ["OVERDUE"]),
        "L'Anomalie": ("STANDARD", day(12), 1, False, False, ["RESERVED_BY_ANOTHER_PATRON"]),
        "Chanson douce": ("DIGITAL", day(14), 2, False, False, ["DIGITAL_LOAN"]),
        "Vernon Subutex 1": ("STANDARD", day(2), 1, False, True, []),
    }
    records = {loan["item"]["record"]["title"]: loan["item"]["record"] for loan in camille["loans"]}
    assert records["Astérix le Gaulois"]["authors"] == ["René Goscinny", "Albert Uderzo"]
    assert records["Astérix le Gaulois"]["documentType"] == "COMIC"
    assert records["Chanson douce"]["documentType"] == "EBOOK"
    libraries = {loan["item"]["record"]["title"]: loan["item"]["library"] for loan in camille["loans"]}
    assert libraries["Le Bureau des légendes, saison 1"] == {
        "code": "SAGAN",
        "name": "Médiathèque Françoise Sagan",
    }


async def test_camille_sees_her_three_holds_with_status_queue_deadline_and_cancellability(
    demo_gateway: httpx.AsyncClient,
) -> None:
    camille = await me(demo_gateway, CAMILLE)

    holds = {
        title: (
            hold["status"],
            hold["queuePosition"],
            hold["pickupLibrary"]["code"],
            hold["pickupDeadline"],
            hold["cancellable"],
        )
        for title, hold in by_title(camille["holds"]).items()
    }
    assert holds == {
        "Les Misérables": ("WAITING", 2, "DURAS", None, True),
        "Mémoires d'Hadrien": ("AVAILABLE", None, "SAGAN", day(6), False),
        "Le Consentement": ("IN_TRANSIT", None, "LEDUC", None, True),
    }
    assert by_title(camille["holds"])["Les Misérables"]["record"]["authors"] == ["Victor Hugo"]


async def test_camille_sees_leo_through_the_accepted_share(demo_gateway: httpx.AsyncClient) -> None:
    camille = await me(demo_gateway, CAMILLE)

    (shared,) = camille["sharedAccounts"]
    leo = shared["owner"]
    assert (leo["id"], leo["displayName"], leo["holds"]) == (LEO, "Léo Martin", [])
    assert {
        title: (loan["dueDate"], loan["isOverdue"], loan["renewability"])
        for title, loan in by_title(leo["loans"]).items()
    } == {
        "Mortelle Adèle, tome 1": (day(8), False, {"renewable": True, "reasons": []}),
        "Le Petit Nicolas": (day(-2), True, {"renewable": False, "reasons": ["OVERDUE"]}),
    }

    # The same account through Query.patron, with Camille's session.
    body = await graphql(demo_gateway, PATRON, {"id": LEO}, await bearer(demo_gateway, CAMILLE))
    assert "errors" not in body, body
    assert body["data"]["patron"]["displayName"] == "Léo Martin"
    assert (body["data"]["patron"]["loanCount"], body["data"]["patron"]["overdueCount"]) == (2, 1)


async def test_leo_signs_in_and_sees_his_own_two_loans(demo_gateway: httpx.AsyncClient) -> None:
    leo = await me(demo_gateway, LEO)

    assert (leo["loanCount"], leo["overdueCount"], leo["holdCount"]) == (2, 1, 0)
    assert leo["sharedAccounts"] == []  # the share goes one way: Léo does not see Camille
    assert {title: loan["renewalsLeft"] for title, loan in by_title(leo["loans"]).items()} == {
        "Mortelle Adèle, tome 1": 2,
        "Le Petit Nicolas": 2,
    }


async def test_ines_has_one_renewable_loan_and_shares_nothing(demo_gateway: httpx.AsyncClient) -> None:
    ines = await me(demo_gateway, INES)

    (loan,) = ines["loans"]
    assert loan["item"]["record"]["title"] == "Harry Potter à l'école des sorciers"
    assert (loan["dueDate"], loan["renewability"]) == (day(15), {"renewable": True, "reasons": []})
    assert (ines["holds"], ines["sharedAccounts"]) == ([], [])


async def test_hugo_has_reached_the_hold_limit(demo_gateway: httpx.AsyncClient) -> None:
    hugo = await me(demo_gateway, HUGO)

    assert (hugo["loans"], hugo["holdCount"]) == ([], 10)
    assert {hold["status"] for hold in hugo["holds"]} == {"WAITING"}
    assert "L'Anomalie" in by_title(hugo["holds"])
    # Madame Bovary is holdable for anyone else: only the limit stands in Hugo's way.
    headers = await bearer(demo_gateway, HUGO)
    assert await holdability(demo_gateway, "T-BOVARY", headers) == ["MAX_HOLDS_REACHED"]


async def test_lucie_has_one_loan(demo_gateway: httpx.AsyncClient) -> None:
    lucie = await me(demo_gateway, LUCIE)

    assert (lucie["displayName"], lucie["loanCount"], lucie["blocks"]) == ("Lucie Bernard", 1, [])


async def test_nadia_is_blocked_for_renewals_and_holds(demo_gateway: httpx.AsyncClient) -> None:
    nadia = await me(demo_gateway, NADIA)

    assert nadia["blocks"] == ["FINES_OWED"]
    (loan,) = nadia["loans"]
    assert (loan["dueDate"], loan["renewalsLeft"]) == (day(7), 2)
    assert loan["renewability"] == {"renewable": False, "reasons": ["PATRON_BLOCKED"]}
    headers = await bearer(demo_gateway, NADIA)
    assert await holdability(demo_gateway, "T-BOVARY", headers) == ["PATRON_BLOCKED"]


@pytest.mark.parametrize(
    ("record_id", "reasons"),
    [
        ("T-BOVARY", []),
        ("T-NOTREDAME", []),
        ("T-MISERABLES", ["ALREADY_HELD"]),
        ("T-PRINCE", ["AVAILABLE_ON_SHELF"]),
        ("T-ETRANGER", ["DIGITAL_DOCUMENT"]),
        ("T-HORLA", ["NO_COPIES"]),
        ("T-HORDE", ["ALREADY_ON_LOAN"]),
    ],
)
async def test_the_records_with_a_role_are_holdable_or_not_for_camille(
    demo_gateway: httpx.AsyncClient, record_id: str, reasons: list[str]
) -> None:
    assert await holdability(demo_gateway, record_id, await bearer(demo_gateway, CAMILLE)) == reasons


async def test_an_anonymous_visitor_is_told_to_sign_in_to_reserve(demo_gateway: httpx.AsyncClient) -> None:
    assert await holdability(demo_gateway, "T-BOVARY", None) == ["NOT_SIGNED_IN"]


# ---- bad input: a clear BAD_USER_INPUT (or a UserError), never an internal error, even in production

SEARCH = """
query Search($q: String!, $after: String, $scope: SearchScopeInput, $first: Int) {
  search(query: $q, after: $after, scope: $scope, first: $first) { totalCount }
}
"""
UPDATE_PROFILE = """
mutation Update($input: ProfileInput!) {
  updateProfile(input: $input) { patron { email } errors { code field } }
}
"""


def forged_cursor(offset: str) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


@pytest.mark.parametrize(
    "variables",
    [
        {"q": "Roman\x00"},
        {"q": "Roman " * 100},
        {"q": "Roman", "scope": {"libraryCodes": [f"L{n}" for n in range(51)]}},
        {"q": "Roman", "scope": {"libraryCodes": ["DURAS|AOX"]}},
        {"q": "Roman", "after": forged_cursor("99999999999999999999999")},
        {"q": "Roman", "after": forged_cursor("²")},
        {"q": "Roman", "first": 2**40},
        {"q": "Roman", "first": "twenty"},
    ],
    ids=[
        "nul",
        "too-long",
        "51-libraries",
        "sip2-delimiter-in-a-code",
        "huge-offset",
        "superscript-offset",
        "huge-first",
        "string-first",
    ],
)
async def test_a_search_the_ils_cannot_take_is_bad_user_input(
    gateway_factory: GatewayFactory, variables: dict[str, Any]
) -> None:
    async with gateway_factory(env="production") as client:
        body = await graphql(client, SEARCH, variables, {"Accept-Language": "en"})

    assert body["data"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"]
    assert "Unexpected error." not in body["errors"][0]["message"]


async def test_an_e_mail_the_ils_cannot_store_is_invalid_email(demo_gateway: httpx.AsyncClient) -> None:
    headers = await bearer(demo_gateway, CAMILLE)

    body = await graphql(
        demo_gateway, UPDATE_PROFILE, {"input": {"email": "cam\x01ille@example.org"}}, headers
    )

    assert "errors" not in body, body
    assert body["data"]["updateProfile"] == {
        "patron": None,
        "errors": [{"code": "INVALID_EMAIL", "field": ["input", "email"]}],
    }


async def test_an_e_mail_with_the_sip2_delimiter_is_refused_and_sign_in_keeps_working(
    demo_gateway: httpx.AsyncClient,
) -> None:
    # Stored, `a|b@example.org` came back in every SIP2 patron answer (BE) and broke the frame:
    # each later sign-in of that patron failed with ILS_UNAVAILABLE until the throttle locked the card.
    headers = await bearer(demo_gateway, INES)

    body = await graphql(demo_gateway, UPDATE_PROFILE, {"input": {"email": "a|b@example.org"}}, headers)

    assert body["data"]["updateProfile"] == {
        "patron": None,
        "errors": [{"code": "INVALID_EMAIL", "field": ["input", "email"]}],
    }
    again = await bearer(demo_gateway, INES)
    ines = await graphql(demo_gateway, "{ me { email } }", None, again)
    assert ines == {"data": {"me": {"email": "ines.martin@example.org"}}}
