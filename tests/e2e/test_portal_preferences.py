"""Search preferences over HTTP against the emulator: updateSearchPreferences' yes and each no,
and what they change in `search` (an explicit scope, even `{}` or null, replaces them).

Inès (2900000003) has no preferences in the demo data; the tests give her some.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.conftest import bearer, graphql

CAMILLE, LEO, INES = "2900000001", "2900000002", "2900000003"
STAFF = {"Authorization": "Bearer staff:staff-token-1"}

UPDATE = """
mutation U($input: SearchPreferencesInput!) {
  updateSearchPreferences(input: $input) {
    preferences { scope { libraries { code } documentTypes sources } }
    errors { code message field }
  }
}
"""
READ = """
query P($id: ID!) {
  patron(id: $id) { searchPreferences { scope { libraries { code } documentTypes sources } } }
}
"""
SEARCH_DEFAULT = "query S($q: String!) { search(query: $q) { edges { node { id } } } }"
SEARCH_SCOPED = """
query S($q: String!, $scope: SearchScopeInput) { search(query: $q, scope: $scope) { edges { node { id } } } }
"""


def scope(libraries: list[str], kinds: list[str], sources: list[str]) -> dict[str, Any]:
    return {"libraries": [{"code": code} for code in libraries], "documentTypes": kinds, "sources": sources}


async def update(client: httpx.AsyncClient, headers: dict[str, str] | None, **input: Any) -> dict[str, Any]:
    body = await graphql(client, UPDATE, {"input": input}, headers)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["updateSearchPreferences"]
    return payload


async def stored(client: httpx.AsyncClient, card: str) -> dict[str, Any]:
    body = await graphql(client, READ, {"id": card}, STAFF)
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["patron"]["searchPreferences"]["scope"]
    return found


async def found(client: httpx.AsyncClient, headers: dict[str, str] | None, query: str, **scoped: Any) -> bool:
    """Whether `query` finds its record (searched without scope, or with the `scope` given)."""
    if "scope" in scoped:
        body = await graphql(client, SEARCH_SCOPED, {"q": query, "scope": scoped["scope"]}, headers)
    else:
        body = await graphql(client, SEARCH_DEFAULT, {"q": query}, headers)
    assert "errors" not in body, body
    return bool(body["data"]["search"]["edges"])


async def test_a_patron_without_preferences_has_an_empty_scope(demo_gateway: httpx.AsyncClient) -> None:
    assert await stored(demo_gateway, INES) == {"libraries": [], "documentTypes": [], "sources": []}


async def test_preferences_are_saved_and_shape_the_searches_without_scope(
    demo_gateway: httpx.AsyncClient,
) -> None:
    ines = await bearer(demo_gateway, INES)

    payload = await update(
        demo_gateway, ines, libraryCodes=["DURAS", "SAGAN", "DURAS"], documentTypes=["BOOK"], sources=[]
    )

    assert payload == {"preferences": {"scope": scope(["DURAS", "SAGAN"], ["BOOK"], [])}, "errors": []}
    assert await stored(demo_gateway, INES) == scope(["DURAS", "SAGAN"], ["BOOK"], [])
    names = "{ me { searchPreferences { scope { libraries { name } } } } }"
    body = await graphql(demo_gateway, names, headers=ines)
    assert body["data"]["me"]["searchPreferences"]["scope"]["libraries"] == [
        {"name": "Médiathèque Marguerite Duras"},
        {"name": "Médiathèque Françoise Sagan"},
    ]
    # Notre-Dame de Paris is only at MELVILLE; Astérix is a comic at DURAS; Le Petit Prince a book at DURAS.
    assert await found(demo_gateway, ines, "Le Petit Prince")
    assert not await found(demo_gateway, ines, "Notre-Dame de Paris")
    assert not await found(demo_gateway, ines, "Astérix le Gaulois")
    # Other viewers' searches are not affected.
    assert await found(demo_gateway, None, "Notre-Dame de Paris")
    assert await found(demo_gateway, await bearer(demo_gateway, CAMILLE), "Astérix le Gaulois")


@pytest.mark.parametrize(
    "explicit",
    [{}, None, {"libraryCodes": []}, {"libraryCodes": ["MELVILLE"]}],
    ids=["empty", "null", "empty-list", "other-library"],
)
async def test_an_explicit_scope_replaces_the_preferences(
    demo_gateway: httpx.AsyncClient, explicit: dict[str, Any] | None
) -> None:
    ines = await bearer(demo_gateway, INES)
    await update(demo_gateway, ines, libraryCodes=["DURAS"], documentTypes=["COMIC"])

    assert not await found(demo_gateway, ines, "Notre-Dame de Paris")
    assert await found(demo_gateway, ines, "Notre-Dame de Paris", scope=explicit)


async def test_a_field_left_out_is_kept_and_an_empty_list_removes_the_restriction(
    demo_gateway: httpx.AsyncClient,
) -> None:
    ines = await bearer(demo_gateway, INES)
    await update(demo_gateway, ines, libraryCodes=["DURAS"], documentTypes=["BOOK"], sources=["PHYSICAL"])

    await update(demo_gateway, ines, documentTypes=[], sources=None)

    assert await stored(demo_gateway, INES) == scope(["DURAS"], [], ["PHYSICAL"])
    assert await found(demo_gateway, ines, "Astérix le Gaulois")
    assert not await found(demo_gateway, ines, "L'Étranger")  # an e-book: not PHYSICAL


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr", "Bibliothèques inconnues : NOWHERE, ZZZ."), ("en", "Unknown libraries: NOWHERE, ZZZ.")],
)
async def test_unknown_library_codes_are_refused_and_change_nothing(
    demo_gateway: httpx.AsyncClient, language: str, message: str
) -> None:
    ines = await bearer(demo_gateway, INES)
    await update(demo_gateway, ines, libraryCodes=["SAGAN"], documentTypes=["DVD"])

    payload = await update(
        demo_gateway,
        {**ines, "Accept-Language": language},
        libraryCodes=["DURAS", "NOWHERE", "ZZZ"],
        documentTypes=["BOOK"],
    )

    assert payload == {
        "preferences": None,
        "errors": [{"code": "UNKNOWN_LIBRARIES", "message": message, "field": ["input", "libraryCodes"]}],
    }
    assert await stored(demo_gateway, INES) == scope(["SAGAN"], ["DVD"], [])


async def test_portal_data_is_for_the_patron_and_staff_only(demo_gateway: httpx.AsyncClient) -> None:
    camille = await bearer(demo_gateway, CAMILLE)

    # Camille sees Léo's loans (accepted share), never his portal data.
    body = await graphql(demo_gateway, READ, {"id": LEO}, camille)
    assert body["data"]["patron"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["FORBIDDEN"]
    # Staff read it; nobody changes it but the patron.
    assert (await stored(demo_gateway, LEO))["libraries"] == []
    for headers, code in [(None, "UNAUTHENTICATED"), (STAFF, "FORBIDDEN")]:
        body = await graphql(demo_gateway, UPDATE, {"input": {"libraryCodes": ["DURAS"]}}, headers)
        assert [error["extensions"]["code"] for error in body["errors"]] == [code]
    assert (await stored(demo_gateway, LEO))["libraries"] == []
