"""The /graphql endpoint: Strawberry's ASGI view with the gateway's per-request Context.

Owns the Context of each request (viewer, language, loaders, the request's AuthService
with its session cookie) and the GraphiQL page. Batched requests are off (the schema has no
batching config); GET runs queries only; POST bodies must be JSON (Strawberry refuses other
content types, multipart is off), so a cross-site form can never carry a cookie session
into a mutation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.schema import BaseSchema

from gateway.auth import RequestAuth
from gateway.graphiql import graphiql_page
from gateway.identity import client_address, identify
from schema.context import Context, SignIn
from schema.i18n import normalize_language, translate
from schema.loaders import create_loaders

if TYPE_CHECKING:
    from gateway.runtime import Runtime


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's view, given the gateway's Context."""

    def __init__(self, schema: BaseSchema, *, graphiql: bool, assets_dir: Path) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None, allow_queries_via_get=True)
        self._assets_dir = assets_dir

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            response = await self.run(request)
        except HTTPException as error:
            # Strawberry answers these in plain text, which GraphiQL and clients cannot show;
            # a GraphQL error body says the same in the request's language.
            response = _refusal(error, normalize_language(request.headers.get("accept-language")))
        await response(scope, receive, send)

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
            address=client_address(request),
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
            today=runtime.today(),
            now=runtime.clock(),
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        # The page itself holds nothing; introspection (what it needs) is checked per request.
        return graphiql_page(request.url.path, self._assets_dir)


def _refusal(error: HTTPException, language: str) -> Response:
    """An HTTP-level refusal (unknown operation, bad body, wrong method) as a GraphQL error body."""
    message = f"{translate('BAD_USER_INPUT', language)} ({error.reason})"
    body = {"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]}
    return JSONResponse(body, status_code=error.status_code)
