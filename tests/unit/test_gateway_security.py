"""The document measure (depth, aliases, logins, cost, repeats) and the DocumentGuard that refuses by it."""

from __future__ import annotations

import pytest
from graphql import parse

from gateway.app import build_gateway_schema
from gateway.document_cache import DocumentCache
from gateway.document_measure import SATURATED, CostModel, measure_document
from gateway.settings import Settings
from schema.context import Context, Viewer
from schema.loaders import create_loaders
from tests.contract_files import operation
from tests.fakes import FakeIls, fake_store

LOGIN = 'login(identifier: "x", password: "y") { token }'
FRAGMENT_F = f"fragment F on Mutation {{ {LOGIN} }}"
SCHEMA = build_gateway_schema(Settings(secret_key="k"))._schema


def _measure(document: str, list_size: int = 10) -> object:
    return measure_document(SCHEMA, parse(document), CostModel(list_size=list_size))


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (f"mutation {{ {LOGIN} }}", 1),
        (f"mutation {{ a: {LOGIN} b: {LOGIN} }}", 2),
        (f"mutation {{ ...F ...F }} fragment F on Mutation {{ {LOGIN} }}", 2),
        (f"mutation {{ ...G }} fragment G on Mutation {{ ...F ...F }} {FRAGMENT_F}", 2),
        (f"mutation {{ ... on Mutation {{ {LOGIN} }} {LOGIN} }}", 2),
        (f"mutation A {{ {LOGIN} }} mutation B {{ {LOGIN} }}", 2),
        # A query cannot run login; a cycle of fragments does not loop forever.
        ("query { me { id } }", 0),
        (f"mutation {{ ...F }} fragment F on Mutation {{ ...F {LOGIN} }}", 1),
        ("mutation { logout }", 0),
    ],
)
def test_logins_are_counted_through_aliases_and_fragments(document: str, expected: int) -> None:
    assert _measure(document).logins == expected  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("document", "depth"),
    [
        ("{ __typename }", 0),
        ("{ me { id } }", 1),
        ("{ me { sharedAccounts { owner { sharedAccounts { owner { id } } } } } }", 5),
        ("{ ...Q } fragment Q on Query { ... on Query { me { sharedAccounts { owner { id } } } } }", 3),
    ],
)
def test_depth_counts_fields_below_the_root_through_fragments(document: str, depth: int) -> None:
    assert _measure(document).depth == depth  # type: ignore[attr-defined]


def test_the_cost_multiplies_down_the_tree_by_first_or_the_default_list_size() -> None:
    # me 1 + loans 1 + 10 loans x (id 1 + item 1 + record 1 + title 1)
    assert _measure("{ me { loans { id item { record { title } } } } }").cost == 2 + 10 * 4  # type: ignore[attr-defined]
    assert _measure("{ me { loans { id } } }", list_size=3).cost == 2 + 3  # type: ignore[attr-defined]
    # search(first: 5): the connection's subtree is multiplied once; its edges count 1.
    search = '{ search(query: "x", first: 5) { totalCount edges { node { id } } } }'
    assert _measure(search).cost == 1 + 5 * (1 + 1 + 1 + 1)  # type: ignore[attr-defined]
    # Without `first`, its default (20); a variable counts as the maximum page (100).
    assert _measure('{ search(query: "x") { totalCount } }').cost == 1 + 20  # type: ignore[attr-defined]
    variable = 'query($n: Int) { search(query: "x", first: $n) { totalCount } }'
    assert _measure(variable).cost == 1 + 100  # type: ignore[attr-defined]


def test_the_contract_operations_are_well_within_the_default_cost() -> None:
    costs = {name: _measure(operation(name)).cost for name in ("dashboard", "search-page")}  # type: ignore[attr-defined]

    assert costs == {"dashboard": 1660, "search-page": 1521}
    assert all(cost < Settings(secret_key="k").query_max_cost for cost in costs.values())


def _fragment_chain(levels: int) -> str:
    chain = "\n".join(
        f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} __typename }}" for n in range(levels)
    )
    return f"query {{ ...F0 }}\n{chain}\nfragment F{levels} on Query {{ __typename }}"


def test_a_fragment_chain_is_measured_without_expanding_it() -> None:
    measure = _measure(_fragment_chain(150))

    assert measure.cost == SATURATED  # type: ignore[attr-defined]
    assert measure.fragments == 151  # type: ignore[attr-defined]


def test_repeats_count_one_response_name_in_one_selection_set_inline_fragments_merged() -> None:
    assert _measure("{ me { id id ... on Patron { id } } }").repeats == 3  # type: ignore[attr-defined]
    assert _measure("{ me { id } a: me { id } }").repeats == 1  # type: ignore[attr-defined]


def _context(viewer: Viewer | None = None, language: str = "fr") -> Context:
    ils, store = FakeIls(), fake_store()
    return Context(
        viewer=viewer,
        ils=ils,
        store=store,
        auth=None,  # type: ignore[arg-type]
        loaders=create_loaders(ils, store),
        language=language,
    )


