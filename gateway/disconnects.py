"""Clients that hang up before their request is read: a debug line, never a traceback or a 5xx.

Owns the Starlette exception handler for `ClientDisconnect`, raised by any route reading a
body the client stopped sending (the share-acceptance form; /graphql handles its own). A
client that closes while its answer is computed or sent needs nothing here: uvicorn drops
what is sent to a closed connection. The access line says 499 (nginx's "client closed").
Never logs what the body held.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from gateway.access_log import current_facts

_log = logging.getLogger("gateway.http")


async def client_gone(request: Request, _error: Exception) -> Response:
    """Notes the hang-up; the answer goes nowhere (uvicorn drops it)."""
    _log.debug("client disconnected before its request was read")
    facts = current_facts()
    if facts is not None:
        facts.client_gone = True
    return Response(status_code=400)
