"""declineAccountShare: the account's owner, signed in, turns down a request among its incoming ones."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.payload import DeletePayload
from schema.sharing import consent
from schema.sharing.answers import acting_patron, refused


async def decline_account_share(info: Info, request_id: strawberry.ID) -> DeletePayload:
    owner_id = await acting_patron(info)
    answer = await consent.decline(info.context.store, str(request_id), owner_id, info.context.now)
    if isinstance(answer, consent.Refused):
        return DeletePayload(deleted=False, errors=[refused(info, answer.code, answer.field)])
    return DeletePayload(deleted=True, errors=[])
