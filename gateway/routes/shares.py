"""`GET /shares/accept?token=…` (the page an e-mailed link opens) and its form's `POST /shares/accept`.

Owns the HTTP side of consent by link. The GET changes nothing (a mail scanner that follows
the link accepts nothing): it checks the token, records that the page was opened and shows
who asks, what they would see and do, the scope and end-day choices, and Accept / Decline.
Only the POST acts, and only with the page's CSRF token, which is bound to the share token
(gateway can tell a form it rendered for this very link). The store then uses the token up
(schema/sharing/consent.py, the same steps as acceptAccountShareByToken). A used, expired,
tampered or cross-account link gets a plain page in the browser's language with a 4xx
status, never a 500; nothing here logs a token or a name.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from adapters.errors import IlsUnavailable, OutcomeUnknown, PeerProtocolError
from adapters.ils.models import AccountParts
from adapters.store.port import ShareScope
from adapters.store.share_port import ShareRequest, ShareRequestStatus
from gateway.identity import identify
from gateway.share_page import ConfirmationView, confirmation_page, message_page
from schema.i18n import normalize_language
from schema.sharing import consent
from schema.sharing.service import ACCEPT_PATH

if TYPE_CHECKING:
    from gateway.runtime import Runtime

_log = logging.getLogger("gateway.shares")

# The form is a token, a CSRF token, two choices and a date: a few hundred bytes.
MAX_FORM_BYTES = 4096
_NO_PARTS = AccountParts(loans=False, holds=False, fees=False)
_HEADERS = {
    "Cache-Control": "no-store",
    # The link carries the token: never sent on as a Referer.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
    ),
}
_PAGE_OF = {
    "SHARE_TOKEN_INVALID": (404, "SHARE_PAGE_INVALID"),
    "SHARE_REQUEST_NOT_FOUND": (404, "SHARE_PAGE_INVALID"),
    "SHARE_REQUEST_ANSWERED": (410, "SHARE_PAGE_USED"),
    "SHARE_REQUEST_EXPIRED": (410, "SHARE_PAGE_EXPIRED"),
    "SHARE_TOKEN_OTHER_ACCOUNT": (403, "SHARE_PAGE_OTHER_ACCOUNT"),
}


class _BadForm(Exception):
    pass


def _page(status: int, body: str) -> Response:
    return HTMLResponse(body, status_code=status, headers=_HEADERS)


def _refusal(language: str, refused: consent.Refused) -> Response:
    status, code = _PAGE_OF.get(refused.code, (400, refused.code))
    return _page(status, message_page(language, code))


async def _open_request(
    runtime: Runtime, request: Request, token: str
) -> tuple[ShareRequest, str] | consent.Refused:
    """The open request the token names, for whoever holds the link (not another signed-in patron)."""
    settings = runtime.settings
    identity = await identify(
        request,
        sessions=runtime.sessions,
        staff_tokens=runtime.staff_tokens,
        cookie_name=settings.session_cookie_name,
    )
    now = runtime.clock()
    found = await consent.request_of_token(runtime.sharing, runtime.store, token, identity.viewer, now)
    if isinstance(found, consent.Refused):
        return found
    share_request, _ = found
    status = share_request.effective_status(now)
    if status is ShareRequestStatus.EXPIRED:
        return consent.Refused("SHARE_REQUEST_EXPIRED", "token")
    if status is not ShareRequestStatus.PENDING:
        return consent.Refused("SHARE_REQUEST_ANSWERED", "token")
    return found


async def _name(runtime: Runtime, patron_id: str) -> str:
    (account,) = await runtime.ils.get_accounts([patron_id], _NO_PARTS)
    return "" if account is None else account.patron.display_name


async def show(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    language = normalize_language(request.headers.get("accept-language"))
    token = request.query_params.get("token", "")
    try:
        found = await _open_request(runtime, request, token)
        if isinstance(found, consent.Refused):
            return _refusal(language, found)
        share_request, _ = found
        await runtime.store.share_requests.opened(share_request.id, runtime.clock())
        view = ConfirmationView(
            language=language,
            requester_name=await _name(runtime, share_request.requester_id),
            card_number=share_request.card_number,
            expires_on=share_request.expires_at.date().isoformat(),
            token=token,
            csrf=runtime.sharing.tokens.csrf(token),
            action=ACCEPT_PATH,
            earliest_end=(runtime.today() + timedelta(days=1)).isoformat(),
        )
        return _page(200, confirmation_page(view))
    except (IlsUnavailable, OutcomeUnknown, PeerProtocolError, SQLAlchemyError, OSError) as error:
        return _unavailable(language, error)


async def answer(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    language = normalize_language(request.headers.get("accept-language"))
    try:
        form = await _form(request)
        token, csrf, choice = form.get("token", ""), form.get("csrf", ""), form.get("answer", "")
        if not runtime.sharing.tokens.csrf_matches(token, csrf):
            return _page(403, message_page(language, "SHARE_PAGE_FORM_EXPIRED"))
        if choice not in ("accept", "decline"):
            raise _BadForm()
        scope, ends_on = _choices(form)
        found = await _open_request(runtime, request, token)
        if isinstance(found, consent.Refused):
            return _refusal(language, found)
        share_request, nonce_hash = found
        owner_id = share_request.owner_id or ""
        now = runtime.clock()
        if choice == "decline":
            declined = await consent.decline(
                runtime.store, share_request.id, owner_id, now, token_hash=nonce_hash
            )
            if isinstance(declined, consent.Refused):
                return _refusal(language, declined)
            return await _outcome(runtime, language, "SHARE_PAGE_DECLINED", share_request)
        accepted = await consent.accept(
            runtime.sharing,
            runtime.store,
            share_request.id,
            owner_id,
            scope=scope,
            ends_on=ends_on,
            today=runtime.today(),
            now=now,
            token_hash=nonce_hash,
        )
        if isinstance(accepted, consent.Refused):
            return _refusal(language, accepted)
        return await _outcome(runtime, language, "SHARE_PAGE_ACCEPTED", share_request)
    except _BadForm:
        return _page(400, message_page(language, "SHARE_PAGE_BAD_FORM"))
    except (IlsUnavailable, OutcomeUnknown, PeerProtocolError, SQLAlchemyError, OSError) as error:
        return _unavailable(language, error)


async def _outcome(runtime: Runtime, language: str, code: str, share_request: ShareRequest) -> Response:
    try:
        name = await _name(runtime, share_request.requester_id)
    except (IlsUnavailable, OutcomeUnknown, PeerProtocolError):
        name = ""  # done already: the name is only what the page says
    return _page(200, message_page(language, code, requester=name))


async def _form(request: Request) -> dict[str, str]:
    """The form's fields (application/x-www-form-urlencoded, one value each, bounded)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        raise _BadForm()
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise _BadForm()
    try:
        fields = parse_qs(
            body.decode("ascii"), keep_blank_values=True, strict_parsing=False, max_num_fields=10
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise _BadForm() from error
    if any(len(values) != 1 for values in fields.values()):
        raise _BadForm()
    return {name: values[0] for name, values in fields.items()}


def _choices(form: dict[str, str]) -> tuple[ShareScope, date | None]:
    try:
        scope = ShareScope(form.get("scope") or ShareScope.VIEW_AND_RENEW.value)
        raw_end = form.get("ends_on", "").strip()
        ends_on = date.fromisoformat(raw_end) if raw_end else None
    except ValueError as error:
        raise _BadForm() from error
    return scope, ends_on


def _unavailable(language: str, error: Exception) -> Response:
    _log.warning("share page unavailable: %s", type(error).__name__)
    response = _page(503, message_page(language, "SHARE_PAGE_UNAVAILABLE"))
    response.headers["Retry-After"] = "30"
    return response


def share_routes() -> list[Route]:
    return [
        Route(ACCEPT_PATH, show, methods=["GET"]),
        Route(ACCEPT_PATH, answer, methods=["POST"]),
    ]
