"""The catalogue through the schema: search with scope and cursors, records, holdability, libraries."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from schema.catalogue import pagination
from schema.catalogue.pagination import MAX_OFFSET
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


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "after",
    [
        # Digits that str.isdigit() accepts but int() refuses, or reads as a number.
        _cursor("offset:²"),
        _cursor("offset:٣"),
        # More digits than int() converts; an offset beyond what the ILS can page to.
        _cursor("offset:" + "9" * 5000),
        _cursor("offset:99999999999999999999999"),
        _cursor(f"offset:{MAX_OFFSET}"),
    ],
    ids=["superscript", "arabic-indic", "5000-digits", "beyond-int64", "beyond-max-offset"],
)
async def test_a_forged_cursor_is_bad_user_input_never_an_internal_error(after: str) -> None:
    harness = Harness()
    result = await harness.run(SEARCH, {"q": "Roman", "after": after}, language="en")
    assert codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None and result.errors[0].message == "Invalid pagination cursor."
    assert harness.ils.calls["search"] == 0


async def test_the_deepest_page_has_no_next_page_whose_cursor_would_be_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pagination, "MAX_OFFSET", 4)
    harness = Harness()
    first = await harness.data(SEARCH, {"q": "Roman", "first": 3})
    assert first["search"]["pageInfo"]["hasNextPage"] is True
    after = first["search"]["pageInfo"]["endCursor"]
    second = (await harness.data(SEARCH, {"q": "Roman", "first": 3, "after": after}))["search"]
    # 8 results, but a cursor past offset 4 is refused: the walk ends here, never on an error.
    assert (second["totalCount"], len(second["edges"])) == (8, 3)
    assert second["pageInfo"]["hasNextPage"] is False
    refused = await harness.run(SEARCH, {"q": "Roman", "after": second["pageInfo"]["endCursor"]})
    assert codes(refused) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    ("query", "scope"),
    [
        ("Roman\x00", None),
        ("Roman \ud800", None),
        ("Roman " * 100, None),
        ("Roman", {"libraryCodes": [f"L{n}" for n in range(51)]}),
        ("Roman", {"libraryCodes": ["DURAS\x01"]}),
        ("Roman", {"libraryCodes": ["X" * 65]}),
    ],
    ids=["nul", "lone-surrogate", "too-long", "51-libraries", "control-char-code", "65-char-code"],
)
async def test_a_search_the_ils_cannot_take_is_bad_user_input(
    query: str, scope: dict[str, Any] | None
) -> None:
    harness = Harness()
    result = await harness.run(SEARCH, {"q": query, "scope": scope})
    assert codes(result) == ["BAD_USER_INPUT"]
    assert [error.message for error in result.errors or ()] == [
        "Recherche impossible : texte trop long ou caractères interdits, ou bibliothèques inconnues."
    ]
    assert harness.ils.calls["search"] == 0


async def test_repeated_scope_values_count_once() -> None:
    harness = Harness()
    scope = {"libraryCodes": ["HAVEL"] * 60, "sources": ["PHYSICAL"] * 3, "documentTypes": ["BOOK"] * 11}
    data = await harness.data(SEARCH, {"q": "Victor Hugo", "scope": scope})
    assert {edge["node"]["title"] for edge in data["search"]["edges"]} == {"Notre-Dame de Paris"}


@pytest.mark.parametrize("record_id", ["T\x00", "T" * 65, ""], ids=["nul", "65-chars", "empty"])
async def test_an_id_no_record_can_have_is_null_without_asking_the_ils(record_id: str) -> None:
    harness = Harness()
    record_id_ok = next(t.id for t in harness.ils.titles.values() if t.title == "Le Petit Prince")
    data = await harness.data(
        "query($bad: ID!, $ok: ID!) { bad: record(id: $bad) { title } ok: record(id: $ok) { title } }",
        {"bad": record_id, "ok": record_id_ok},
    )
    assert data == {"bad": None, "ok": {"title": "Le Petit Prince"}}
    assert harness.ils.batches["get_titles"] == [[record_id_ok]]
