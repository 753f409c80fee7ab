"""Consent by e-mailed link over real sockets: Inès (who has an e-mail) is mailed a link, opens it as a
person would (GET), and answers with the page's form (POST). A GET accepts nothing; a used,
expired, tampered or cross-account link is refused with a plain 4xx page, never a 500.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from emulator.runner import RunningEmulator
from tests.e2e.conftest import DEMO_PASSWORDS, Clock
from tests.e2e.sharing_served import ServedSharing, served_sharing

CAMILLE, LEO, INES = "2900000001", "2900000002", "2900000003"

REQUEST = """
mutation R($card: String!) { requestAccountShare(cardNumber: $card) { request { id } errors { code } } }
"""
LOANS = "query P($id: ID!) { patron(id: $id) { loans { id } } }"
RECEIVED = """
query { me { incomingShareRequests { id delivery requesterName }
  receivedShareRequests { status history { kind actor scope } } } }
"""
BY_TOKEN = """
mutation T($token: String!, $scope: ShareScope) {
  acceptAccountShareByToken(token: $token, scope: $scope) {
    sharedAccount { scope owner { id } } errors { code }
  }
}
"""


class _Form(HTMLParser):
    """The fields a browser would post from the page's form (checked radios, hidden inputs)."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.method: str | None = None
        self.fields: dict[str, str] = {}
        self.buttons: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action, self.method = a.get("action"), a.get("method")
        elif tag == "input" and (a.get("type") == "hidden" or "checked" in a):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "button":
            self.buttons[a["value"]] = a["name"]


def form_of(page: str) -> _Form:
    form = _Form()
    form.feed(page)
    return form


@pytest.fixture
async def served(ils: RunningEmulator, tmp_path: Path, clock: Clock) -> AsyncIterator[ServedSharing]:
    async with served_sharing(ils, tmp_path, clock) as running:
        yield running


async def _ask_ines(served: ServedSharing) -> str:
    """Camille asks to see Inès's account; the link of the mail Inès is sent."""
    body = await served.graphql(REQUEST, {"card": INES}, await served.bearer(CAMILLE))
    assert body["data"]["requestAccountShare"]["errors"] == []
    (mail,) = served.mailer.queued
    assert (mail.to, mail.template, mail.language) == ("ines.martin@example.org", "share_request", "fr")
    assert mail.context["requester_name"] == "Camille Martin"
    link: str = mail.context["accept_url"]
    assert link.startswith(f"{served.url}/shares/accept?token=")
    return link


async def _codes(served: ServedSharing, query: str, variables: dict[str, Any], card: str) -> list[str]:
    body = await served.graphql(query, variables, await served.bearer(card))
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_ines_accepts_from_the_mail_and_camille_sees_her_loans(served: ServedSharing) -> None:
    link = await _ask_ines(served)
    async with served.client(**{"Accept-Language": "fr"}) as browser:
        page = await browser.get(link)
        assert page.status_code == 200
        assert "Camille Martin demande à voir votre compte" in page.text
        assert page.headers["referrer-policy"] == "no-referrer"
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "<script" not in page.text and "http" not in page.text.split("<form")[0].lower()
        form = form_of(page.text)
        assert (form.method, form.action) == ("post", "/shares/accept")
        assert form.fields["scope"] == "VIEW_AND_RENEW"  # the default choice
        assert await _codes(served, LOANS, {"id": INES}, CAMILLE) == ["FORBIDDEN"]  # the GET did nothing

        posted = await browser.post(
            form.action, data={**form.fields, "scope": "VIEW", "ends_on": "2029-09-21", "answer": "accept"}
        )

    assert posted.status_code == 200
    assert "Camille Martin voit désormais vos prêts" in posted.text
    assert await _codes(served, LOANS, {"id": INES}, CAMILLE) == []
    shared = await served.graphql(
        "query { me { sharedAccounts { scope expiresAt owner { id } } } }", None, await served.bearer(CAMILLE)
    )
    assert {"scope": "VIEW", "owner": {"id": INES}} in [
        {k: v for k, v in s.items() if k != "expiresAt"} for s in shared["data"]["me"]["sharedAccounts"]
    ]
    received = (await served.graphql(RECEIVED, None, await served.bearer(INES)))["data"]["me"]
    assert received["incomingShareRequests"] == []
    (request,) = received["receivedShareRequests"]
    assert request["status"] == "ACCEPTED"
    assert [(e["kind"], e["actor"], e["scope"]) for e in request["history"]] == [
        ("REQUESTED", "REQUESTER", None),
        ("OPENED", "OWNER", None),
        ("ACCEPTED", "OWNER", "VIEW"),
    ]


async def test_the_request_shows_in_ines_s_account_as_mailed(served: ServedSharing) -> None:
    await _ask_ines(served)
    me = (await served.graphql(RECEIVED, None, await served.bearer(INES)))["data"]["me"]
    (incoming,) = me["incomingShareRequests"]
    assert (incoming["delivery"], incoming["requesterName"]) == ("EMAIL", "Camille Martin")


