"""A bare Starlette endpoint under uvicorn, run as a script: the baseline of the keep-alive latency test.

Answers POST /graphql with the JSON body `{ __typename }` gets from the gateway, on a
listening socket set up exactly like the gateway's (gateway.serve.listening_socket, port 0),
and prints its port on one line. Nothing else: what it costs is Starlette's and uvicorn's.
"""

from __future__ import annotations

import asyncio

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.serve import listening_socket


async def _typename(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse({"data": {"__typename": "Query"}})


async def _serve() -> None:
    app = Starlette(routes=[Route("/graphql", _typename, methods=["POST"])])
    sock = listening_socket("127.0.0.1", 0)
    print(sock.getsockname()[1], flush=True)
    await uvicorn.Server(uvicorn.Config(app, access_log=False, log_level="warning")).serve(sockets=[sock])


if __name__ == "__main__":
    asyncio.run(_serve())
