"""Every value the API sends to the ILS is checked at the edge by its protocol's rule (schema/input_guard.py).

One table of cases, one per row of `ILS_INPUTS` (a test fails when a row has no case): each
is run with a value its rule accepts (it goes on to the ILS) and with each value its rule
refuses, answered by the row's carrier: a mutation's payload with one localized UserError of
the row's code naming the field (PAYLOAD, RESOLVER), or a top-level localized BAD_USER_INPUT
naming the field for the look-ups without a payload (ERROR); not one SIP2 or SOAP call
reaches the emulator. Over HTTP against the real gateway and the emulator (demo data).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from emulator.runner import RunningEmulator
from schema.input_guard import CONTACT, ILS_INPUTS, SIP2_ID, SIP2_TEXT, XML_TEXT, Carrier, Guarded
from tests.e2e.conftest import GatewayFactory, bearer, graphql

CAMILLE, INES = "2900000001", "2900000003"

# What each rule refuses, with the reason the error gives.
NOS: dict[str, list[tuple[str, str]]] = {
    SIP2_TEXT.name: [
        ("a|b", "FORBIDDEN_CHARACTER"),
        ("a\rb", "FORBIDDEN_CHARACTER"),
        ("a\nb", "FORBIDDEN_CHARACTER"),
        ("a\x00b", "FORBIDDEN_CHARACTER"),
        ("a\x1bb", "FORBIDDEN_CHARACTER"),
        ("a\x85b", "FORBIDDEN_CHARACTER"),
        ("x" * 256, "TOO_MANY_BYTES"),
        ("é" * 128, "TOO_MANY_BYTES"),  # 128 characters, 256 bytes in UTF-8
    ],
    SIP2_ID.name: [
        ("", "EMPTY"),
        ("a|b", "FORBIDDEN_CHARACTER"),
        ("a\rb", "FORBIDDEN_CHARACTER"),
        ("a\x7fb", "FORBIDDEN_CHARACTER"),
        ("a\x85b", "FORBIDDEN_CHARACTER"),  # C1: a control character SOAP's XML would carry
        ("x" * 65, "TOO_LONG"),
    ],
    XML_TEXT.name: [
        ("a\x00b", "FORBIDDEN_CHARACTER"),
        ("a\x1bb", "FORBIDDEN_CHARACTER"),
        ("a\ufffeb", "FORBIDDEN_CHARACTER"),
        ("x" * 255, "TOO_LONG"),
    ],
    CONTACT.name: [
        ("a|b@example.org", "FORBIDDEN_CHARACTER"),
        ("a\rb@example.org", "FORBIDDEN_CHARACTER"),
        ("a\nb@example.org", "FORBIDDEN_CHARACTER"),
        ("a\x85b@example.org", "FORBIDDEN_CHARACTER"),
        ("x" * 243 + "@example.org", "TOO_LONG"),  # 255 characters
    ],
}


@dataclass(frozen=True)
class Case:
    """One row of ILS_INPUTS as a request: its document, the variables around the value, a good value."""

    root: tuple[str, str]
    path: str
    document: str
    variables: dict[str, Any]
    # The variable the value goes in, as a dotted path; `*` appends the value to that list.
    slot: str
    yes: str
    # Whether the accepted value leads to an ILS call (not always: the sign-in read the account).
    reaches_ils: bool
    signed_in: bool = True
    # Portal rules on the same value: (value, UserError code) answered in the payload.
    payload_nos: tuple[tuple[str, str], ...] = field(default=())


E = "errors { code field message }"
LOGIN = f"mutation($i: String!, $p: String!) {{ login(identifier: $i, password: $p) {{ token {E} }} }}"
RENEW = f"mutation($v: [ID!]!) {{ renewLoans(loanIds: $v) {{ renewedCount results {{ loanId }} {E} }} }}"
RENEW_ALL = f"mutation($v: ID) {{ renewAllLoans(patronId: $v) {{ renewedCount {E} }} }}"
PLACE = (
    f"mutation($r: ID!, $l: ID!) {{ placeHold(recordId: $r, pickupLibraryCode: $l)"
    f" {{ hold {{ id }} reasons {E} }} }}"
)
CANCEL = f"mutation($v: ID!) {{ cancelHold(holdId: $v) {{ cancelled {E} }} }}"
PROFILE = f"mutation($v: ProfileInput!) {{ updateProfile(input: $v) {{ patron {{ id }} {E} }} }}"
PREFERENCES = f"mutation($v: SearchPreferencesInput!) {{ updateSearchPreferences(input: $v) {{ {E} }} }}"
CREATE = f'mutation($v: [ID!]) {{ createBasket(name: "b", recordIds: $v) {{ basket {{ id }} {E} }} }}'
ADD = f'mutation($v: [ID!]!) {{ addToBasket(basketId: "no-such-basket", recordIds: $v) {{ {E} }} }}'
SAVE = (
    'mutation($q: String!, $s: SearchScopeInput) { saveSearch(name: "s", query: $q, scope: $s)'
    f" {{ savedSearch {{ id }} {E} }} }}"
)
SHARE = f"mutation($v: String!) {{ requestAccountShare(cardNumber: $v) {{ {E} }} }}"
SEARCH = "query($q: String!, $s: SearchScopeInput) { search(query: $q, scope: $s, first: 1) { totalCount } }"
PATRON = "query($v: ID!) { patron(id: $v) { id } }"
RECORD = "query($v: ID!) { record(id: $v) { id } }"
LIBRARY = "query($v: ID!) { library(code: $v) { code } }"

CASES = [
    Case(("Mutation", "login"), "identifier", LOGIN, {"p": "21092011"}, "i", INES, True, signed_in=False),
    Case(("Mutation", "login"), "password", LOGIN, {"i": INES}, "p", "21092011", True, signed_in=False),
    Case(("Mutation", "renewLoans"), "loanIds.*", RENEW, {"v": ["no-such-loan"]}, "v.*", "other", False),
    Case(("Mutation", "renewAllLoans"), "patronId", RENEW_ALL, {}, "v", CAMILLE, True),
    Case(("Mutation", "placeHold"), "recordId", PLACE, {"l": "DURAS"}, "r", "no-such-record", True),
    Case(("Mutation", "placeHold"), "pickupLibraryCode", PLACE, {"r": "no-such-record"}, "l", "DURAS", True),
    Case(("Mutation", "cancelHold"), "holdId", CANCEL, {}, "v", "no-such-hold", False),
    Case(
        ("Mutation", "updateProfile"),
        "input.email",
        PROFILE,
        {"v": {}},
        "v.email",
        "camille.nouvelle@example.org",
        True,
        payload_nos=(("camille.example.org", "INVALID_EMAIL"), ("a b@example.org", "INVALID_EMAIL")),
    ),
    Case(
        ("Mutation", "updateProfile"),
        "input.phone",
        PROFILE,
        {"v": {}},
        "v.phone",
        "01 23 45 67 89",
        True,
        payload_nos=(("01 23", "INVALID_PHONE"),),
    ),
    Case(
        ("Mutation", "updateProfile"),
        "input.mobile",
        PROFILE,
        {"v": {}},
        "v.mobile",
        "06 12 34 56 78",
        True,
        payload_nos=(("06-12-AB-56-78", "INVALID_PHONE"),),
    ),
    Case(
        ("Mutation", "updateSearchPreferences"),
        "input.libraryCodes.*",
        PREFERENCES,
        {"v": {"libraryCodes": ["SAGAN"]}},
        "v.libraryCodes.*",
        "DURAS",
        True,
    ),
    Case(("Mutation", "createBasket"), "recordIds.*", CREATE, {"v": []}, "v.*", "no-such-record", True),
    Case(("Mutation", "addToBasket"), "recordIds.*", ADD, {"v": []}, "v.*", "no-such-record", True),
    Case(("Mutation", "saveSearch"), "query", SAVE, {}, "q", "Hugo", True),
    Case(
        ("Mutation", "saveSearch"),
        "scope.libraryCodes.*",
        SAVE,
        {"q": "Hugo", "s": {"libraryCodes": []}},
        "s.libraryCodes.*",
        "DURAS",
        True,
    ),
    Case(("Mutation", "requestAccountShare"), "cardNumber", SHARE, {}, "v", INES, True),
    Case(("Query", "search"), "query", SEARCH, {}, "q", "Hugo", True, signed_in=False),
    Case(
        ("Query", "search"),
        "scope.libraryCodes.*",
        SEARCH,
        {"q": "Hugo", "s": {"libraryCodes": []}},
        "s.libraryCodes.*",
        "DURAS",
        True,
        signed_in=False,
    ),
    Case(("Query", "patron"), "id", PATRON, {}, "v", INES, False),  # FORBIDDEN before any read
    Case(("Query", "record"), "id", RECORD, {}, "v", "T-PRINCE", True, signed_in=False),
    Case(("Query", "library"), "code", LIBRARY, {}, "v", "DURAS", True, signed_in=False),
]


def _row(case: Case) -> Guarded:
    [row] = [row for row in ILS_INPUTS[case.root] if row.path == case.path]
    return row


def _params() -> list[Any]:
    params = []
    for case in CASES:
        name = f"{case.root[1]}.{case.path}"
        params.append(pytest.param(case, case.yes, None, id=f"{name}-yes"))
        for index, (value, reason) in enumerate(NOS[_row(case).rule.name]):
            params.append(pytest.param(case, value, reason, id=f"{name}-no{index}-{reason}"))
        for index, (value, code) in enumerate(case.payload_nos):
            params.append(pytest.param(case, value, code, id=f"{name}-payload{index}-{code}"))
    return params


def _with_value(case: Case, value: str) -> tuple[dict[str, Any], list[str]]:
    """The request's variables with `value` in its slot, and the field path the error must name."""
    variables: dict[str, Any] = _copy(case.variables)
    *parents, last = case.slot.split(".")
    target = variables
    for name in parents[:-1] if last == "*" else parents:
        target = target.setdefault(name, {})
    if last == "*":
        items = target.setdefault(parents[-1], [])
        items.append(value)
        index = str(len(items) - 1)
        return variables, [*case.path.split(".")[:-1], index]
    target[last] = value
    return variables, case.path.split(".")


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


