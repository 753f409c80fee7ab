"""GraphiQL in a real headless browser, with every host but the gateway unreachable.

Marked `browser`: skips cleanly where chromium is not installed (not required in CI).
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from gateway.assets import DEFAULT_DIR, missing_assets

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


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
