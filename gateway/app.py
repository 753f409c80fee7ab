"""The application factory: `create_app(settings, *, ils=None, store=None, clock=None)`.

Owns the assembly of the ASGI app: the schema with the gateway's extensions (built once),
the routes (/graphql as a Route, never a Mount, which would redirect; GraphiQL assets;
/healthz; /readyz; /metrics; /downloads/{token}; /shares/accept), the request-id middleware and the
lifespan that opens the runtime.
The CLI, the tests and the benchmarks all build the app here. Never reads the environment.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect
from starlette.routing import Route
from strawberry.federation import Schema

from adapters.ils.port import IlsPort
from adapters.store.port import PortalStore
from gateway.access_log import AccessLogMiddleware, OperationFacts
from gateway.assets import DEFAULT_DIR
from gateway.disconnects import client_gone
from gateway.errors import error_extensions
from gateway.graphiql import asset_routes
from gateway.graphql import GraphQLEndpoint
from gateway.in_flight import InFlightCount, InFlightLimit
from gateway.metrics import RequestCounts, metrics_routes
from gateway.request_id import RequestIdMiddleware
from gateway.routes.downloads import download_routes
from gateway.routes.health import health_routes
from gateway.routes.shares import share_routes
from gateway.runtime import open_runtime, sip2_config
from gateway.security import schema_extensions
from gateway.sessions import utc_now
from gateway.settings import Settings
from schema.sharing.mail import ShareMailer


def build_gateway_schema(settings: Settings) -> Schema:
    """The served schema: the features' types plus the gateway's limits, caches and error policy."""
    from schema.input_guard import input_guard
    from schema.payload_guard import guard_payloads
    from schema.root import build_schema

    encodings = ils_encodings(settings)
    schema = build_schema(
        extensions=(
            *schema_extensions(settings),
            input_guard(encodings),
            *error_extensions(mask=not settings.is_development),
            OperationFacts,
        ),
        hide_suggestions=not settings.is_development,
    )
    guard_payloads(schema, encodings)
    return schema


def ils_encodings(settings: Settings) -> tuple[str, str]:
    """The SIP2 link's send and receive encodings: what every value sent to the ILS must fit."""
    link = sip2_config(settings)
    return (link.encoding_out, link.encoding_in)


def create_app(
    settings: Settings,
    *,
    ils: IlsPort | None = None,
    store: PortalStore | None = None,
    clock: Callable[[], datetime] | None = None,
    share_mailer: ShareMailer | None = None,
) -> Starlette:
    """The gateway as an ASGI app; `ils`, `store`, `clock` and `share_mailer` replace the real ones
    in tests and demos."""
    now = clock or utc_now
    assets = settings.graphiql_assets_dir or DEFAULT_DIR
    endpoint = GraphQLEndpoint(
        build_gateway_schema(settings),
        graphiql=settings.graphiql,
        assets_dir=assets,
        max_body=settings.request_max_bytes,
        time_budget=settings.request_time_budget,
        ils_encodings=ils_encodings(settings),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_runtime(
            settings, ils=ils, store=store, clock=now, share_mailer=share_mailer
        ) as runtime:
            app.state.runtime = runtime
            yield

    requests, in_flight = RequestCounts(), InFlightCount()
    return Starlette(
        routes=[
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            *health_routes(),
            *metrics_routes(requests, in_flight),
            *download_routes(),
            *share_routes(),
            *asset_routes(assets),
        ],
        # The request id first, so the access line (written last) carries it; an overloaded
        # worker's 503 is logged too.
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(AccessLogMiddleware, requests=requests),
            Middleware(InFlightLimit, limit=settings.max_in_flight, count=in_flight),
        ],
        exception_handlers={ClientDisconnect: client_gone},
        lifespan=lifespan,
    )