async def _ils_calls(emulator: RunningEmulator) -> int:
    async with httpx.AsyncClient() as client:
        stats = (await client.get(f"{emulator.admin_url}/stats")).json()
    return sum(stats["sip2"].values()) + sum(stats["soap"].values())


def test_every_row_of_the_table_has_a_case() -> None:
    rows = {(root, row.path) for root, entries in ILS_INPUTS.items() for row in entries}
    assert {(case.root, case.path) for case in CASES} == rows
    assert {row.rule.name for entries in ILS_INPUTS.values() for row in entries} <= NOS.keys()


def test_only_the_look_ups_without_a_payload_refuse_with_a_top_level_error() -> None:
    # The contract: a bad value is data in the payload wherever the field has one.
    top_level = {
        root for root, entries in ILS_INPUTS.items() for row in entries if row.carrier is Carrier.ERROR
    }
    assert top_level == {("Query", "search"), ("Query", "patron"), ("Query", "record"), ("Query", "library")}


@pytest.mark.parametrize(("case", "value", "refusal"), _params())
async def test_values_reach_the_ils_only_when_their_protocol_can_carry_them(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator, case: Case, value: str, refusal: str | None
) -> None:
    headers = await bearer(demo_gateway, CAMILLE) if case.signed_in else {}
    variables, field_path = _with_value(case, value)
    before = await _ils_calls(ils)

    body = await graphql(demo_gateway, case.document, variables, headers)

    sent = await _ils_calls(ils) - before
    codes = [error["extensions"]["code"] for error in body.get("errors", ())]
    if refusal is None:
        assert "BAD_USER_INPUT" not in codes, body
        assert body["data"] is not None, body
        assert (sent > 0) is case.reaches_ils, sent
    elif refusal in {reason for _, reason in NOS[_row(case).rule.name]}:
        _assert_refused(body, _row(case), field_path, refusal)
        assert sent == 0
    else:
        # A portal rule (e-mail or phone syntax): a UserError in the payload, nothing sent either.
        assert "errors" not in body, body
        [payload] = body["data"].values()
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [(refusal, field_path)]
        assert sent == 0


