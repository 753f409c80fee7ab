"""build_schema: federation v2, extensions per request, validation rules that keep ValidationCache hitting."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any, ClassVar

from graphql import GraphQLError
from strawberry.extensions import QueryDepthLimiter, SchemaExtension, ValidationCache
from strawberry.extensions.validation_cache import _get_validate_cache

from adapters.errors import IlsNotFound, IlsUnavailable, OutcomeUnknown, PeerProtocolError
from schema.errors import ErrorCode, Forbidden, apply_code, code_of, is_expected
from schema.i18n import has_message, translate
from schema.root import build_schema
from tests.unit.schema_harness import CAMILLE, Harness, as_patron, codes

DOCUMENT = "{ libraries { code } }"


def test_the_schema_is_a_federation_v2_subgraph_with_its_entities() -> None:
    sdl = build_schema().as_str()
    assert "https://specs.apollo.dev/federation/v2" in sdl
    assert 'type Patron @key(fields: "id")' in sdl
    assert 'type Library @key(fields: "code")' in sdl


class _Recording(SchemaExtension):
    """Remembers which extension object ran each request."""

    # The objects themselves (not their ids, which a freed object could hand on).
    ran: ClassVar[list[SchemaExtension]] = []

    def on_execute(self) -> Iterator[None]:
        type(self).ran.append(self)
        yield


async def _run(schema_extensions: list[object], **kwargs: object) -> None:
    harness = Harness()
    schema = build_schema(schema_extensions, **kwargs)  # type: ignore[arg-type]
    from schema.context import Context
    from schema.loaders import create_loaders
    from tests.fakes import FakeAuth

    for _ in range(2):
        context = Context(
            viewer=None,
            ils=harness.ils,
            store=harness.store,
            auth=FakeAuth(harness.ils),
            loaders=create_loaders(harness.ils, harness.store),
            today=harness.ils.today,
        )
        result = await schema.execute(DOCUMENT, context_value=context)
        assert result.errors is None


async def test_extension_classes_and_instances_are_fresh_per_request_without_warnings() -> None:
    prebuilt = _Recording()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for spec in (_Recording, prebuilt):
            _Recording.ran = []
            await _run([spec])
            # One object per request, never shared by two requests (nor the prebuilt one itself).
            assert len({id(ran) for ran in _Recording.ran}) == 2
            assert all(ran is not prebuilt for ran in _Recording.ran)


async def test_prebuilt_validation_rules_keep_the_validation_cache_hitting() -> None:
    depth_rule = QueryDepthLimiter(max_depth=8).validation_rules[0]
    cache: Any = _get_validate_cache(971)
    before = cache.cache_info()
    await _run([lambda: ValidationCache(maxsize=971)], validation_rules=[depth_rule])
    after = cache.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


async def test_the_strawberry_0_341_trap_limiters_built_per_request_defeat_the_cache() -> None:
    cache: Any = _get_validate_cache(972)
    before = cache.cache_info()
    await _run([lambda: QueryDepthLimiter(max_depth=8), lambda: ValidationCache(maxsize=972)])
    after = cache.cache_info()
    # A new rule class per request: every request misses.
    assert (after.misses - before.misses, after.hits - before.hits) == (2, 0)


async def test_validation_rules_are_enforced() -> None:
    from graphql import ValidationRule

    class NoLibraries(ValidationRule):
        def enter_field(self, node, *_args):  # type: ignore[no-untyped-def]
            if node.name.value == "libraries":
                self.report_error(GraphQLError("no libraries"))

    schema = build_schema(validation_rules=[NoLibraries])
    result = await schema.execute(DOCUMENT)
    assert result.errors is not None and result.errors[0].message == "no libraries"


def test_gateway_errors_map_to_contract_codes() -> None:
    assert code_of(Forbidden()) is ErrorCode.FORBIDDEN
    assert code_of(IlsUnavailable("sip2", "timeout")) is ErrorCode.ILS_UNAVAILABLE
    assert code_of(OutcomeUnknown("renew", "lost")) is ErrorCode.ILS_UNAVAILABLE
    assert code_of(PeerProtocolError("bad checksum")) is ErrorCode.ILS_UNAVAILABLE
    assert code_of(IlsNotFound("X", "y")) is ErrorCode.NOT_FOUND
    assert code_of(KeyError("oops")) is ErrorCode.INTERNAL_SERVER_ERROR


def test_an_unexpected_error_gets_no_exception_text() -> None:
    error = GraphQLError("secret detail 1985-07-14", original_error=KeyError("secret"))
    apply_code(error, "en")
    assert (error.message, error.extensions) == ("Internal error.", {"code": "INTERNAL_SERVER_ERROR"})
    assert not is_expected(error)
    forbidden = apply_code(GraphQLError("x", original_error=Forbidden()), "fr")
    assert is_expected(forbidden) and forbidden.message == "Accès refusé."


def test_every_code_and_reason_has_french_and_english_messages() -> None:
    from schema.catalogue.enums import HoldBlock
    from schema.circulation.enums import RenewalBlock

    for code in [*ErrorCode, *RenewalBlock, *HoldBlock]:
        assert has_message(code.value), code
        assert translate(code.value, "fr", message="x") != translate(code.value, "en", message="x")
    assert translate("FORBIDDEN", "en-GB,en;q=0.9") == "Access denied."
    assert translate("FORBIDDEN", "de") == "Accès refusé."


async def test_me_through_the_default_schema() -> None:
    data = await Harness().data("{ me { id } }", viewer=as_patron(CAMILLE))
    assert data == {"me": {"id": CAMILLE}}


async def test_a_bad_variable_value_is_bad_user_input_not_an_internal_error() -> None:
    # Out of the 32-bit range, of the wrong type, or missing: graphql-core refuses them before
    # any resolver runs, with an error of its own as the original error.
    harness = Harness()
    document = 'query($first: Int!) { search(query: "Roman", first: $first) { totalCount } }'
    for variables in ({"first": 2**40}, {"first": "abc"}, {}):
        result = await harness.run(document, variables)
        assert codes(result) == ["BAD_USER_INPUT"], variables
    assert harness.ils.calls["search"] == 0
