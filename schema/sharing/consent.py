"""Answering a share request: in the account (by id) or with the e-mailed token (the page, the API).

Owns the steps both ways share: the end day checked by the rule and turned into an instant,
the token read and matched to its request (a token for another account than the signed-in
one is refused), the store's answer, and the refusal codes. The GraphQL mutations and the
confirmation page's POST (gateway/routes/shares.py) both call these; neither decides alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from adapters.store.port import PortalStore, Share, ShareScope
from adapters.store.share_port import ShareRefusal, ShareRequest
from schema.sharing.rules import end_refusal, share_end
from schema.sharing.service import SharingService
from schema.sharing.tokens import InvalidAcceptToken
from schema.viewer import Viewer

_CODES = {
    ShareRefusal.NOT_FOUND: "SHARE_REQUEST_NOT_FOUND",
    ShareRefusal.EXPIRED: "SHARE_REQUEST_EXPIRED",
    ShareRefusal.ANSWERED: "SHARE_REQUEST_ANSWERED",
    ShareRefusal.TOKEN_MISMATCH: "SHARE_TOKEN_INVALID",
}


@dataclass(frozen=True, slots=True)
class Refused:
    """Why an answer was refused: a UserError code and the input field at fault."""

    code: str
    field: str


def refusal_of(refusal: ShareRefusal, field: str) -> Refused:
    return Refused(_CODES[refusal], field)


async def request_of_token(
    service: SharingService, store: PortalStore, token: str, viewer: Viewer | None, now: datetime
) -> tuple[ShareRequest, str] | Refused:
    """The request a token names and the nonce hash it carries, if it may still be answered by
    whoever holds it: a genuine token of an open request, not of another account than the viewer's."""
    try:
        claims = service.tokens.read(token)
    except InvalidAcceptToken:
        return Refused("SHARE_TOKEN_INVALID", "token")
    request = await store.share_requests.by_id(claims.request_id)
    if request is None or request.owner_id is None:
        return Refused("SHARE_TOKEN_INVALID", "token")
    if viewer is not None and viewer.patron_id is not None and viewer.patron_id != request.owner_id:
        return Refused("SHARE_TOKEN_OTHER_ACCOUNT", "token")
    return request, claims.nonce_hash


async def accept(
    service: SharingService,
    store: PortalStore,
    request_id: str,
    owner_id: str,
    *,
    scope: ShareScope,
    ends_on: date | None,
    today: date,
    now: datetime,
    token_hash: str | None = None,
) -> Share | Refused:
    """Accept with this scope and optional end day (the rule checks the day first)."""
    wrong_end = end_refusal(ends_on, today)
    if wrong_end is not None:
        return Refused(wrong_end.value, "endsOn")
    answer = await store.shares.accept(
        request_id,
        owner_id,
        scope=scope,
        expires_at=share_end(ends_on, service.zone),
        now=now,
        token_hash=token_hash,
    )
    if isinstance(answer, ShareRefusal):
        return refusal_of(answer, "token" if token_hash is not None else "requestId")
    return answer


async def decline(
    store: PortalStore, request_id: str, owner_id: str, now: datetime, *, token_hash: str | None = None
) -> ShareRequest | Refused:
    answer = await store.share_requests.decline(request_id, owner_id, now, token_hash=token_hash)
    if isinstance(answer, ShareRefusal):
        return refusal_of(answer, "token" if token_hash is not None else "requestId")
    return answer