def _assert_refused(body: dict[str, Any], row: Guarded, field_path: list[str], reason: str) -> None:
    """The refusal travels by the row's carrier and names the field, in French by default."""
    if row.carrier is Carrier.ERROR:
        assert body["data"] is None, body
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["field"] == field_path
        assert error["extensions"]["reason"] == reason
        assert f"« {'.'.join(field_path)} »" in error["message"]
        return
    assert "errors" not in body, body
    [payload] = body["data"].values()
    [error] = payload["errors"]
    if row.carrier is Carrier.PAYLOAD:
        assert (error["code"], error["field"]) == (row.code, field_path)
        assert error["message"].startswith(f"Valeur refusée pour « {'.'.join(field_path)} »")
        # Nothing else is answered: every other field of the payload is empty.
        assert all(value in (None, [], 0, False) for key, value in payload.items() if key != "errors"), (
            payload
        )
    else:  # RESOLVER: the resolver's own refusal (a basket's unknown records), naming the list
        assert (error["code"], error["field"]) == (row.code, field_path[:-1])


async def test_the_message_is_english_with_accept_language_en(demo_gateway: httpx.AsyncClient) -> None:
    headers = {**await bearer(demo_gateway, CAMILLE), "Accept-Language": "en"}

    mutated = await graphql(demo_gateway, PROFILE, {"v": {"email": "a|b@example.org"}}, headers)
    looked_up = await graphql(demo_gateway, LIBRARY, {"v": "a|b"}, headers)

    [error] = mutated["data"]["updateProfile"]["errors"]
    assert error["message"].startswith("Value refused for “input.email”: forbidden character")
    [error] = looked_up["errors"]
    assert error["message"].startswith("Value refused for “code”: forbidden character")


