"""The catalogue through the schema: search with scope and cursors, records, holdability, libraries."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract_files import operation
from tests.unit.schema_harness import ANONYMOUS, CAMILLE, STAFF, Harness, as_patron, codes

# The exact operation frontends send.
SEARCH_PAGE = operation("search-page")
SEARCH = """
query($q: String!, $first: Int, $after: String, $scope: SearchScopeInput) {
  search(query: $q, first: $first, after: $after, scope: $scope) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { title } }
  }
}
"""


def _holdability(data: dict[str, Any]) -> dict[str, list[str]]:
    return {e["node"]["title"]: e["node"]["holdability"]["reasons"] for e in data["search"]["edges"]}


async def test_search_page_for_camille_gives_each_fixed_record_its_reason() -> None:
    harness = Harness()
    hugo = await harness.data(SEARCH_PAGE, {"q": "Victor Hugo"}, viewer=as_patron(CAMILLE))
    assert _holdability(hugo) == {"Les Misérables": ["ALREADY_HELD"], "Notre-Dame de Paris": []}
    for query, reasons in [
        ("Le Petit Prince", ["AVAILABLE_ON_SHELF"]),
        ("L'Étranger", ["DIGITAL_DOCUMENT"]),
        ("Madame Bovary", []),
        ("Le Horla", ["NO_COPIES"]),
    ]:
        data = await harness.data(SEARCH_PAGE, {"q": query}, viewer=as_patron(CAMILLE))
        (node,) = [edge["node"] for edge in data["search"]["edges"]]
        assert node["holdability"] == {"holdable": not reasons, "reasons": reasons}, query


async def test_anonymous_holdability_says_sign_in() -> None:
    data = await Harness().data(SEARCH_PAGE, {"q": "Madame Bovary"}, viewer=ANONYMOUS)
    (edge,) = data["search"]["edges"]
    node = edge["node"]
    assert node["holdability"] == {"holdable": False, "reasons": ["NOT_SIGNED_IN"]}
    assert node["availableCount"] == 0
    assert [(i["status"], i["library"]["code"]) for i in node["items"]] == [
        ("CHECKED_OUT", "DURAS"),
        ("CHECKED_OUT", "LEDUC"),
        ("CHECKED_OUT", "BERR"),
    ]
    assert all(item["dueDate"] == "2026-12-12" for item in node["items"])


async def test_staff_without_an_account_cannot_reserve_for_itself() -> None:
    data = await Harness().data(SEARCH_PAGE, {"q": "Madame Bovary"}, viewer=STAFF)
    assert data["search"]["edges"][0]["node"]["holdability"]["reasons"] == ["NOT_SIGNED_IN"]


async def test_cursor_pagination_walks_every_result_once() -> None:
    harness = Harness()
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = await harness.data(SEARCH, {"q": "Roman", "first": 3, "after": after})
        search = data["search"]
        seen.extend(edge["node"]["title"] for edge in search["edges"])
        assert search["pageInfo"]["endCursor"] == search["edges"][-1]["cursor"]
        pages += 1
        if not search["pageInfo"]["hasNextPage"]:
            break
        after = search["pageInfo"]["endCursor"]
    assert search["totalCount"] == len(seen) == len(set(seen)) == 8
    assert pages == 3


async def test_an_empty_result_has_no_end_cursor() -> None:
    data = await Harness().data(SEARCH, {"q": "zzzz"})
    assert data["search"] == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"q": "Roman", "after": "not-a-cursor"}, "BAD_USER_INPUT"),
        ({"q": "Roman", "after": "b2Zmc2V0Oi0x"}, "BAD_USER_INPUT"),
        ({"q": "Roman", "first": 0}, "BAD_USER_INPUT"),
        ({"q": "Roman", "first": 101}, "BAD_USER_INPUT"),
    ],
)
async def test_bad_pagination_input_is_bad_user_input(variables: dict[str, Any], code: str) -> None:
    harness = Harness()
    result = await harness.run(SEARCH, variables)
    assert codes(result) == [code]
    assert harness.ils.calls["search"] == 0


@pytest.mark.parametrize(
    ("scope", "titles"),
    [
        ({"libraryCodes": ["HAVEL"]}, {"Notre-Dame de Paris"}),
        ({"sources": ["DIGITAL"]}, set()),
        ({"documentTypes": ["EBOOK"]}, set()),
        ({}, {"Les Misérables", "Notre-Dame de Paris"}),
        ({"libraryCodes": [], "sources": []}, {"Les Misérables", "Notre-Dame de Paris"}),
    ],
)
async def test_an_explicit_scope_restricts_the_search(scope: dict[str, Any], titles: set[str]) -> None:
    data = await Harness().data(SEARCH, {"q": "Victor Hugo", "scope": scope})
    assert {edge["node"]["title"] for edge in data["search"]["edges"]} == titles


async def test_search_records_are_not_fetched_again() -> None:
    harness = Harness()
    await harness.data(SEARCH_PAGE, {"q": "Roman"})
    assert harness.ils.calls["get_titles"] == 0
    assert harness.ils.calls["get_items"] == 1


async def test_record_library_and_libraries() -> None:
    harness = Harness()
    record_id = next(t.id for t in harness.ils.titles.values() if t.title == "Le Petit Prince")
    data = await harness.data(
        """query($id: ID!) {
          record(id: $id) { title isDigital availableCount items { library { code acceptsPickup } } }
          missing: record(id: "T-nope") { id }
          libraries { code }
          forney: library(code: "FORNEY") { name address acceptsPickup }
          atlantis: library(code: "ATLANTIS") { name }
        }""",
        {"id": record_id},
    )
    assert data["record"] == {
        "title": "Le Petit Prince",
        "isDigital": False,
        "availableCount": 1,
        "items": [
            {"library": {"code": "DURAS", "acceptsPickup": True}},
            {"library": {"code": "SAGAN", "acceptsPickup": True}},
        ],
    }
    assert data["missing"] is None and data["atlantis"] is None
    assert len(data["libraries"]) == 9
    assert data["forney"] == {"name": "Bibliothèque Forney", "address": "75004 Paris", "acceptsPickup": False}
    assert harness.ils.calls["get_libraries"] == 1


async def test_libraries_are_federation_entities() -> None:
    data = await Harness().data(
        """{ _entities(representations: [
              {__typename: "Library", code: "SAGAN"}, {__typename: "Library", code: "X"}
            ]) { ... on Library { code name } } }"""
    )
    assert data["_entities"] == [{"code": "SAGAN", "name": "Médiathèque Françoise Sagan"}, None]
