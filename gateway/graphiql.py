"""The GraphiQL explorer page and its assets, all served by the gateway itself.

Owns the HTML page (GET /graphql with Accept: text/html) and the route of the asset files
installed at set-up by `gateway.assets`. Never references a URL outside the gateway, so the
explorer works without internet access; a strict Content-Security-Policy says so to the
browser too.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.assets import DEFAULT_DIR, missing_assets

ASSETS_PATH = "/graphiql-assets"
_INIT_SCRIPT = Path(__file__).resolve().parent / "static" / "graphiql-init.js"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Library gateway — GraphiQL</title>
<link rel="stylesheet" href="{assets}/graphiql.min.css">
<style>html, body, #graphiql {{ height: 100%; margin: 0; }}</style>
</head>
<body>
<div id="graphiql" data-endpoint="{endpoint}">Loading the GraphiQL explorer…</div>
<script src="{assets}/react.production.min.js"></script>
<script src="{assets}/react-dom.production.min.js"></script>
<script src="{assets}/graphiql.min.js"></script>
<script src="{assets}/graphiql-init.js"></script>
</body>
</html>
"""

_MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GraphiQL not installed</title></head>
<body><p>The GraphiQL assets are not installed: run <code>make</code> set-up
(<code>python -m gateway.assets</code>). Missing: {missing}.</p></body></html>
"""


async def _init_script(request: Request) -> FileResponse:
    return FileResponse(_INIT_SCRIPT, media_type="text/javascript")


def asset_routes(directory: Path = DEFAULT_DIR) -> list[BaseRoute]:
    """Our start-up script (source, not a built file) and the installed vendor files."""
    return [
        Route(f"{ASSETS_PATH}/{_INIT_SCRIPT.name}", _init_script, methods=["GET", "HEAD"]),
        Mount(ASSETS_PATH, app=StaticFiles(directory=directory, check_dir=False), name="graphiql-assets"),
    ]


def graphiql_page(endpoint: str, directory: Path = DEFAULT_DIR) -> HTMLResponse:
    """The explorer's page, or a page saying how to install it (never a CDN fallback)."""
    missing = missing_assets(directory)
    if missing:
        return HTMLResponse(_MISSING.format(missing=escape(", ".join(missing))), status_code=503)
    html = _PAGE.format(assets=ASSETS_PATH, endpoint=escape(endpoint, quote=True))
    return HTMLResponse(html, headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})
