"""Saved searches over HTTP against the emulator: saveSearch, rename, delete (each yes and no), and
`results`, which re-runs the search now with the same cursor pagination as `search`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.store.database import Database
from adapters.store.port import CatalogueScope
from adapters.store.saved_searches import SqlSavedSearchRepository
from tests.e2e.conftest import Clock, bearer, graphql

CAMILLE, LEO, INES = "2900000001", "2900000002", "2900000003"
STAFF = {"Authorization": "Bearer staff:staff-token-1"}

SAVED = "savedSearch { id name query createdAt scope { libraries { code } documentTypes sources } }"
SAVE = f"""
mutation S($name: String!, $query: String!, $scope: SearchScopeInput) {{
  saveSearch(name: $name, query: $query, scope: $scope) {{ {SAVED} errors {{ code message field }} }}
}}
"""
SAVE_NO_SCOPE = f"""
mutation S($name: String!, $query: String!) {{
  saveSearch(name: $name, query: $query) {{ {SAVED} errors {{ code message field }} }}
}}
"""
RENAME = f"""
mutation R($id: ID!, $name: String!) {{
  renameSavedSearch(savedSearchId: $id, name: $name) {{ {SAVED} errors {{ code message field }} }}
}}
"""
DELETE = "mutation D($id: ID!) { deleteSavedSearch(savedSearchId: $id) { deleted errors { code field } } }"
PAGE = "totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }"
RESULTS = f"""
query Q($first: Int, $after: String) {{
  me {{ savedSearches {{ id name results(first: $first, after: $after) {{ {PAGE} }} }} }}
}}
"""
SEARCH = f"""
query S($q: String!, $scope: SearchScopeInput, $first: Int, $after: String) {{
  search(query: $q, scope: $scope, first: $first, after: $after) {{ {PAGE} }}
}}
"""
PREFERENCES = (
    "mutation P($input: SearchPreferencesInput!) {"
    " updateSearchPreferences(input: $input) { errors { code } } }"
)


async def mutate(
    client: httpx.AsyncClient, document: str, headers: dict[str, str] | None, **variables: Any
) -> Any:
    body = await graphql(client, document, variables, headers)
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    return payload


async def saved_searches(
    client: httpx.AsyncClient, headers: dict[str, str], **page: Any
) -> list[dict[str, Any]]:
    body = await graphql(client, RESULTS, page, headers)
    assert "errors" not in body, body
    found: list[dict[str, Any]] = body["data"]["me"]["savedSearches"]
    return found


async def test_a_saved_search_runs_again_with_the_same_pagination_as_search(
    demo_gateway: httpx.AsyncClient, clock: Clock
) -> None:
    ines = await bearer(demo_gateway, INES)
    scope = {"libraryCodes": ["SAGAN"], "documentTypes": ["BOOK"]}

    payload = await mutate(demo_gateway, SAVE, ines, name=" Livres à Sagan ", query="", scope=scope)

    assert payload["errors"] == []
    assert payload["savedSearch"] | {"id": None} == {
        "id": None,
        "name": "Livres à Sagan",
        "query": "",
        "createdAt": clock.now.isoformat(),
        "scope": {"libraries": [{"code": "SAGAN"}], "documentTypes": ["BOOK"], "sources": []},
    }
    (first,) = await saved_searches(demo_gateway, ines, first=3)
    searched = (await graphql(demo_gateway, SEARCH, {"q": "", "scope": scope, "first": 3}))["data"]["search"]
    assert first["results"] == searched and searched["totalCount"] > 6
    after = searched["pageInfo"]["endCursor"]
    (second,) = await saved_searches(demo_gateway, ines, first=3, after=after)
    next_page = await graphql(demo_gateway, SEARCH, {"q": "", "scope": scope, "first": 3, "after": after})
    assert second["results"] == next_page["data"]["search"]
    assert second["results"]["edges"][0]["node"] != first["results"]["edges"][0]["node"]

    bad = await graphql(demo_gateway, RESULTS, {"first": 3, "after": "not-a-cursor"}, ines)
    assert [e["extensions"]["code"] for e in bad["errors"]] == ["BAD_USER_INPUT"]


async def test_without_scope_the_preferences_of_the_moment_are_kept(demo_gateway: httpx.AsyncClient) -> None:
    ines = await bearer(demo_gateway, INES)
    await mutate(
        demo_gateway, PREFERENCES, ines, input={"libraryCodes": ["MELVILLE"], "sources": ["PHYSICAL"]}
    )

    kept = await mutate(demo_gateway, SAVE_NO_SCOPE, ines, name="Hugo", query="Notre-Dame de Paris")
    everywhere = await mutate(demo_gateway, SAVE, ines, name="Partout", query="Notre-Dame de Paris", scope={})
    await mutate(demo_gateway, PREFERENCES, ines, input={"libraryCodes": ["DURAS"]})

    assert kept["savedSearch"]["scope"] == {
        "libraries": [{"code": "MELVILLE"}],
        "documentTypes": [],
        "sources": ["PHYSICAL"],
    }
    assert everywhere["savedSearch"]["scope"] == {"libraries": [], "documentTypes": [], "sources": []}
    results = {s["name"]: s["results"]["totalCount"] for s in await saved_searches(demo_gateway, ines)}
    assert results == {"Hugo": 1, "Partout": 1}  # Notre-Dame is at MELVILLE, not at DURAS


async def test_rename_and_delete(demo_gateway: httpx.AsyncClient) -> None:
    ines, camille = await bearer(demo_gateway, INES), await bearer(demo_gateway, CAMILLE)
    first = (await mutate(demo_gateway, SAVE, ines, name="Romans", query="roman", scope=None))["savedSearch"]
    other = (await mutate(demo_gateway, SAVE, ines, name="Polars", query="polar", scope=None))["savedSearch"]

    taken = await mutate(demo_gateway, RENAME, ines, id=other["id"], name="ROMANS")
    assert taken == {
        "savedSearch": None,
        "errors": [
            {
                "code": "SAVED_SEARCH_NAME_TAKEN",
                "message": "Vous avez déjà une recherche enregistrée nommée « ROMANS ».",
                "field": ["name"],
            }
        ],
    }
    again = await mutate(demo_gateway, SAVE, ines, name="romans", query="x", scope=None)
    assert [e["code"] for e in again["errors"]] == ["SAVED_SEARCH_NAME_TAKEN"]
    renamed = await mutate(demo_gateway, RENAME, ines, id=other["id"], name="Romans noirs")
    assert (renamed["savedSearch"]["name"], renamed["savedSearch"]["query"]) == ("Romans noirs", "polar")

    not_found = {"deleted": False, "errors": [{"code": "SAVED_SEARCH_NOT_FOUND", "field": ["savedSearchId"]}]}
    assert await mutate(demo_gateway, DELETE, camille, id=first["id"]) == not_found
    renamed_by_other = await mutate(demo_gateway, RENAME, camille, id=first["id"], name="À moi")
    assert [e["code"] for e in renamed_by_other["errors"]] == ["SAVED_SEARCH_NOT_FOUND"]
    assert await mutate(demo_gateway, DELETE, ines, id=first["id"]) == {"deleted": True, "errors": []}
    assert await mutate(demo_gateway, DELETE, ines, id=first["id"]) == not_found
    assert [s["name"] for s in await saved_searches(demo_gateway, ines)] == ["Romans noirs"]


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"name": " ", "query": "roman"}, "NAME_REQUIRED", ["name"]),
        ({"name": "n" * 101, "query": "roman"}, "NAME_TOO_LONG", ["name"]),
        ({"name": "Nul", "query": "roman\u0000"}, "INVALID_SEARCH", ["query"]),
        ({"name": "Long", "query": "roman " * 60}, "INVALID_SEARCH", ["query"]),
        (
            {"name": "Ailleurs", "query": "roman", "scope": {"libraryCodes": ["DURAS", "NOWHERE"]}},
            "UNKNOWN_LIBRARIES",
            ["scope", "libraryCodes"],
        ),
    ],
    ids=["blank-name", "long-name", "nul-query", "long-query", "unknown-library"],
)
async def test_a_search_that_cannot_be_kept_is_refused_and_nothing_is_saved(
    demo_gateway: httpx.AsyncClient, variables: dict[str, Any], code: str, field: list[str]
) -> None:
    ines = await bearer(demo_gateway, INES)

    payload = await mutate(demo_gateway, SAVE, ines, **{"scope": None, **variables})

    assert payload["savedSearch"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert payload["errors"][0]["message"] and payload["errors"][0]["message"] != code
    assert await saved_searches(demo_gateway, ines) == []


async def test_at_most_100_saved_searches(demo_gateway: httpx.AsyncClient, tmp_path: Path) -> None:
    ines = {**await bearer(demo_gateway, INES), "Accept-Language": "en"}
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}")
    try:
        saved = SqlSavedSearchRepository(database.sessions, Clock())
        for n in range(100):
            await saved.create(INES, f"Recherche {n}", "roman", CatalogueScope(), max_saved=100)
    finally:
        await database.close()

    payload = await mutate(demo_gateway, SAVE, ines, name="Une de trop", query="roman", scope=None)

    assert payload == {
        "savedSearch": None,
        "errors": [
            {
                "code": "TOO_MANY_SAVED_SEARCHES",
                "message": "You already have 100 saved searches: delete one to save another.",
                "field": None,
            }
        ],
    }


async def test_saved_searches_are_for_the_patron_and_staff_only(demo_gateway: httpx.AsyncClient) -> None:
    camille, leo = await bearer(demo_gateway, CAMILLE), await bearer(demo_gateway, LEO)
    await mutate(demo_gateway, SAVE, leo, name="BD", query="Mortelle Adèle", scope=None)
    read = 'query { patron(id: "2900000002") { savedSearches { name } } }'

    shared = await graphql(demo_gateway, read, None, camille)
    assert [e["extensions"]["code"] for e in shared["errors"]] == ["FORBIDDEN"]
    assert (await graphql(demo_gateway, read, None, STAFF))["data"]["patron"]["savedSearches"] == [
        {"name": "BD"}
    ]
    for headers, code in [(None, "UNAUTHENTICATED"), (STAFF, "FORBIDDEN")]:
        body = await graphql(demo_gateway, SAVE, {"name": "X", "query": "x"}, headers)
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]
