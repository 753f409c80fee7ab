"""What leaves the gateway about a GraphQL error: the masked form, and the one log line.

Owns error masking (production: an unexpected error says only "Unexpected error." with
`INTERNAL_SERVER_ERROR`, never a stack trace) and error logging: code, path, exception type
and request id. Codes and localized messages are set by the schema (schema/errors.py).
Never logs the query text, variables or messages, which may hold personal data;
Strawberry's own error logger (it prints the query) is bypassed by the schema itself
(schema/root.py, GatewaySchema.process_errors).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.extensions.base_extension import SchemaExtension

from gateway.request_id import request_id
from schema.errors import ErrorCode, is_expected

_log = logging.getLogger("gateway.graphql")

INTERNAL = ErrorCode.INTERNAL_SERVER_ERROR.value
# Errors with no exception behind them come from parsing or validating the document.
VALIDATION = "GRAPHQL_VALIDATION_FAILED"


def _code(error: GraphQLError) -> str:
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    return VALIDATION if error.original_error is None else INTERNAL


def is_unexpected(error: GraphQLError) -> bool:
    """An exception nobody planned for: the only kind that is masked."""
    return error.original_error is not None and not is_expected(error)


class ProductionMask(MaskErrors):
    """MaskErrors that keeps `extensions.code` (clients branch on it) and masks only the unexpected."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message="Unexpected error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": INTERNAL}
        return masked


class ErrorLog(SchemaExtension):
    """One log line per error: code, path, exception type, request id; nothing the client sent."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or ():
            _log_error(error)


def _log_error(error: GraphQLError) -> None:
    code = _code(error)
    path = ".".join(str(part) for part in error.path or ()) or "-"
    kind = type(error.original_error).__name__ if error.original_error is not None else "-"
    unexpected = code == INTERNAL
    # The traceback goes to the server's log only, and only for the unexpected.
    _log.log(
        logging.ERROR if unexpected else logging.INFO,
        "graphql error code=%s path=%s exception=%s request_id=%s",
        code,
        path,
        kind,
        request_id.get(),
        exc_info=error.original_error if unexpected else None,
    )


def error_extensions(*, mask: bool) -> tuple[type[SchemaExtension], ...]:
    """In order: masking (when asked) exits last, so ErrorLog sees the original errors first."""
    return (ProductionMask, ErrorLog) if mask else (ErrorLog,)
