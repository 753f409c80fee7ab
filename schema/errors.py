"""GraphQL errors: the schema's own refusals and the mapping of every error to `extensions.code`.

Owns the codes of the contract (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND,
BAD_USER_INPUT, TOO_MANY_REQUESTS, ILS_UNAVAILABLE, INTERNAL_SERVER_ERROR)
and the extension that sets them on each error, with a message in the
request's language. A failing field yields partial data plus its error.
Never puts exception text, stack traces or query values in a message.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from adapters.errors import (
    GatewayError,
    IlsNotFound,
    IlsUnavailable,
    NotSupportedByIls,
    OutcomeUnknown,
    PeerProtocolError,
)
from schema.i18n import DEFAULT_LANGUAGE, has_message, translate


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"
    ILS_UNAVAILABLE = "ILS_UNAVAILABLE"
    # The library system cannot do or tell this at all (e.g. a search over SIP2 alone).
    NOT_SUPPORTED_BY_ILS = "NOT_SUPPORTED_BY_ILS"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class SchemaError(GatewayError):
    """A refusal by the GraphQL layer; `code` is its `extensions.code`, `message_code` its i18n key."""

    code: ErrorCode = ErrorCode.INTERNAL_SERVER_ERROR

    def __init__(self, message_code: str | None = None, **params: object) -> None:
        super().__init__(message_code or self.code.value)
        self.message_code = message_code or self.code.value
        self.params = params


class Unauthenticated(SchemaError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(SchemaError):
    code = ErrorCode.FORBIDDEN


class NotFound(SchemaError):
    code = ErrorCode.NOT_FOUND


class BadUserInput(SchemaError):
    code = ErrorCode.BAD_USER_INPUT


class TooManyRequests(SchemaError):
    code = ErrorCode.TOO_MANY_REQUESTS


# Expected codes: not bugs, so masking in production may let them through as they are.
EXPECTED_CODES = frozenset(ErrorCode) - {ErrorCode.INTERNAL_SERVER_ERROR}


def code_of(exception: BaseException | None) -> ErrorCode:
    """The `extensions.code` for an exception raised by a resolver."""
    if isinstance(exception, SchemaError):
        return exception.code
    if isinstance(exception, IlsNotFound):
        return ErrorCode.NOT_FOUND
    if isinstance(exception, NotSupportedByIls):
        return ErrorCode.NOT_SUPPORTED_BY_ILS
    # A lost answer or a garbled one on a read means the same to a client: try again later.
    if isinstance(exception, IlsUnavailable | OutcomeUnknown | PeerProtocolError):
        return ErrorCode.ILS_UNAVAILABLE
    return ErrorCode.INTERNAL_SERVER_ERROR


def message_of(exception: BaseException | None, code: ErrorCode, language: str) -> str:
    """The localized message; a SchemaError may carry a more precise message code."""
    if isinstance(exception, SchemaError):
        return translate(exception.message_code, language, **exception.params)
    return translate(code.value, language)


def apply_code(error: GraphQLError, language: str) -> GraphQLError:
    """Set `extensions.code` and the localized message on one error (in place), unless it has a code."""
    extensions = dict(error.extensions or {})
    if "code" in extensions:
        # A validation rule cannot know the request's language: it may give an i18n key instead.
        if error.original_error is None and has_message(error.message):
            error.message = translate(error.message, language)
        return error
    original = error.original_error
    # graphql-core's own errors before any field runs are about the request: a variable of the
    # wrong type, out of range or missing (then the original error is graphql-core's own, and
    # there is no path). Not an internal error: it must not be masked or logged as one.
    if original is None or (isinstance(original, GraphQLError) and not error.path):
        code = ErrorCode.BAD_USER_INPUT
        extensions["code"] = code.value
        error.extensions = extensions
        return error
    code = code_of(original)
    extensions["code"] = code.value
    error.extensions = extensions
    error.message = message_of(original, code, language)
    return error


def is_expected(error: GraphQLError) -> bool:
    """True for errors a client is meant to see as they are (for MaskErrors' should_mask_error)."""
    return (error.extensions or {}).get("code") in EXPECTED_CODES


class ErrorCodes(SchemaExtension):
    """Gives every execution error its `extensions.code` and a message in the request's language."""

    def on_operation(self) -> Iterator[None]:
        # Errors before execution (syntax, validation, introspection refused) are about the
        # request: BAD_USER_INPUT unless a rule gave its own code (QUERY_TOO_COMPLEX, ...).
        # A cached parse fails inside the parsing hooks: that error passes here raised.
        language = getattr(self.execution_context.context, "language", DEFAULT_LANGUAGE)
        try:
            yield
        except GraphQLError as raised:
            apply_code(raised, language)
            raise
        self._code_pre_execution_errors()

    # Also as soon as parsing and validation end, so the inner extensions (the request's log
    # line) see the final codes when they exit: the outermost one, this, exits last.
    def on_parse(self) -> Iterator[None]:
        yield
        self._code_pre_execution_errors()

    def on_validate(self) -> Iterator[None]:
        yield
        self._code_pre_execution_errors()

    def _code_pre_execution_errors(self) -> None:
        language = getattr(self.execution_context.context, "language", DEFAULT_LANGUAGE)
        for error in self.execution_context.pre_execution_errors or ():
            apply_code(error, language)

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        language = getattr(self.execution_context.context, "language", DEFAULT_LANGUAGE)
        for error in errors:
            apply_code(error, language)