async def test_declining_from_the_page(served: ServedSharing) -> None:
    link = await _ask_ines(served)
    async with served.client(**{"Accept-Language": "en"}) as browser:
        form = form_of((await browser.get(link)).text)
        posted = await browser.post(form.action or "", data={**form.fields, "answer": "decline"})
        reopened = await browser.get(link)

    assert posted.status_code == 200 and "You declined the request" in posted.text
    assert reopened.status_code == 410 and "already been used" in reopened.text
    assert await _codes(served, LOANS, {"id": INES}, CAMILLE) == ["FORBIDDEN"]


async def test_a_used_link_is_refused_plainly(served: ServedSharing) -> None:
    link = await _ask_ines(served)
    async with served.client() as browser:
        form = form_of((await browser.get(link)).text)
        first = await browser.post(form.action or "", data={**form.fields, "answer": "accept"})
        again_get = await browser.get(link)
        again_post = await browser.post(form.action or "", data={**form.fields, "answer": "accept"})
    token = parse_qs(urlsplit(link).query)["token"][0]
    by_api = await served.graphql(BY_TOKEN, {"token": token})

    assert first.status_code == 200
    assert again_get.status_code == 410 and "déjà servi" in again_get.text
    assert again_post.status_code == 410
    assert by_api["data"]["acceptAccountShareByToken"]["errors"] == [{"code": "SHARE_REQUEST_ANSWERED"}]


async def test_an_expired_link_is_refused_plainly(served: ServedSharing) -> None:
    link = await _ask_ines(served)
    async with served.client() as browser:
        form = form_of((await browser.get(link)).text)
        served.clock.advance(timedelta(days=14))
        page = await browser.get(link)
        posted = await browser.post(form.action or "", data={**form.fields, "answer": "accept"})

    assert page.status_code == 410 and "expiré" in page.text
    assert posted.status_code == 410
    assert await _codes(served, LOANS, {"id": INES}, CAMILLE) == ["FORBIDDEN"]


