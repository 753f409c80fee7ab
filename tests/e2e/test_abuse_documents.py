"""Abuse suite, documents: what froze or bloated the process is refused before it runs, quickly.

Issue 8, finding 2 (a ~1 KB chain of fragments each spreading the next twice took 11 s at
20 levels and never returned at 60) and finding 3 (15 aliases of `search(first: 100)` with
nested items took 47 s and 11.8 MB of output), plus the shapes graphql-core's own rules are
quadratic in (one field repeated, many fragments spread together).
"""

from __future__ import annotations

import contextlib
import statistics
import time

import httpx
import pytest
from graphql import GraphQLError, parse

from emulator.runner import RunningEmulator
from gateway.app import build_gateway_schema
from gateway.settings import Settings
from schema.context import Context
from schema.loaders import create_loaders
from tests.e2e.conftest import graphql, soap_count
from tests.fakes import FakeIls, fake_store


def fragment_chain(levels: int, salt: str = "") -> str:
    """Finding 2's document: F0 spreads F1 twice, F1 spreads F2 twice, ... (2^levels fields)."""
    chain = "\n".join(
        f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} __typename }}" for n in range(levels)
    )
    return f"# {salt}\nquery {{ ...F0 }}\n{chain}\nfragment F{levels} on Query {{ __typename }}"


NESTED_SEARCH = (
    'search(query: "a", first: 100) { edges { node { id items { id record { items { id } } } } } }'
)
SEARCH_ALIASES = "{ " + " ".join(f"a{n}: {NESTED_SEARCH}" for n in range(15)) + " }"


def _only_error(body: dict[str, object]) -> dict[str, object]:
    errors = body["errors"]
    assert isinstance(errors, list) and len(errors) >= 1
    assert body.get("data") is None
    first: dict[str, object] = errors[0]
    return first


@pytest.mark.parametrize("levels", [20, 60, 80])
async def test_the_fragment_chain_is_refused_as_too_costly(gateway: httpx.AsyncClient, levels: int) -> None:
    body = await graphql(gateway, fragment_chain(levels))

    error = _only_error(body)
    extensions = error["extensions"]
    assert isinstance(extensions, dict)
    assert (extensions["code"], extensions["limit"], extensions["maximum"]) == (
        "QUERY_TOO_COMPLEX",
        "cost",
        10_000,
    )
    assert extensions["actual"] == min(2 ** (levels + 1) - 1, 10**12)
    assert str(error["message"]).startswith("Requête trop complexe : coût estimé ")


async def test_a_chain_of_any_length_is_refused_by_the_token_limit(gateway: httpx.AsyncClient) -> None:
    body = await graphql(gateway, fragment_chain(1_000))  # 55 KB: within the body limit

    error = _only_error(body)
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "limit": "tokens"}
    assert error["message"] == "Requête trop longue : plus de 1000 éléments (jetons)."


def _context() -> Context:
    ils, store = FakeIls(), fake_store()
    return Context(viewer=None, ils=ils, store=store, auth=None, loaders=create_loaders(ils, store))  # type: ignore[arg-type]


async def _seconds(schema: object, document: str) -> float:
    started = time.perf_counter()
    result = await schema.execute(document, context_value=_context())  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started
    assert result.errors
    return elapsed


@pytest.mark.parametrize("levels", [80, 10_000], ids=["at-the-token-limit", "far-beyond-it"])
async def test_refusing_a_chain_costs_no_more_than_reading_it(levels: int) -> None:
    """Gross ratio, within one test: the whole refusal against graphql-core's bare parse of the text."""
    schema = build_gateway_schema(Settings(secret_key="k"))
    # Distinct texts every time: nothing comes from the cache.
    texts = [fragment_chain(levels, salt=str(n)) for n in range(7)]
    refusals = [await _seconds(schema, text) for text in texts]
    parses = []
    for text in texts:
        started = time.perf_counter()
        with contextlib.suppress(GraphQLError):
            parse(text, max_tokens=1000)
        parses.append(time.perf_counter() - started)

    # Before: graphql-core's rules alone took ~70 ms at 150 levels, Strawberry's limiters never returned.
    refusal, reading = statistics.median(refusals), statistics.median(parses)
    assert refusal < 3 * reading + 0.002, (
        f"refused in {refusal * 1000:.1f} ms, parsed in {reading * 1000:.1f} ms"
    )


async def test_aliased_deep_searches_are_refused_before_the_ils_is_asked(
    gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    searched = await soap_count(ils, "searchCatalog")

    body = await graphql(gateway, SEARCH_ALIASES, headers={"Accept-Language": "en"})

    error = _only_error(body)
    assert error["extensions"]["limit"] == "cost"  # type: ignore[index]
    assert str(error["message"]).startswith("Query too complex: estimated cost ")
    assert await soap_count(ils, "searchCatalog") == searched


async def test_one_field_repeated_hundreds_of_times_is_refused(gateway: httpx.AsyncClient) -> None:
    body = await graphql(gateway, "{ me { " + " ".join("loans { id }" for _ in range(200)) + " } }")

    error = _only_error(body)
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "repeats",
        "actual": 200,
        "maximum": 10,
    }


async def test_hundreds_of_fragments_are_refused(gateway: httpx.AsyncClient) -> None:
    spreads = " ".join(f"...B{n}" for n in range(100))
    fragments = " ".join(f"fragment B{n} on Query {{ __typename }}" for n in range(100))

    body = await graphql(gateway, f"query {{ {spreads} }} {fragments}")

    error = _only_error(body)
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "fragments",
        "actual": 100,
        "maximum": 50,
    }


async def test_the_contract_operations_pass_the_limits(gateway: httpx.AsyncClient) -> None:
    from tests.contract_files import operation

    body = await graphql(gateway, operation("search-page"), {"q": "Damasio"})

    assert "errors" not in body
    assert body["data"]["search"]["totalCount"] > 0


async def test_the_cost_limit_is_configurable(gateway_factory: object) -> None:
    document = '{ search(query: "a", first: 50) { totalCount } }'
    async with gateway_factory(query_max_cost=40) as gateway:  # type: ignore[operator]
        refused = await graphql(gateway, document)
        allowed = await graphql(gateway, '{ search(query: "a", first: 30) { totalCount } }')

    assert _only_error(refused)["extensions"]["actual"] == 51  # type: ignore[index]
    assert "errors" not in allowed
