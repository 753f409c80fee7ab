"""GraphiQL in a real headless browser, with every host but the gateway unreachable.

Marked `browser`: skips cleanly where chromium is not installed (not required in CI).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn

from emulator.runner import RunningEmulator
from gateway.app import create_app
from gateway.assets import DEFAULT_DIR, missing_assets
from gateway.settings import Settings

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.fixture
async def served_gateway(ils: RunningEmulator, tmp_path: Path) -> AsyncIterator[str]:
    """The gateway under a real uvicorn on 127.0.0.1, port chosen by the system."""
    settings = Settings(
        ils_sip2_address=f"{ils.sip2_host}:{ils.sip2_port}",
        ils_soap_wsdl=ils.wsdl_url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}",
    )
    server = uvicorn.Server(uvicorn.Config(create_app(settings), access_log=False, log_level="warning"))
    sock = socket.create_server(("127.0.0.1", 0))
    # The socket listens already: connections wait in its backlog until uvicorn has started.
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
@pytest.mark.skipif(bool(missing_assets(DEFAULT_DIR)), reason="GraphiQL assets not installed")
async def test_graphiql_renders_offline_in_chromium(served_gateway: str, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    process = await asyncio.create_subprocess_exec(
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
        # No internet: every name but the gateway's address fails to resolve.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--virtual-time-budget=10000",
        "--dump-dom",
        f"{served_gateway}/graphql",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    dom, _ = await asyncio.wait_for(process.communicate(), timeout=60)

    html = dom.decode()
    # Rendered by React: GraphiQL's own container and editors replaced the loading text.
    assert "graphiql-container" in html
    assert "Loading the GraphiQL explorer" not in html