@pytest.mark.parametrize("how", ["signature", "payload", "truncated", "empty", "garbage"])
async def test_a_tampered_link_is_refused_plainly(served: ServedSharing, how: str) -> None:
    link = await _ask_ines(served)
    token = parse_qs(urlsplit(link).query)["token"][0]
    payload, _, signature = token.rpartition(".")
    forged = {
        "signature": f"{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}",
        "payload": f"x{payload}.{signature}",
        "truncated": token[: len(token) // 2],
        "empty": "",
        "garbage": "é<script>" * 80,
    }[how]
    async with served.client() as browser:
        page = await browser.get("/shares/accept", params={"token": forged})
        csrf = form_of((await browser.get(link)).text).fields["csrf"]
        posted = await browser.post(
            "/shares/accept", data={"token": forged, "csrf": csrf, "answer": "accept"}
        )
    by_api = await served.graphql(BY_TOKEN, {"token": forged})

    assert page.status_code == 404 and "<script" not in page.text
    assert posted.status_code == 403  # the form's CSRF token is bound to the genuine token
    assert by_api["data"]["acceptAccountShareByToken"]["errors"] == [{"code": "SHARE_TOKEN_INVALID"}]
    assert await _codes(served, LOANS, {"id": INES}, CAMILLE) == ["FORBIDDEN"]


async def test_a_form_without_its_csrf_token_or_with_bad_values_does_nothing(served: ServedSharing) -> None:
    link = await _ask_ines(served)
    async with served.client() as browser:
        fields = form_of((await browser.get(link)).text).fields
        no_csrf = await browser.post("/shares/accept", data={"token": fields["token"], "answer": "accept"})
        as_json = await browser.post("/shares/accept", json={**fields, "answer": "accept"})
        bad_scope = await browser.post(
            "/shares/accept", data={**fields, "scope": "EVERYTHING", "answer": "accept"}
        )
        bad_day = await browser.post(
            "/shares/accept", data={**fields, "ends_on": "21/09/2029", "answer": "accept"}
        )
        past_day = await browser.post(
            "/shares/accept", data={**fields, "ends_on": "2026-11-30", "answer": "accept"}
        )

    assert no_csrf.status_code == 403
    assert as_json.status_code == 400
    assert bad_scope.status_code == 400 and bad_day.status_code == 400
    assert past_day.status_code == 400 and "postérieure à aujourd'hui" in past_day.text
    assert await _codes(served, LOANS, {"id": INES}, CAMILLE) == ["FORBIDDEN"]


async def test_a_link_opened_while_signed_in_as_someone_else_is_refused(served: ServedSharing) -> None:
    link = await _ask_ines(served)
    token = parse_qs(urlsplit(link).query)["token"][0]
    async with served.client() as browser:
        login = (
            "mutation L($i: String!, $p: String!) { login(identifier: $i, password: $p) { errors { code } } }"
        )
        signed_in = await browser.post(
            "/graphql", json={"query": login, "variables": {"i": LEO, "p": DEMO_PASSWORDS[LEO]}}
        )
        assert signed_in.json()["data"]["login"]["errors"] == []
        page = await browser.get(link)
        csrf = browser.cookies  # the session cookie rides along, as in a browser
        assert csrf
    by_api = await served.graphql(BY_TOKEN, {"token": token}, await served.bearer(CAMILLE))

    assert page.status_code == 403
    assert by_api["data"]["acceptAccountShareByToken"]["errors"] == [{"code": "SHARE_TOKEN_OTHER_ACCOUNT"}]
    assert await _codes(served, LOANS, {"id": INES}, CAMILLE) == ["FORBIDDEN"]


async def test_an_app_accepts_with_the_token_once(served: ServedSharing) -> None:
    link = await _ask_ines(served)
    token = parse_qs(urlsplit(link).query)["token"][0]

    first = await served.graphql(BY_TOKEN, {"token": token, "scope": "VIEW_AND_RENEW"})
    again = await served.graphql(BY_TOKEN, {"token": token}, await served.bearer(INES))

    assert first["data"]["acceptAccountShareByToken"] == {
        "sharedAccount": {"scope": "VIEW_AND_RENEW", "owner": {"id": INES}},
        "errors": [],
    }
    assert again["data"]["acceptAccountShareByToken"]["errors"] == [{"code": "SHARE_REQUEST_ANSWERED"}]
    assert await _codes(served, LOANS, {"id": INES}, CAMILLE) == []


async def test_a_token_works_only_for_its_own_request(served: ServedSharing) -> None:
    """A genuine token of one request is no key to another (cross-request)."""
    link = await _ask_ines(served)
    hugo = await served.bearer("2900000004")
    await served.graphql(REQUEST, {"card": "2900000005"}, hugo)  # Lucie: a second mailed request
    lucie_link = served.mailer.queued[1].context["accept_url"]
    async with served.client() as browser:
        ines_form = form_of((await browser.get(link)).text).fields
        lucie_token = parse_qs(urlsplit(lucie_link).query)["token"][0]
        posted = await browser.post(
            "/shares/accept", data={**ines_form, "token": lucie_token, "answer": "accept"}
        )
    assert posted.status_code == 403
    assert await _codes(served, LOANS, {"id": "2900000005"}, "2900000004") == ["FORBIDDEN"]
    assert await _codes(served, LOANS, {"id": INES}, CAMILLE) == ["FORBIDDEN"]


async def test_nothing_logged_holds_the_token_the_address_or_a_name(
    served: ServedSharing, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    link = await _ask_ines(served)
    token = parse_qs(urlsplit(link).query)["token"][0]
    async with served.client() as browser:
        form = form_of((await browser.get(link)).text)
        await browser.post(form.action or "", data={**form.fields, "answer": "accept"})
        await browser.get(link)  # used: a refusal page
        await browser.get("/shares/accept", params={"token": token[:-3]})

    # What the gateway and its libraries logged (not the test's own HTTP client).
    records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.__dict__}" for r in records)
    assert records  # the access lines at least
    for secret in (token, token[:40], "ines.martin@example.org", "Camille Martin", "Inès", "21092011"):
        assert secret not in logged


async def test_both_sides_see_the_whole_trail_in_order(served: ServedSharing) -> None:
    link = await _ask_ines(served)
    async with served.client() as browser:
        form = form_of((await browser.get(link)).text)
        await browser.post(form.action or "", data={**form.fields, "scope": "VIEW", "answer": "accept"})
    ines = await served.bearer(INES)
    (share,) = (await served.graphql("query { me { sharedWith { id } } }", None, ines))["data"]["me"][
        "sharedWith"
    ]
    change = """
    mutation U($id: ID!) {
      updateAccountShare(sharedAccountId: $id, scope: VIEW_AND_RENEW, endsOn: "2026-12-10") {
        errors { code }
      }
    }
    """
    assert (await served.graphql(change, {"id": share["id"]}, ines))["data"]["updateAccountShare"][
        "errors"
    ] == []
    served.clock.advance(timedelta(days=10))

    trail = "{ kind actor scope }"
    sent = f"query {{ me {{ sentShareRequests {{ cardNumber status history {trail} }} }} }}"
    received = f"query {{ me {{ receivedShareRequests {{ status history {trail} }} }} }}"
    camille_side = (await served.graphql(sent, None, await served.bearer(CAMILLE)))["data"]["me"]
    ines_side = (await served.graphql(received, None, await served.bearer(INES)))["data"]["me"]

    expected = [
        {"kind": "REQUESTED", "actor": "REQUESTER", "scope": None},
        {"kind": "OPENED", "actor": "OWNER", "scope": None},
        {"kind": "ACCEPTED", "actor": "OWNER", "scope": "VIEW"},
        {"kind": "SCOPE_CHANGED", "actor": "OWNER", "scope": "VIEW_AND_RENEW"},
        {"kind": "EXPIRED", "actor": "SYSTEM", "scope": None},
    ]
    (request,) = camille_side["sentShareRequests"]
    assert request["cardNumber"] == INES and request["status"] == "ACCEPTED"
    assert request["history"] == expected
    assert ines_side["receivedShareRequests"][0]["history"] == expected
    assert await _codes(served, LOANS, {"id": INES}, CAMILLE) == ["FORBIDDEN"]
