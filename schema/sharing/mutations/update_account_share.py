"""updateAccountShare: the owner changes what a share allows and until when.

An absent argument keeps what the share has; `endsOn: null` removes the end. The viewer's
next request sees the change (the store forgets the cached shares on commit).
"""

from __future__ import annotations

from datetime import date

import strawberry

from adapters.store.port import ShareScope
from adapters.store.share_port import ShareRefusal
from schema.context import Info
from schema.sharing.answers import acting_patron, refused, sharing
from schema.sharing.rules import end_refusal, share_end
from schema.sharing.types import SharedAccount, SharedAccountPayload


async def update_account_share(
    info: Info,
    shared_account_id: strawberry.ID,
    scope: ShareScope | None = strawberry.UNSET,
    ends_on: date | None = strawberry.UNSET,
) -> SharedAccountPayload:
    owner_id = await acting_patron(info)
    context = info.context
    share = await context.store.shares.by_id(str(shared_account_id))
    if share is None or share.owner_id != owner_id:
        return SharedAccountPayload(
            shared_account=None, errors=[refused(info, "SHARE_NOT_FOUND", "sharedAccountId")]
        )
    expires_at = share.expires_at
    if ends_on is not strawberry.UNSET:
        wrong_end = end_refusal(ends_on, context.today)
        if wrong_end is not None:
            return SharedAccountPayload(
                shared_account=None, errors=[refused(info, wrong_end.value, "endsOn")]
            )
        expires_at = share_end(ends_on, sharing(info).zone)
    new_scope = share.scope if scope is strawberry.UNSET or scope is None else scope
    answer = await context.store.shares.change(share.id, owner_id, new_scope, expires_at, context.now)
    if isinstance(answer, ShareRefusal):
        return SharedAccountPayload(
            shared_account=None, errors=[refused(info, "SHARE_NOT_FOUND", "sharedAccountId")]
        )
    context.loaders.shares.clear(answer.viewer_id)
    return SharedAccountPayload(shared_account=SharedAccount(share=answer), errors=[])


def _refused(info: Info, code: str, field: str) -> SharedAccountPayload:
    return SharedAccountPayload(shared_account=None, errors=[refused(info, code, field)])