@pytest.mark.parametrize(
    ("document", "code", "limit"),
    [
        (
            "{ me { sharedAccounts { owner { sharedAccounts { owner { id } } } } } }",
            "QUERY_TOO_COMPLEX",
            "depth",
        ),
        ("{ " + " ".join(f"a{n}: me {{ id }}" for n in range(4)) + " }", "QUERY_TOO_COMPLEX", "aliases"),
        (
            "{ ...Q } fragment Q on Query { ... on Query { me { sharedAccounts { owner { "
            "sharedAccounts { owner { id } } } } } } }",
            "QUERY_TOO_COMPLEX",
            "depth",
        ),
        ("{ " + "me { id } " * 20 + "}", "QUERY_TOO_COMPLEX", "tokens"),
        ('{ search(query: "x", first: 100) { edges { node { id isbn } } } }', "QUERY_TOO_COMPLEX", "cost"),
        ("{ me { " + "id " * 11 + "} }", "QUERY_TOO_COMPLEX", "repeats"),
        # Any other refused document is bad input: the contract gives every error a code.
        ("{ nope }", "BAD_USER_INPUT", None),
        ("{ me { id }", "BAD_USER_INPUT", None),
        ("{ __schema { queryType { name } } }", "BAD_USER_INPUT", None),
        ("{ _service { sdl } }", "BAD_USER_INPUT", None),
        ('{ __type(name: "Patron") { name } }', "BAD_USER_INPUT", None),
        (f"mutation {{ a: {LOGIN} b: {LOGIN} }}", "TOO_MANY_REQUESTS", None),
    ],
    ids=[
        "depth",
        "aliases",
        "depth-through-fragments",
        "tokens",
        "cost",
        "repeats",
        "unknown-field",
        "syntax",
        "introspection",
        "service-sdl",
        "type-introspection",
        "logins",
    ],
)
async def test_every_refused_document_carries_a_contract_code(
    document: str, code: str, limit: str | None
) -> None:
    settings = Settings(
        secret_key="k",
        env="production",
        query_max_depth=3,
        query_max_aliases=3,
        query_max_tokens=40,
        query_max_cost=300,
    )
    schema = build_gateway_schema(settings)
    for _ in range(2):  # the second time, from the cache
        result = await schema.execute(document, context_value=_context())
        assert result.errors is not None
        assert {(error.extensions or {}).get("code") for error in result.errors} == {code}
        assert {(error.extensions or {}).get("limit") for error in result.errors} == {limit}


async def test_a_refusal_says_which_limit_and_by_how_much_in_the_request_language() -> None:
    schema = build_gateway_schema(Settings(secret_key="k", query_max_depth=3))
    deep = "{ me { sharedAccounts { owner { sharedAccounts { owner { id } } } } } }"

    french = await schema.execute(deep, context_value=_context())
    english = await schema.execute(deep, context_value=_context(language="en"))

    assert [error.message for error in french.errors or ()] == [
        "Requête trop complexe : 5 niveaux d'imbrication pour 3 au plus."
    ]
    assert [error.message for error in english.errors or ()] == [
        "Query too complex: 5 levels of nesting, 3 at most."
    ]
    assert (french.errors or [])[0].extensions == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "depth",
        "actual": 5,
        "maximum": 3,
    }


async def test_the_cached_validation_is_localized_per_request() -> None:
    schema = build_gateway_schema(Settings(secret_key="k", env="production"))
    document = "{ __schema { queryType { name } } }"

    french = await schema.execute(document, context_value=_context())
    english = await schema.execute(document, context_value=_context(language="en"))

    assert [error.message for error in french.errors or ()] == [
        "L'introspection du schéma est réservée au personnel."
    ]
    assert [error.message for error in english.errors or ()] == ["Schema introspection is for staff only."]


async def test_staff_may_introspect_and_read_the_sdl_in_production() -> None:
    schema = build_gateway_schema(Settings(secret_key="k", env="production"))
    staff = Viewer(patron_id=None, is_staff=True)

    result = await schema.execute(
        "{ _service { sdl } __schema { queryType { name } } }", context_value=_context(staff)
    )

    assert result.errors is None
    assert "type Patron" in result.data["_service"]["sdl"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        ("{ me { displayNam } }", None),
        ("query($f: LoanFilter) { me { loans(filter: $f) { id } } }", {"f": "OVERDU"}),
    ],
    ids=["field", "enum-variable"],
)
async def test_no_suggestions_in_production(document: str, variables: dict[str, str] | None) -> None:
    production = build_gateway_schema(Settings(secret_key="k", env="production"))
    development = build_gateway_schema(Settings(secret_key="k"))

    hidden = await production.execute(document, variable_values=variables, context_value=_context())
    shown = await development.execute(document, variable_values=variables, context_value=_context())

    assert hidden.errors and not any("Did you mean" in error.message for error in hidden.errors)
    assert shown.errors and any("Did you mean" in error.message for error in shown.errors)


def test_the_document_cache_is_bounded_by_bytes() -> None:
    cache = DocumentCache(max_bytes=200_000)
    for n in range(50):
        query = "{ me { " + "id " * 100 + "} }" + f"# {n}"
        cache.put(query, parse(query))

    assert cache.current_bytes <= 200_000
    assert 0 < len(cache) < 50
    huge = "{ me { " + "id " * 1000 + "} }"
    assert cache.put(huge, parse(huge)).document is not None  # used once, not kept
    assert cache.get(huge) is None


async def test_a_repeated_document_is_parsed_and_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import gateway.security as security

    calls = {"parse": 0, "validate": 0}
    real_parse, real_validate = security.parse, security.validate

    def counting_parse(*args: object, **kwargs: object) -> object:
        calls["parse"] += 1
        return real_parse(*args, **kwargs)  # type: ignore[arg-type]

    def counting_validate(*args: object, **kwargs: object) -> object:
        calls["validate"] += 1
        return real_validate(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(security, "parse", counting_parse)
    monkeypatch.setattr(security, "validate", counting_validate)
    schema = build_gateway_schema(Settings(secret_key="k"))
    for _ in range(4):
        result = await schema.execute("query CacheProbe { me { id } }", context_value=_context())
        assert result.errors is None

    assert calls == {"parse": 1, "validate": 1}
