"""Query limits and validation rules: depth, aliases, tokens, one `login` per document, introspection.

Owns the schema extensions that guard what a document may ask. The validation rule classes
are built ONCE (at start-up) and reused by every request: Strawberry's `ValidationCache`
keys its LRU cache on the rule classes, so a limiter passed as a `lambda:` factory (a fresh
rule class per request) would miss the cache every time. Never looks at variable values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from gateway.settings import Settings

LOGIN_FIELD = "login"
# The contract's `extensions.code` for a document over the depth, alias or token limits.
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
# One cache size for parsed documents and validation results: the known operations of the
# portal and the apps fit easily; unique query texts cannot grow memory beyond it.
CACHE_SIZE = 256


def count_login_fields(document: DocumentNode) -> int:
    """How many `login` fields the document's mutations would run, aliases and fragments included."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    return sum(
        _count_in(definition.selection_set, fragments, frozenset())
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode) and definition.operation is OperationType.MUTATION
    )


def _count_in(
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    seen: frozenset[str],
) -> int:
    # `login` is a root field of Mutation, so only the root selection set (and the fragments
    # spread into it, at any nesting of spreads) can hold one.
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += selection.name.value == LOGIN_FIELD
        elif isinstance(selection, InlineFragmentNode):
            total += _count_in(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            # A cycle is reported by the standard NoFragmentCycles rule; do not recurse forever.
            if fragment is not None and name not in seen:
                total += _count_in(fragment.selection_set, fragments, seen | {name})
    return total


class OneLoginRule(ValidationRule):
    """At most one `login` per document, so one request is one sign-in attempt."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        if count_login_fields(context.document) > 1:
            self.report_error(
                # The message is an i18n key: schema/errors.py localizes it per request.
                GraphQLError("ONE_LOGIN_PER_REQUEST", extensions={"code": "TOO_MANY_REQUESTS"})
            )


def _too_complex(rule: type[ValidationRule]) -> type[ValidationRule]:
    """`rule` with its refusals coded QUERY_TOO_COMPLEX, the contract's code for the query limits.

    Strawberry's limiters report plain errors (no `extensions.code`) from their constructor.
    """

    class TooComplex(rule):  # type: ignore[misc, valid-type]
        def __init__(self, context: ValidationContext) -> None:
            report = context.on_error

            def coded(error: GraphQLError) -> None:
                error.extensions = {**(error.extensions or {}), "code": QUERY_TOO_COMPLEX}
                report(error)

            context.on_error = coded  # type: ignore[method-assign]
            try:
                super().__init__(context)
            finally:
                context.on_error = report  # type: ignore[method-assign]

    TooComplex.__name__ = rule.__name__
    return TooComplex


def build_validation_rules(settings: Settings) -> tuple[type[ASTValidationRule], ...]:
    """The document limits, as rule classes built once."""
    return (
        _too_complex(depth_validator(settings.query_max_depth, None, None)),
        _too_complex(alias_validator(settings.query_max_aliases)),
        OneLoginRule,
    )


def _code_if_too_long(error: GraphQLError, max_tokens: int) -> None:
    if f"more than {max_tokens} tokens" in error.message:
        error.extensions = {**(error.extensions or {}), "code": QUERY_TOO_COMPLEX}


def _viewer_is_staff(context: Any) -> bool:
    viewer = getattr(context, "viewer", None)
    return bool(viewer is not None and viewer.is_staff)


def schema_extensions(settings: Settings) -> Sequence[type[SchemaExtension]]:
    """The security and caching extensions, as classes whose rules were built here, once."""
    rules = build_validation_rules(settings)
    closed_rules = (*rules, NoSchemaIntrospectionCustomRule)
    introspection_for_all = settings.introspection_for_all
    max_tokens = settings.query_max_tokens

    class DocumentLimits(AddValidationRules):
        """Adds the prebuilt rules; introspection is refused unless open to all or staff."""

        def __init__(self) -> None:
            super().__init__(list(rules))

        def on_operation(self) -> Iterator[None]:
            context = self.execution_context.context
            allowed = introspection_for_all or _viewer_is_staff(context)
            # Two possible tuples only, so the validation cache stays effective.
            chosen = rules if allowed else closed_rules
            self.execution_context.validation_rules = (*self.execution_context.validation_rules, *chosen)
            yield

    class TokenLimit(MaxTokensLimiter):
        def __init__(self) -> None:
            super().__init__(max_token_count=max_tokens)

        def on_operation(self) -> Iterator[None]:
            # graphql-core's parser refuses a long document with a plain syntax error: code it.
            # ParserCache parses while the parsing hooks are entered, so the error leaves them
            # unseen and passes here, raised, on its way out of the operation.
            self.execution_context.parse_options["max_tokens"] = max_tokens
            try:
                yield
            except GraphQLError as raised:
                _code_if_too_long(raised, max_tokens)
                raise
            for error in self.execution_context.pre_execution_errors or ():
                _code_if_too_long(error, max_tokens)

    class Parsing(ParserCache):
        def __init__(self) -> None:
            super().__init__(maxsize=CACHE_SIZE)

    class Validation(ValidationCache):
        def __init__(self) -> None:
            super().__init__(maxsize=CACHE_SIZE)

    return (TokenLimit, DocumentLimits, Parsing, Validation)
