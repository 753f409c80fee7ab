"""acceptAccountShare: the account's owner, signed in, accepts a request among its incoming ones."""

from __future__ import annotations

from datetime import date

import strawberry

from adapters.store.port import Share, ShareScope
from schema.context import Info
from schema.sharing import consent
from schema.sharing.answers import acting_patron, refused, sharing
from schema.sharing.types import SharedAccount, SharedAccountPayload


async def accept_account_share(
    info: Info,
    request_id: strawberry.ID,
    scope: ShareScope | None = ShareScope.VIEW_AND_RENEW,
    ends_on: date | None = None,
) -> SharedAccountPayload:
    """Accept with the scope chosen (default VIEW_AND_RENEW) and an optional end day."""
    owner_id = await acting_patron(info)
    context = info.context
    answer = await consent.accept(
        sharing(info),
        context.store,
        str(request_id),
        owner_id,
        scope=scope or ShareScope.VIEW_AND_RENEW,
        ends_on=ends_on,
        today=context.today,
        now=context.now,
    )
    return payload(info, answer)


def payload(info: Info, answer: Share | consent.Refused) -> SharedAccountPayload:
    if isinstance(answer, consent.Refused):
        return SharedAccountPayload(shared_account=None, errors=[refused(info, answer.code, answer.field)])
    return SharedAccountPayload(shared_account=SharedAccount(share=answer), errors=[])
