"""The /graphql endpoint: Strawberry's ASGI view with the gateway's per-request Context.

Owns the Context of each request (viewer, language, loaders, the request's AuthService
with its session cookie) and the GraphiQL page. Batched requests are off (the schema has no
batching config); GET runs queries only; POST bodies must be JSON (Strawberry refuses other
content types, multipart is off), so a cross-site form can never carry a cookie session
into a mutation. Every refusal before GraphQL (gateway/request_body.py: size, encoding, JSON
shape, and Strawberry's own) is a localized GraphQL error body with a 4xx status.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
from cross_web import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.schema import BaseSchema

from adapters.ils.budget import DEFAULT_BUDGET, request_budget
from gateway.access_log import current_facts
from gateway.auth import RequestAuth
from gateway.graphiql import graphiql_page
from gateway.identity import client_address, identify
from gateway.request_body import (
    DEFAULT_MAX_BODY,
    Refusal,
    check_declared_size,
    decode_json_body,
    limited,
    refusal_for,
)
from schema.context import Context, SignIn
from schema.i18n import normalize_language
from schema.loaders import create_loaders

if TYPE_CHECKING:
    from gateway.runtime import Runtime

_log = logging.getLogger("gateway.graphql")


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's view, given the gateway's Context."""

    def __init__(
        self,
        schema: BaseSchema,
        *,
        graphiql: bool,
        assets_dir: Path,
        max_body: int = DEFAULT_MAX_BODY,
        time_budget: float | None = DEFAULT_BUDGET,
        ils_encodings: tuple[str, ...] = ("utf-8",),
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None, allow_queries_via_get=True)
        self._assets_dir = assets_dir
        self._max_body = max_body
        self._time_budget = time_budget
        self._ils_encodings = ils_encodings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=limited(receive, self._max_body))
        try:
            check_declared_size(scope, self._max_body)
            with request_budget(self._time_budget):  # every ILS read of this request ends within it
                response = await self.run(request)
        except Refusal as refusal:
            response = _refusal(refusal, request)
        except ClientDisconnect:
            # The client hung up before its body was read: nobody to answer, nothing went wrong.
            _log.debug("client disconnected before its request was read")
            facts = current_facts()
            if facts is not None:
                facts.client_gone = True
            return
        except HTTPException as error:
            # Strawberry answers these in plain text, which GraphiQL and clients cannot show;
            # a GraphQL error body says the same in the request's language.
            response = _refusal(refusal_for(error.status_code, error.reason), request)
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        return decode_json_body(data)

    def encode_json(self, data: object) -> bytes:
        # orjson: UTF-8 bytes as sent, 4 us for the 50-loan answer where json.dumps takes 59 us
        # (38 vs 220 us for 22 KB); the schema has no subscriptions, so no WebSocket frame
        # (text only) is ever encoded here. GraphQL results hold only str keys and JSON scalars.
        return orjson.dumps(data)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        runtime: Runtime = request.app.state.runtime
        settings = runtime.settings
        identity = await identify(
            request,
            sessions=runtime.sessions,
            staff_tokens=runtime.staff_tokens,
            cookie_name=settings.session_cookie_name,
        )

        def set_cookie(signed_in: SignIn) -> None:
            response.set_cookie(
                settings.session_cookie_name,
                signed_in.token or "",
                max_age=int(settings.session_absolute_timeout.total_seconds()),
                path="/",
                secure=not settings.is_development,
                httponly=True,
                samesite="lax",
            )

        def clear_cookie() -> None:
            response.delete_cookie(
                settings.session_cookie_name,
                path="/",
                secure=not settings.is_development,
                httponly=True,
                samesite="lax",
            )

        auth = RequestAuth(
            runtime.sign_in,
            address=client_address(request, settings.trusted_proxies),
            token=identity.session_token,
            set_cookie=set_cookie,
            clear_cookie=clear_cookie,
        )
        return Context(
            viewer=identity.viewer,
            ils=runtime.ils,
            store=runtime.store,
            auth=auth,
            loaders=create_loaders(runtime.ils, runtime.store, runtime.reference_cache),
            language=normalize_language(request.headers.get("accept-language")),
            ils_encodings=self._ils_encodings,
            today=runtime.today(),
            now=runtime.clock(),
            downloads=runtime.downloads,
            sharing=runtime.sharing,
            mail=runtime.mail,
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        # The page itself holds nothing; introspection (what it needs) is checked per request.
        return graphiql_page(request.url.path, self._assets_dir)


def _refusal(refusal: Refusal, request: Request) -> Response:
    """An HTTP-level refusal (bad body, too large, wrong method) as a GraphQL error body."""
    facts = current_facts()
    if facts is not None:
        facts.refusal = refusal.key
    message = refusal.message(normalize_language(request.headers.get("accept-language")))
    body = {"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]}
    return JSONResponse(body, status_code=refusal.status)
