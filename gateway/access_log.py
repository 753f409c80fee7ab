"""One log line per HTTP request: method, route, status, duration, and what the GraphQL layer learned.

Owns the request's `RequestFacts` (a context variable the GraphQL layer fills in: operation
name and type, error codes and paths, an HTTP refusal's reason) and the pure-ASGI middleware
that writes the line when the response is sent. The request id is on every line already
(gateway/logs.py). Never logs the query string, the body, headers, cookies or anything a
client typed: the route's path is the URL path without its query, and the operation name
is a GraphQL name taken from the parsed document, never the client's `operationName`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from graphql import FieldNode, GraphQLError, GraphQLSchema, OperationDefinitionNode, get_operation_ast
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions.base_extension import SchemaExtension

from gateway.metrics import RequestCounts, request_outcome

_log = logging.getLogger("gateway.access")

# Probes are polled every few seconds: their lines would drown the others.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# A path nobody routes (a scanner's) is logged as this, so the log cannot be filled with URLs.
MAX_PATH = 64
MAX_OPERATION_NAME = 64
# The status logged when the client hung up before any answer (nginx's convention): not a 5xx.
CLIENT_CLOSED = 499


@dataclass(slots=True)
class RequestFacts:
    """What is known about the request being served; filled in by whoever learns it."""

    operation: str | None = None
    operation_type: str | None = None
    # The operation's first root field, when the schema has it (a closed set: /metrics' label).
    root_field: str | None = None
    codes: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    refusal: str | None = None
    # The client went away before the request was read: nothing was answered.
    client_gone: bool = False


request_facts: ContextVar[RequestFacts | None] = ContextVar("request_facts", default=None)


def current_facts() -> RequestFacts | None:
    """The facts of the request being served (None outside a request)."""
    return request_facts.get()


def _path(scope: Scope) -> str:
    path = str(scope.get("path", ""))
    return path if len(path) <= MAX_PATH and path.isprintable() else "(other)"


def access_fields(scope: Scope, status: int, duration_ms: float, facts: RequestFacts) -> dict[str, object]:
    """The structured fields of the line (JSON keys in production)."""
    fields: dict[str, object] = {
        "event": "http.request",
        "method": str(scope.get("method", "")),
        "path": _path(scope),
        "status": status,
        "duration_ms": round(duration_ms, 1),
    }
    if facts.operation_type is not None:
        fields["operation"] = facts.operation or "-"
        fields["operation_type"] = facts.operation_type
    if facts.codes:
        fields["codes"] = facts.codes
        fields["error_paths"] = facts.paths
    if facts.refusal is not None:
        fields["refusal"] = facts.refusal
    return fields


def error_code(error: GraphQLError) -> str:
    """The error's `extensions.code` (every error has one once schema/errors.py has run)."""
    code = (error.extensions or {}).get("code")
    return code if isinstance(code, str) else "-"


class OperationFacts(SchemaExtension):
    """Notes the operation and its errors' codes and paths in the request's facts."""

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except GraphQLError as raised:
            # A document refused while parsing passes here raised (gateway/security.py).
            facts = current_facts()
            if facts is not None:
                facts.operation_type = "-"
                facts.codes.append(error_code(raised))
                facts.paths.append("-")
            raise
        facts = current_facts()
        if facts is None:
            return
        context = self.execution_context
        document = context.graphql_document
        operation = get_operation_ast(document, context.operation_name) if document else None
        facts.operation_type = operation.operation.value if operation is not None else "-"
        if operation is not None and operation.name is not None:
            facts.operation = operation.name.value[:MAX_OPERATION_NAME]
        if operation is not None:
            facts.root_field = _root_field(context.schema._schema, operation)
        for error in getattr(context.result, "errors", None) or ():
            facts.codes.append(error_code(error))
            facts.paths.append(".".join(str(part) for part in error.path or ()) or "-")


def _root_field(schema: GraphQLSchema, operation: OperationDefinitionNode) -> str | None:
    """The first field the operation selects at its root, if the schema's root type has it."""
    root = schema.get_root_type(operation.operation)
    first = next((s for s in operation.selection_set.selections if isinstance(s, FieldNode)), None)
    if root is None or first is None or first.name.value not in root.fields:
        return None
    return first.name.value


def _readable(fields: dict[str, object]) -> str:
    parts = []
    for key, value in fields.items():
        if key == "event":
            continue
        shown = ",".join(str(item) for item in value) if isinstance(value, list) else value
        parts.append(f"{key}={shown}")
    return "request " + " ".join(parts)


def _operation_label(facts: RequestFacts) -> str:
    if facts.operation_type is None:
        return "-"  # not a GraphQL operation (a download, a refused body)
    return f"{facts.operation_type}:{facts.root_field or '-'}"


class AccessLogMiddleware:
    """Writes the request's line once the response has started (its status known) and ended."""

    def __init__(self, app: ASGIApp, requests: RequestCounts | None = None) -> None:
        self.app = app
        self.requests = requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        facts = RequestFacts()
        token = request_facts.set(facts)
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            request_facts.reset(token)
            if facts.client_gone:
                status = CLIENT_CLOSED
            fields = access_fields(scope, status, (time.perf_counter() - started) * 1000, facts)
            quiet = scope.get("path") in QUIET_PATHS
            level = logging.DEBUG if quiet else logging.INFO
            _log.log(level, "%s", _readable(fields), extra={"fields": fields})
            if self.requests is not None and not quiet:
                self.requests.observe(_operation_label(facts), request_outcome(status, facts.codes))
