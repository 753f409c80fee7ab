"""`GET /downloads/{token}`: the file a signed download link names, or a short page saying why not.

Owns the HTTP side of downloads. No session cookie is read: the token alone says who asked
for what (a browser opens the link in a new tab). In order: verify the token (404 if it is
not one this gateway signed, 410 once expired), re-check access by the access rule with the
shares as they are now (403: a share ended since), read and render (schema/downloads/), and
answer the file with its name (Content-Disposition with a UTF-8 `filename*`). Refusals are a
short HTML page in the browser's language, never a stack trace; an ILS that does not answer
is a 503. Nothing here logs the token or the file's content.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from adapters.errors import IlsUnavailable, OutcomeUnknown, PeerProtocolError
from schema.downloads.filenames import ascii_filename
from schema.downloads.produce import DownloadFile, DownloadGone, produce, still_allowed
from schema.downloads.tokens import ExpiredDownload, InvalidDownload
from schema.i18n import normalize_language, translate
from schema.loaders import create_loaders

if TYPE_CHECKING:
    from gateway.runtime import Runtime

_log = logging.getLogger("gateway.downloads")

# Personal data: never cached, never sent on as a Referer, never sniffed into another type.
_PRIVATE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    # An exported HTML page has no script and loads nothing; the refusal pages neither.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
}


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII `filename` and the exact UTF-8 `filename*` (RFC 6266, RFC 5987)."""
    return f"attachment; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def _page(status: int, message_code: str, language: str) -> Response:
    title = html.escape(translate("DOWNLOAD_PAGE_TITLE", language), quote=False)
    message = html.escape(translate(message_code, language), quote=False)
    body = (
        f'<!doctype html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head>\n<body><h1>{title}</h1>\n<p>{message}</p></body>\n</html>\n"
    )
    return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers=_PRIVATE)


def _file(file: DownloadFile) -> Response:
    headers = {**_PRIVATE, "Content-Disposition": content_disposition(file.filename)}
    return Response(file.body, media_type=file.content_type, headers=headers)


async def download(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    language = normalize_language(request.headers.get("accept-language"))
    now = runtime.clock()
    try:
        grant = runtime.downloads.tokens.verify(request.path_params["token"], now)
    except InvalidDownload:
        return _page(404, "DOWNLOAD_INVALID", language)
    except ExpiredDownload:
        return _page(410, "DOWNLOAD_EXPIRED", language)
    try:
        if not await still_allowed(grant, runtime.store, now):
            return _page(403, "DOWNLOAD_FORBIDDEN", language)
        file = await produce(
            grant,
            ils=runtime.ils,
            loaders=create_loaders(runtime.ils, runtime.store, runtime.reference_cache),
            downloads=runtime.downloads,
            today=runtime.today(),
        )
    except DownloadGone:
        return _page(404, "DOWNLOAD_GONE", language)
    except (IlsUnavailable, OutcomeUnknown, PeerProtocolError, SQLAlchemyError, OSError) as error:
        _log.warning("download unavailable: %s", type(error).__name__)
        response = _page(503, "DOWNLOAD_UNAVAILABLE", language)
        response.headers["Retry-After"] = "30"
        return response
    return _file(file)


def download_routes() -> list[Route]:
    return [Route("/downloads/{token}", download, methods=["GET", "HEAD"])]
