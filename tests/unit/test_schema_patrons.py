"""Patrons through the schema: me, patron(id), federation references, authorization, updateProfile."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from adapters.errors import IlsUnavailable, OutcomeUnknown
from adapters.store.port import ShareScope
from schema.context import Viewer
from tests.unit.schema_harness import ANONYMOUS, CAMILLE, INES, LEO, NADIA, STAFF, Harness, as_patron, codes

PATRON = "query($id: ID!) { patron(id: $id) { id displayName loanCount } }"
CONTACT = "query($id: ID!) { patron(id: $id) { id email } }"
ENTITY = """
query($id: ID!) {
  _entities(representations: [{__typename: "Patron", id: $id}]) { ... on Patron { id displayName loanCount } }
}
"""
UPDATE = """
mutation($input: ProfileInput!) {
  updateProfile(input: $input) { patron { id email phone mobile } errors { code message field } }
}
"""


async def test_me_is_null_without_a_session_and_costs_no_ils_call() -> None:
    harness = Harness()
    assert await harness.data("{ me { id } }", viewer=ANONYMOUS) == {"me": None}
    assert not harness.ils.calls


async def test_me_is_the_signed_in_patron() -> None:
    data = await Harness().data(
        "{ me { id firstName lastName email homeLibrary { code } cardExpiresOn blocks } }",
        viewer=as_patron(CAMILLE),
    )
    assert data["me"] == {
        "id": CAMILLE,
        "firstName": "Camille",
        "lastName": "Martin",
        "email": "camille.martin@example.org",
        "homeLibrary": {"code": "DURAS"},
        "cardExpiresOn": "2028-01-01",
        "blocks": [],
    }


async def test_nadia_s_block_is_shown() -> None:
    data = await Harness().data("{ me { blocks } }", viewer=as_patron(NADIA))
    assert data["me"]["blocks"] == ["FINES_OWED"]


@pytest.mark.parametrize(
    ("which", "titles"),
    [
        ("ALL", 7),
        ("PHYSICAL", 6),
        ("DIGITAL", 1),
        ("OVERDUE", 1),
    ],
)
async def test_loan_filters(which: str, titles: int) -> None:
    data = await Harness().data(f"{{ me {{ loans(filter: {which}) {{ id }} }} }}", viewer=as_patron(CAMILLE))
    assert len(data["me"]["loans"]) == titles


# ---- authorization matrix: Query.patron and federation `_entities` give the same answers


FORBIDDEN_CASES = [
    pytest.param(as_patron(CAMILLE), INES, id="camille->ines"),
    pytest.param(as_patron(LEO), CAMILLE, id="leo->camille (the share is one-way)"),
    pytest.param(ANONYMOUS, CAMILLE, id="anonymous->camille"),
    pytest.param(Viewer(patron_id=None), CAMILLE, id="no-patron-no-staff->camille"),
]
ALLOWED_CASES = [
    pytest.param(as_patron(CAMILLE), CAMILLE, id="self"),
    pytest.param(as_patron(CAMILLE), LEO, id="camille->leo (accepted share)"),
    pytest.param(STAFF, INES, id="staff->ines"),
]


@pytest.mark.parametrize("document", [PATRON, ENTITY], ids=["patron", "_entities"])
@pytest.mark.parametrize(("viewer", "target"), FORBIDDEN_CASES)
async def test_forbidden_before_any_ils_call(document: str, viewer: Viewer | None, target: str) -> None:
    harness = Harness()
    result = await harness.run(document, {"id": target}, viewer=viewer)
    assert codes(result) == ["FORBIDDEN"]
    assert result.errors is not None and result.errors[0].message == "Accès refusé."
    assert harness.ils.calls["get_accounts"] == 0


@pytest.mark.parametrize("document", [PATRON, ENTITY], ids=["patron", "_entities"])
@pytest.mark.parametrize(("viewer", "target"), ALLOWED_CASES)
async def test_allowed(document: str, viewer: Viewer | None, target: str) -> None:
    data = await Harness().data(document, {"id": target}, viewer=viewer)
    (patron,) = data["_entities"] if "_entities" in data else [data["patron"]]
    assert patron["id"] == target and patron["loanCount"] >= 1


async def test_a_forbidden_patron_number_does_not_reveal_whether_it_exists() -> None:
    harness = Harness()
    unknown = await harness.run(PATRON, {"id": "2999999999"}, viewer=as_patron(CAMILLE))
    known = await harness.run(PATRON, {"id": INES}, viewer=as_patron(CAMILLE))
    assert codes(unknown) == codes(known) == ["FORBIDDEN"]


async def test_staff_gets_null_for_an_unknown_card() -> None:
    assert await Harness().data(PATRON, {"id": "2999999999"}, viewer=STAFF) == {"patron": None}


@pytest.mark.parametrize(("viewer", "code"), [(as_patron(CAMILLE), "FORBIDDEN"), (STAFF, None)])
async def test_contact_details_of_a_shared_account_are_for_the_patron_and_staff(
    viewer: Viewer, code: str | None
) -> None:
    result = await Harness().run(CONTACT, {"id": LEO}, viewer=viewer)
    if code is None:
        assert result.errors is None
        assert result.data == {"patron": {"id": LEO, "email": None}}
    else:
        assert codes(result) == [code]
        # Partial data: the patron is there, the forbidden field is null.
        assert result.data == {"patron": {"id": LEO, "email": None}}


async def test_a_share_viewer_cannot_list_the_shared_account_s_own_shares() -> None:
    result = await Harness().run(
        "query($id: ID!) { patron(id: $id) { sharedAccounts { id } } }",
        {"id": LEO},
        viewer=as_patron(CAMILLE),
    )
    assert codes(result) == ["FORBIDDEN"]


async def test_shared_accounts_name_both_sides() -> None:
    data = await Harness().data(
        "{ me { sharedAccounts { id since owner { id } viewer { id } } } }", viewer=as_patron(CAMILLE)
    )
    assert data["me"]["sharedAccounts"] == [
        {"id": "S1", "since": "2026-11-01T12:00:00+00:00", "owner": {"id": LEO}, "viewer": {"id": CAMILLE}}
    ]


async def test_an_ils_outage_gives_partial_data_and_ils_unavailable() -> None:
    harness = Harness()
    harness.ils.fail_next("get_libraries", IlsUnavailable("soap", "timeout"))
    document = '{ me { displayName } library(code: "DURAS") { name } }'
    result = await harness.run(document, viewer=as_patron(CAMILLE), language="en")
    assert result.data == {"me": {"displayName": "Camille Martin"}, "library": None}
    assert codes(result) == ["ILS_UNAVAILABLE"]
    assert result.errors is not None
    assert result.errors[0].message == "The library system is not answering right now."
    assert "timeout" not in result.errors[0].message


# ---- updateProfile


async def test_update_profile_changes_and_removes_contact_details() -> None:
    harness = Harness()
    data = await harness.data(
        UPDATE,
        {"input": {"email": " camille@example.net ", "phone": "01 23 45 67 89", "mobile": ""}},
        viewer=as_patron(CAMILLE),
    )
    assert data["updateProfile"] == {
        "patron": {"id": CAMILLE, "email": "camille@example.net", "phone": "01 23 45 67 89", "mobile": None},
        "errors": [],
    }
    second = await harness.data("{ me { email phone } }", viewer=as_patron(CAMILLE))
    assert second["me"] == {"email": "camille@example.net", "phone": "01 23 45 67 89"}
    assert await harness.data(UPDATE, {"input": {"phone": ""}}, viewer=as_patron(CAMILLE)) == {
        "updateProfile": {
            "patron": {"id": CAMILLE, "email": "camille@example.net", "phone": None, "mobile": None},
            "errors": [],
        }
    }


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("email", "camille.example.org", "INVALID_EMAIL"),
        ("email", "camille@exemple", "INVALID_EMAIL"),
        ("email", "a b@example.org", "INVALID_EMAIL"),
        ("phone", "01 23", "INVALID_PHONE"),
        ("mobile", "06-12-AB-56-78", "INVALID_PHONE"),
        # Control characters and lone surrogates: XML (the ILS's SOAP) cannot carry them.
        ("email", "cam\x01ille@example.org", "INVALID_EMAIL"),
        ("email", "camille@exa\ud800mple.org", "INVALID_EMAIL"),
        # A list of addresses, an address header, a one-letter top-level domain: the ILS refuses them.
        ("email", "camille@example.org,eve@example.net", "INVALID_EMAIL"),
        ("email", "Camille <camille@example.org>", "INVALID_EMAIL"),
        ("email", "camille@example.o", "INVALID_EMAIL"),
        # SIP2's field delimiter: the ILS sends the address back in SIP2 answers.
        ("email", "a|b@example.org", "INVALID_EMAIL"),
        ("email", "camille@exam|ple.org", "INVALID_EMAIL"),
    ],
)
async def test_bad_values_are_refused_and_change_nothing(field: str, value: str, code: str) -> None:
    harness = Harness()
    data = await harness.data(UPDATE, {"input": {field: value}}, viewer=as_patron(CAMILLE))
    assert data["updateProfile"]["patron"] is None
    assert [(e["code"], e["field"]) for e in data["updateProfile"]["errors"]] == [(code, ["input", field])]
    assert harness.ils.calls["update_contact"] == 0


async def test_messages_follow_the_request_language() -> None:
    harness = Harness()
    input_ = {"input": {"email": "nope"}}
    fr = await harness.data(UPDATE, input_, viewer=as_patron(CAMILLE))
    en = await harness.data(UPDATE, input_, viewer=as_patron(CAMILLE), language="en")
    assert fr["updateProfile"]["errors"][0]["message"] == "Adresse électronique invalide."
    assert en["updateProfile"]["errors"][0]["message"] == "Invalid e-mail address."


@pytest.mark.parametrize(("viewer", "code"), [(ANONYMOUS, "UNAUTHENTICATED"), (STAFF, "FORBIDDEN")])
async def test_update_profile_needs_the_patron_themself(viewer: Viewer | None, code: str) -> None:
    harness = Harness()
    result = await harness.run(UPDATE, {"input": {"email": "x@example.org"}}, viewer=viewer)
    assert codes(result) == [code]
    assert result.data is None
    assert harness.ils.calls["update_contact"] == 0


async def test_a_lost_answer_is_settled_by_reading_the_account_again() -> None:
    harness = Harness()
    harness.ils.lose_next_answer("update_contact")
    data = await harness.data(UPDATE, {"input": {"email": "new@example.org"}}, viewer=as_patron(CAMILLE))
    assert data["updateProfile"] == {
        "patron": {"id": CAMILLE, "email": "new@example.org", "phone": None, "mobile": None},
        "errors": [],
    }


async def test_a_write_that_never_happened_says_so() -> None:
    harness = Harness()
    harness.ils.fail_next("update_contact", OutcomeUnknown("update_contact", "timeout"))
    data = await harness.data(UPDATE, {"input": {"email": "new@example.org"}}, viewer=as_patron(CAMILLE))
    assert data["updateProfile"]["patron"]["email"] == "camille.martin@example.org"
    assert [e["code"] for e in data["updateProfile"]["errors"]] == ["NOT_APPLIED"]


async def test_staff_asking_for_a_card_no_account_can_have_gets_null_without_an_ils_call() -> None:
    harness = Harness()
    for card in ("2900000001\x00", "2" * 65):
        assert await harness.data(PATRON, {"id": card}, viewer=STAFF) == {"patron": None}
    assert harness.ils.calls["get_accounts"] == 0


async def test_an_expired_share_is_treated_as_revoked() -> None:
    harness = Harness()
    (share,) = harness.store.shares.rows  # type: ignore[attr-defined]
    harness.store.shares.rows[0] = dataclasses.replace(share, expires_at=datetime(2026, 11, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    viewer = as_patron(CAMILLE)
    listed = await harness.data("{ me { sharedAccounts { id } } }", viewer=viewer)
    seen = await harness.run(
        "query($id: ID!) { patron(id: $id) { loans { id } } }", {"id": LEO}, viewer=viewer
    )
    assert listed["me"]["sharedAccounts"] == []
    assert codes(seen) == ["FORBIDDEN"]


async def test_a_view_only_share_cannot_renew() -> None:
    harness = Harness()
    (share,) = harness.store.shares.rows  # type: ignore[attr-defined]
    harness.store.shares.rows[0] = dataclasses.replace(share, scope=ShareScope.VIEW)  # type: ignore[attr-defined]
    viewer = as_patron(CAMILLE)
    loans = await harness.data(
        "query($id: ID!) { patron(id: $id) { loans { id } } }", {"id": LEO}, viewer=viewer
    )
    result = await harness.run(
        "mutation($id: ID) { renewAllLoans(patronId: $id) { renewedCount } }", {"id": LEO}, viewer=viewer
    )
    assert loans["patron"]["loans"]
    assert codes(result) == ["FORBIDDEN"]
    assert harness.ils.calls["renew"] == 0
