"""The one-login rule and the prebuilt validation rules (which keep the validation cache hitting)."""

from __future__ import annotations

import pytest
from graphql import parse
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from gateway.app import build_gateway_schema
from gateway.security import CACHE_SIZE, build_validation_rules, count_login_fields, schema_extensions
from gateway.settings import Settings
from schema.context import Context
from schema.loaders import create_loaders
from tests.fakes import FakeIls, fake_store

LOGIN = 'login(identifier: "x", password: "y") { token }'
FRAGMENT_F = f"fragment F on Mutation {{ {LOGIN} }}"


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
def test_login_fields_are_counted_through_aliases_and_fragments(document: str, expected: int) -> None:
    assert count_login_fields(parse(document)) == expected


def test_rules_are_built_once_so_every_request_sees_the_same_classes() -> None:
    settings = Settings(secret_key="k")
    extensions = schema_extensions(settings)
    limits = next(ext for ext in extensions if ext.__name__ == "DocumentLimits")

    first, second = limits(), limits()  # what Strawberry does for two requests

    assert first.validation_rules == second.validation_rules
    assert all(a is b for a, b in zip(first.validation_rules, second.validation_rules, strict=True))


def test_separate_builds_give_separate_rules() -> None:
    settings = Settings(secret_key="k")

    assert build_validation_rules(settings) != build_validation_rules(settings)


async def test_repeated_documents_hit_the_parser_and_validation_caches() -> None:
    settings = Settings(secret_key="k")
    schema = build_gateway_schema(settings)
    validate_cache = _get_validate_cache(CACHE_SIZE)
    parse_cache = _get_parse_cache(CACHE_SIZE)
    document = "query CacheProbe { me { id } }"

    def context() -> Context:
        ils, store = FakeIls(), fake_store()
        return Context(viewer=None, ils=ils, store=store, auth=None, loaders=create_loaders(ils, store))  # type: ignore[arg-type]

    await schema.execute(document, context_value=context())
    validated, parsed = validate_cache.cache_info(), parse_cache.cache_info()
    for _ in range(3):
        result = await schema.execute(document, context_value=context())
        assert result.errors is None

    assert validate_cache.cache_info().hits == validated.hits + 3
    assert validate_cache.cache_info().misses == validated.misses
    assert parse_cache.cache_info().hits == parsed.hits + 3


def _context() -> Context:
    ils, store = FakeIls(), fake_store()
    return Context(viewer=None, ils=ils, store=store, auth=None, loaders=create_loaders(ils, store))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ("{ me { sharedAccounts { owner { sharedAccounts { owner { id } } } } } }", "QUERY_TOO_COMPLEX"),
        ("{ " + " ".join(f"a{n}: me {{ id }}" for n in range(4)) + " }", "QUERY_TOO_COMPLEX"),
        # Through fragments and inline fragments too.
        (
            "{ ...Q } fragment Q on Query { ... on Query { me { sharedAccounts { owner { "
            "sharedAccounts { owner { id } } } } } } }",
            "QUERY_TOO_COMPLEX",
        ),
        ("{ " + "me { id } " * 20 + "}", "QUERY_TOO_COMPLEX"),
        # Any other refused document is bad input: the contract gives every error a code.
        ("{ nope }", "BAD_USER_INPUT"),
        ("{ me { id }", "BAD_USER_INPUT"),
        ("{ __schema { queryType { name } } }", "BAD_USER_INPUT"),
        (f"mutation {{ a: {LOGIN} b: {LOGIN} }}", "TOO_MANY_REQUESTS"),
    ],
    ids=[
        "depth",
        "aliases",
        "depth-through-fragments",
        "tokens",
        "unknown-field",
        "syntax",
        "introspection",
        "logins",
    ],
)
async def test_every_refused_document_carries_a_contract_code(document: str, code: str) -> None:
    settings = Settings(
        secret_key="k", env="production", query_max_depth=3, query_max_aliases=3, query_max_tokens=40
    )
    schema = build_gateway_schema(settings)
    for _ in range(2):  # the second time, from the parser and validation caches
        result = await schema.execute(document, context_value=_context())
        assert result.errors is not None
        assert {(error.extensions or {}).get("code") for error in result.errors} == {code}
