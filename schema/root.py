"""The served schema: merges the features' Query and Mutation types into one federation v2 subgraph.

Owns only the merge and `build_schema`. Extensions are per request: pass
classes or zero-argument factories (a prebuilt instance is copied for each
request, never shared between concurrent requests). Validation rules (query
limits) should be built once at start-up and passed as `validation_rules`:
a limiter created per request brings new rule classes each time, and
Strawberry's ValidationCache, keyed by the rules, then never hits.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import AddValidationRules, SchemaExtension
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema.auth.mutations import AuthMutation
from schema.catalogue.queries import CatalogueQuery
from schema.circulation.mutations import CirculationMutation
from schema.errors import ErrorCodes
from schema.patrons.mutations import PatronMutation
from schema.patrons.queries import PatronQuery
from schema.portal.mutations import PortalMutation

ExtensionSpec = type[SchemaExtension] | Callable[[], SchemaExtension] | SchemaExtension

QUERY_TYPES: tuple[type, ...] = (PatronQuery, CatalogueQuery)
MUTATION_TYPES: tuple[type, ...] = (AuthMutation, CirculationMutation, PatronMutation, PortalMutation)

Query = merge_types("Query", QUERY_TYPES)
Mutation = merge_types("Mutation", MUTATION_TYPES)


class GatewaySchema(strawberry.federation.Schema):
    """The federation schema without Strawberry's own error logging.

    Strawberry logs every error with the whole query text (values included: a `login`
    carries the password) and a traceback. Turning its logger off is not enough: a
    logging configuration applied later (uvicorn's `dictConfig`) turns it back on. The
    gateway logs errors itself (gateway/errors.py: code, path, request id only).
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def build_schema(
    extensions: Sequence[ExtensionSpec] = (),
    *,
    validation_rules: Sequence[type[ASTValidationRule]] = (),
) -> GatewaySchema:
    """The gateway's schema; ErrorCodes always comes first so every error gets its code."""
    specs: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [ErrorCodes]
    if validation_rules:
        specs.append(_static_rules(validation_rules))
    specs.extend(_per_request(spec) for spec in extensions)
    return GatewaySchema(query=Query, mutation=Mutation, extensions=specs)


def _per_request(spec: ExtensionSpec) -> type[SchemaExtension] | Callable[[], SchemaExtension]:
    """A class or factory as it is; an instance becomes a factory of shallow copies (state per request)."""
    if isinstance(spec, SchemaExtension):
        return lambda: copy.copy(spec)
    return spec


def _static_rules(rules: Sequence[type[ASTValidationRule]]) -> type[SchemaExtension]:
    """One extension class adding the same rule classes to every request (ValidationCache keeps hitting)."""
    frozen = list(rules)

    class StaticValidationRules(AddValidationRules):
        def __init__(self) -> None:
            super().__init__(frozen)

    return StaticValidationRules