async def test_a_refused_profile_change_changes_nothing_and_sign_in_keeps_working(
    demo_gateway: httpx.AsyncClient,
) -> None:
    # The issue's finding: `a|b@example.org` was stored, then every sign-in of that patron failed.
    headers = await bearer(demo_gateway, CAMILLE)
    change = {"v": {"email": "a|b@example.org", "phone": "01 23 45 67 89"}}

    body = await graphql(demo_gateway, PROFILE, change, headers)

    assert body["data"]["updateProfile"]["patron"] is None
    assert [e["code"] for e in body["data"]["updateProfile"]["errors"]] == ["INVALID_EMAIL"]
    again = await bearer(demo_gateway, CAMILLE)
    me = await graphql(demo_gateway, "{ me { email phone } }", None, again)
    assert me["data"]["me"]["email"] == "camille.martin@example.org"
    assert me["data"]["me"]["phone"] != "01 23 45 67 89"


async def test_one_bad_look_up_value_refuses_every_field_of_the_operation(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    document = '{ a: record(id: "T-PRINCE") { id } b: library(code: "DU|RAS") { code } }'
    before = await _ils_calls(ils)

    body = await graphql(demo_gateway, document, None)

    assert body["data"] is None
    assert [(e["path"], e["extensions"]["field"]) for e in body["errors"]] == [(["b"], ["code"])]
    assert await _ils_calls(ils) - before == 0


async def test_a_bad_mutation_value_refuses_its_field_alone(demo_gateway: httpx.AsyncClient) -> None:
    # Payload errors are per field: the other mutation of the document is answered as usual.
    headers = await bearer(demo_gateway, CAMILLE)
    document = (
        'mutation { a: cancelHold(holdId: "no-such-hold") { errors { code } }'
        ' b: renewLoans(loanIds: ["x", "y|z"]) { renewedCount results { loanId } errors { code field } } }'
    )

    body = await graphql(demo_gateway, document, None, headers)

    assert "errors" not in body, body
    assert body["data"] == {
        "a": {"errors": [{"code": "HOLD_NOT_FOUND"}]},
        "b": {
            "renewedCount": 0,
            "results": [],
            "errors": [{"code": "LOAN_NOT_FOUND", "field": ["loanIds", "1"]}],
        },
    }


@pytest.mark.parametrize(("encoding", "refused"), [("utf-8", False), ("latin-1", True)])
async def test_a_character_the_sip2_encoding_cannot_carry_is_refused(
    gateway_factory: GatewayFactory, encoding: str, refused: bool
) -> None:
    # "Łódź" has no latin-1 form: written in a 63 (AA), the frame could not be encoded at all.
    async with gateway_factory(ils_sip2_encoding=encoding) as client:
        body = await graphql(client, LOGIN, {"i": "Łódź", "p": "01011990"})

    assert "errors" not in body, body
    errors = body["data"]["login"]["errors"]
    bad_input = [e for e in errors if e["code"] == "BAD_USER_INPUT"]
    assert bool(bad_input) is refused, body
    if refused:
        assert bad_input[0]["field"] == ["identifier"]
        assert "un caractère ne peut pas être transmis" in bad_input[0]["message"]


async def test_production_shows_the_refusal_as_it_is(gateway_factory: GatewayFactory) -> None:
    # An expected code: the production mask ("Unexpected error.") leaves it alone, as data or not.
    async with gateway_factory(env="production") as client:
        signed_in = await graphql(client, LOGIN, {"i": "2900000001|AD14071985", "p": "x"})
        looked_up = await graphql(client, RECORD, {"v": "T-PRINCE|AB"})

    [error] = signed_in["data"]["login"]["errors"]
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", ["identifier"])
    assert error["message"].startswith("Valeur refusée pour « identifier » : caractère interdit")
    [error] = looked_up["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("Valeur refusée pour « id » : caractère interdit")
