"""What the /graphql endpoint accepts as a request, before GraphQL sees it: size, encoding, JSON shape.

Owns the HTTP-level refusals: a body over the limit (checked from Content-Length and again
while reading, so a lying or chunked client is cut off at the limit, never buffered whole),
a query string over it, bytes that are not UTF-8, text that is not JSON, JSON nested too
deep for the parser, a JSON value that is not an object (or a list, which the endpoint then
refuses as a batch). Each is a `Refusal`: an HTTP status and an i18n key, answered as a
GraphQL error body in the request's language. Never logs or echoes what the body held.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from starlette.types import Message, Receive, Scope

from schema.i18n import has_message, translate

DEFAULT_MAX_BODY = 64 * 1024

# Strawberry's own refusals (plain English reasons) and the catalogue's keys for them.
_STRAWBERRY_REASONS = {
    "Unable to parse request body as JSON": "REQUEST_NOT_JSON",
    "Unsupported content type": "REQUEST_CONTENT_TYPE",
    "No GraphQL query found in the request": "REQUEST_NO_QUERY",
    "Batching is not enabled": "REQUEST_BATCH",
    "Too many operations": "REQUEST_BATCH",
    "GraphQL only supports GET and POST requests.": "REQUEST_METHOD",
    "Not Found": "NOT_FOUND",
}


@dataclass
class Refusal(Exception):
    """An HTTP request refused before GraphQL: its status, i18n key and the key's parameters."""

    status: int
    key: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self, language: str) -> str:
        return translate(self.key, language, **self.params)


def refusal_for(status: int, reason: str) -> Refusal:
    """A refusal from Strawberry's status and English reason (the reason is kept when unknown)."""
    key = _STRAWBERRY_REASONS.get(reason)
    if key is not None:
        return Refusal(status, key)
    if has_message(reason):
        return Refusal(status, reason)
    return Refusal(status, "REQUEST_REFUSED", {"reason": reason})


def too_large(limit: int) -> Refusal:
    return Refusal(413, "REQUEST_TOO_LARGE", {"limit": limit // 1024})


def check_declared_size(scope: Scope, limit: int) -> None:
    """Refuse at once what announces itself too large: Content-Length, or the query string of a GET."""
    if len(scope.get("query_string", b"")) > limit:
        raise Refusal(414, "REQUEST_TOO_LARGE", {"limit": limit // 1024})
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            declared = value.decode("latin-1").strip()
            if not declared.isdigit():
                raise Refusal(400, "REQUEST_REFUSED", {"reason": "Content-Length"})
            if int(declared) > limit:
                raise too_large(limit)


def limited(receive: Receive, limit: int) -> Receive:
    """`receive` that raises the 413 refusal as soon as the body read so far passes `limit` bytes."""
    seen = 0

    async def receive_within_limit() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise too_large(limit)
        return message

    return receive_within_limit


def decode_json_body(data: str | bytes) -> object:
    """The JSON object (or list) of a request; a `Refusal` for anything else."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise Refusal(400, "REQUEST_BAD_ENCODING") from None
    try:
        value = json.loads(text)
    except RecursionError:
        # The C parser recurses once per nesting level: 10,000 `[` exhaust the stack.
        raise Refusal(400, "REQUEST_TOO_DEEP") from None
    except ValueError:
        # JSONDecodeError, and integers too long to convert (ValueError too).
        raise Refusal(400, "REQUEST_NOT_JSON") from None
    if not isinstance(value, dict | list):
        raise Refusal(400, "REQUEST_NOT_AN_OBJECT")
    return value
