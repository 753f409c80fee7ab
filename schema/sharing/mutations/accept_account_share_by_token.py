"""acceptAccountShareByToken: accept with the e-mailed link's single-use token, for app clients.

No session is needed (the token is the owner's consent); a session of another patron than
the account's owner is refused (SHARE_TOKEN_OTHER_ACCOUNT), so a link forwarded by mistake
cannot be accepted from someone else's signed-in app.
"""

from __future__ import annotations

from datetime import date

from adapters.store.port import ShareScope
from schema.context import Info
from schema.sharing import consent
from schema.sharing.answers import sharing
from schema.sharing.mutations.accept_account_share import payload
from schema.sharing.types import SharedAccountPayload


async def accept_account_share_by_token(
    info: Info,
    token: str,
    scope: ShareScope | None = ShareScope.VIEW_AND_RENEW,
    ends_on: date | None = None,
) -> SharedAccountPayload:
    context = info.context
    service = sharing(info)
    found = await consent.request_of_token(service, context.store, token, context.viewer, context.now)
    if isinstance(found, consent.Refused):
        return payload(info, found)
    request, nonce_hash = found
    assert request.owner_id is not None  # request_of_token refuses requests that reach nobody
    answer = await consent.accept(
        service,
        context.store,
        request.id,
        request.owner_id,
        scope=scope or ShareScope.VIEW_AND_RENEW,
        ends_on=ends_on,
        today=context.today,
        now=context.now,
        token_hash=nonce_hash,
    )
    return payload(info, answer)
