"""What a document may ask, decided before it runs: size, cost, logins, introspection, suggestions.

Owns the DocumentGuard, the one schema extension that parses (through a cache bounded by
bytes, gateway/document_cache.py), measures each document once in linear time
(gateway/document_measure.py) and refuses it with QUERY_TOO_COMPLEX — saying which limit
and by how much, in the request's language — BEFORE graphql-core's own rules run (those are
quadratic in repeated fields and fragments: a 3 KB chain of fragments takes them seconds).
Only then are the standard rules run, their result cached per document and rule set, with
field suggestions ("Did you mean …") hidden in production and the schema closed to all but
staff there: `__schema`, `__type` and `_service` (the federation SDL).
Never looks at variable values; never logs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    ValidationRule,
    parse,
    validate,
)
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from gateway.document_cache import CachedDocument, DocumentCache
from gateway.document_measure import SATURATED, CostModel, DocumentMeasure, measure_document
from gateway.settings import Settings
from schema.i18n import DEFAULT_LANGUAGE, translate

# The contract's `extensions.code` for a document over one of the limits.
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
# graphql-core's rules compare every pair of fragments spread together and every pair of
# fields with one response name: bounded here, far above what the portal's frontends send.
MAX_FRAGMENTS = 50
MAX_REPEATS = 10
CLOSED_FIELDS = frozenset({"__schema", "__type", "_service"})


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """The limits of one gateway, from its settings."""

    max_depth: int
    max_aliases: int
    max_cost: int
    max_tokens: int
    cost_model: CostModel
    max_fragments: int = MAX_FRAGMENTS
    max_repeats: int = MAX_REPEATS

    @classmethod
    def from_settings(cls, settings: Settings) -> DocumentLimits:
        return cls(
            max_depth=settings.query_max_depth,
            max_aliases=settings.query_max_aliases,
            max_cost=settings.query_max_cost,
            max_tokens=settings.query_max_tokens,
            cost_model=CostModel(list_size=settings.query_list_size),
        )


def _shown(value: int) -> str:
    return str(value) if value < SATURATED else f"≥ {SATURATED}"


def refusals(measure: DocumentMeasure, limits: DocumentLimits, language: str) -> list[GraphQLError]:
    """One error per limit the document exceeds, localized; empty when it is within all of them."""
    errors: list[GraphQLError] = []
    checks = (
        ("depth", "QUERY_TOO_DEEP", measure.depth, limits.max_depth),
        ("aliases", "QUERY_TOO_MANY_ALIASES", measure.aliases, limits.max_aliases),
        ("cost", "QUERY_TOO_COSTLY", measure.cost, limits.max_cost),
        ("fragments", "QUERY_TOO_MANY_FRAGMENTS", measure.fragments, limits.max_fragments),
        ("repeats", "QUERY_FIELD_REPEATED", measure.repeats, limits.max_repeats),
    )
    for limit, key, actual, maximum in checks:
        if actual > maximum:
            message = translate(
                key,
                language,
                actual=_shown(actual),
                limit=maximum,
                list_size=limits.cost_model.list_size,
            )
            extensions = {"code": QUERY_TOO_COMPLEX, "limit": limit, "actual": actual, "maximum": maximum}
            errors.append(GraphQLError(message, extensions=extensions))
    if measure.logins > 1:
        # One request is one sign-in attempt, whatever the aliases and fragments.
        message = translate("ONE_LOGIN_PER_REQUEST", language)
        errors.append(GraphQLError(message, extensions={"code": "TOO_MANY_REQUESTS"}))
    return errors


class ClosedSchemaRule(ValidationRule):
    """Refuses introspection (`__schema`, `__type`) and the federation SDL (`_service`)."""

    def enter_field(self, node: FieldNode, *_args: Any) -> None:
        if node.name.value in CLOSED_FIELDS:
            # The message is an i18n key: schema/errors.py localizes it per request.
            self.report_error(
                GraphQLError("INTROSPECTION_DISABLED", node, extensions={"code": "BAD_USER_INPUT"})
            )


def _copy(error: GraphQLError) -> GraphQLError:
    """A request's own copy of a cached error: localizing and masking change it in place."""
    extensions = dict(error.extensions) if error.extensions else None
    return GraphQLError(
        error.message,
        error.nodes,
        error.source,
        error.positions,
        error.path,
        error.original_error,
        extensions,
    )


def _is_staff(context: Any) -> bool:
    viewer = getattr(context, "viewer", None)
    return bool(viewer is not None and viewer.is_staff)


def _too_long(error: GraphQLError, max_tokens: int) -> bool:
    return f"more than {max_tokens} tokens" in error.message


def schema_extensions(settings: Settings) -> Sequence[type[SchemaExtension]]:
    """The DocumentGuard of this gateway: its limits and its cache are built here, once."""
    limits = DocumentLimits.from_settings(settings)
    cache = DocumentCache(settings.query_cache_bytes)
    open_schema = settings.introspection_for_all
    hide_suggestions = not settings.is_development

    class DocumentGuard(SchemaExtension):
        """Parse (cached), measure, refuse or validate (cached); see the module's docstring."""

        entry: CachedDocument | None = None

        def _language(self) -> str:
            return str(getattr(self.execution_context.context, "language", DEFAULT_LANGUAGE))

        def on_operation(self) -> Iterator[None]:
            # Should Strawberry ever parse itself, the same limit.
            self.execution_context.parse_options["max_tokens"] = limits.max_tokens
            yield

        def on_parse(self) -> Iterator[None]:
            context = self.execution_context
            query = context.query
            if query and context.graphql_document is None:
                self.entry = cache.get(query) or self._parse(query)
                if self.entry.syntax_error is not None:
                    # Raised, not left to Strawberry, which would parse the text a second time;
                    # it answers a raised error as the request's only error.
                    raise self._syntax_error(self.entry.syntax_error)
                context.graphql_document = self.entry.document
            yield

        def _parse(self, query: str) -> CachedDocument:
            try:
                document = parse(query, max_tokens=limits.max_tokens)
            except GraphQLError as error:
                return cache.put_error(query, error)
            return cache.put(query, document)

        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            entry = self.entry
            if entry is None or context.graphql_document is not entry.document:
                assert context.graphql_document is not None
                entry = CachedDocument(context.graphql_document, 0)
            if entry.measure is None:
                entry.measure = measure_document(context.schema._schema, entry.document, limits.cost_model)
            refused = refusals(entry.measure, limits, self._language())
            context.pre_execution_errors = refused or self._validate(entry)
            yield

        def _syntax_error(self, cached: GraphQLError) -> GraphQLError:
            error = _copy(cached)
            if _too_long(error, limits.max_tokens):
                error.message = translate("QUERY_TOO_LONG", self._language(), limit=limits.max_tokens)
                error.extensions = {"code": QUERY_TOO_COMPLEX, "limit": "tokens"}
            return error

        def _validate(self, entry: CachedDocument) -> list[GraphQLError]:
            context = self.execution_context
            closed = () if open_schema or _is_staff(context.context) else (ClosedSchemaRule,)
            rules = (*context.validation_rules, MaybeNullValidationRule, OneOfInputValidationRule, *closed)
            errors = entry.validations.get(rules)
            if errors is None:
                schema = context.schema._schema
                found = validate(schema, entry.document, rules, hide_suggestions=hide_suggestions)
                errors = entry.validations[rules] = tuple(found)
            return [_copy(error) for error in errors]

    return (DocumentGuard,)
