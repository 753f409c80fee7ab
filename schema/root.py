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
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError, GraphQLObjectType
from strawberry.extensions import AddValidationRules, SchemaExtension
from strawberry.federation.schema import FederationAny
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, Info
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField

from schema.auth.mutations import AuthMutation
from schema.catalogue.queries import CatalogueQuery
from schema.circulation.mutations import CirculationMutation
from schema.entities import TYPENAME, checked, too_many
from schema.errors import ErrorCodes
from schema.patrons.mutations import PatronMutation
from schema.patrons.queries import PatronQuery
from schema.portal.mutations import PortalMutation
from schema.portal.queries import PortalQuery
from schema.sharing.mutations import SharingMutation

ExtensionSpec = type[SchemaExtension] | Callable[[], SchemaExtension] | SchemaExtension

QUERY_TYPES: tuple[type, ...] = (PatronQuery, CatalogueQuery, PortalQuery)
MUTATION_TYPES: tuple[type, ...] = (
    AuthMutation,
    CirculationMutation,
    PatronMutation,
    PortalMutation,
    SharingMutation,
)

Query = merge_types("Query", QUERY_TYPES)
# The document limits the gateway enforces (gateway/security.py), as clients see them.
QUERY_LIMITS = """Every document is measured before it runs and refused with
QUERY_TOO_COMPLEX (extensions: limit, actual, maximum) beyond, by default: depth 12
(root fields are 0), 15 aliases, 1000 tokens, 50 fragments, one field 10 times at one
level, and a cost of 10000. The cost counts each field once per parent object; a list
multiplies what is below it by its `first` argument (a variable counts as 100, an absent
one as its default) or else by 10; a connection's `edges` count 1. At most one `login`
per document. Operators may change these (GATEWAY_QUERY_*)."""
get_object_definition(Query, strict=True).description = QUERY_LIMITS
Mutation = merge_types("Mutation", MUTATION_TYPES)


class GatewaySchema(strawberry.federation.Schema):
    """The federation schema without Strawberry's own error logging.

    Strawberry logs every error with the whole query text (values included: a `login`
    carries the password) and a traceback. Turning its logger off is not enough: a
    logging configuration applied later (uvicorn's `dictConfig`) turns it back on. The
    gateway logs errors itself (gateway/errors.py: code, path, request id only).
    """

    #: graphql-core's "Did you mean …?" in the errors of execution (variable values): off in
    #: production, where they help a guessing tool recover the schema. Set by `build_schema`.
    hide_suggestions: bool = False

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None

    _entity_keys: dict[str, tuple[str, ...]] | None = None

    def entities_resolver(self, info: Info, representations: list[FederationAny]) -> list[FederationAny]:
        """Federation `_entities`, each representation checked first (schema/entities.py).

        Strawberry's own resolver fails the whole field with an internal error on an unknown
        type or a missing `__typename`, and each entity with one on a missing or extra key.
        """
        error = too_many(representations)
        if error is not None:
            raise error  # one error for the call, before any reference is resolved
        keys = self._keys_by_type()
        results: list[FederationAny] = []
        for index, representation in enumerate(representations):
            outcome = checked(index, representation, keys)
            if isinstance(outcome, tuple):
                type_name, values = outcome
                clean = FederationAny({TYPENAME: type_name, **values})
                (outcome,) = super().entities_resolver(info, [clean])  # type: ignore[assignment]
            results.append(FederationAny(outcome))
        return results

    def _keys_by_type(self) -> dict[str, tuple[str, ...]]:
        """Each entity type's key fields: the arguments of its `resolve_reference`, but `info`."""
        if self._entity_keys is None:
            found: dict[str, tuple[str, ...]] = {}
            for name, type_ in self.schema_converter.type_map.items():
                origin = getattr(getattr(type_, "definition", None), "origin", None)
                resolve = getattr(origin, "resolve_reference", None)
                if resolve is not None:
                    arguments = inspect.signature(resolve).parameters
                    found[name] = tuple(a for a in arguments if a not in ("cls", "info"))
            self._entity_keys = found
        return self._entity_keys

    def _get_custom_context_kwargs(
        self, operation_extensions: dict[str, Any] | None = None, *, sync: bool = False
    ) -> dict[str, Any]:
        # Strawberry 0.341 (pinned) passes these to graphql-core's `execute`.
        kwargs = super()._get_custom_context_kwargs(operation_extensions, sync=sync)
        return {**kwargs, "hide_suggestions": self.hide_suggestions}


def build_schema(
    extensions: Sequence[ExtensionSpec] = (),
    *,
    validation_rules: Sequence[type[ASTValidationRule]] = (),
    hide_suggestions: bool = False,
) -> GatewaySchema:
    """The gateway's schema; ErrorCodes always comes first so every error gets its code."""
    specs: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [ErrorCodes]
    if validation_rules:
        specs.append(_static_rules(validation_rules))
    specs.extend(_per_request(spec) for spec in extensions)
    schema = GatewaySchema(query=Query, mutation=Mutation, extensions=specs)
    schema.hide_suggestions = hide_suggestions
    plain_attribute_resolvers(schema)
    return schema


def plain_attribute_resolvers(schema: strawberry.Schema) -> int:
    """Resolve the plain attribute fields (no resolver, no extension, no exception handler) with
    one `getattr` instead of Strawberry's `_get_basic_result` -> `get_result` -> default
    resolver; how many fields it changed. Strawberry's own fast path for these fields does the
    same with two more Python calls per field; schema extensions' `resolve` hooks run as
    graphql-core middleware, around any resolver, so they are unaffected."""
    if schema.config.default_resolver is not getattr:
        return 0  # a custom default resolver: keep Strawberry's path, which calls it
    changed = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for graphql_field in graphql_type.fields.values():
            field = graphql_field.extensions.get("strawberry-definition")
            resolve = graphql_field.resolve
            if (
                isinstance(field, StrawberryField)
                and field.is_basic_field
                and getattr(resolve, "_is_default", False)
                and getattr(resolve, "__name__", "") == "_get_basic_result"
            ):
                graphql_field.resolve = _attribute(field.python_name)
                changed += 1
    return changed


def _attribute(name: str) -> Callable[..., Any]:
    def resolve(source: Any, info: Any, **arguments: Any) -> Any:
        return getattr(source, name)

    resolve._is_default = True  # type: ignore[attr-defined]  # Strawberry's marker: a plain field
    return resolve


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
