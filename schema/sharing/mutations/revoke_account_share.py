"""revokeAccountShare: either side ends a share, at once.

The store forgets what this process remembers of the viewer's shares when the transaction
commits (adapters/store/shares.py), and this request's own memo of them is dropped, so the
viewer's very next request (and any download link issued before) is refused.
"""

from __future__ import annotations

import strawberry

from adapters.store.share_port import ShareRefusal
from schema.context import Info
from schema.payload import DeletePayload
from schema.sharing.answers import acting_patron, refused


async def revoke_account_share(info: Info, shared_account_id: strawberry.ID) -> DeletePayload:
    patron_id = await acting_patron(info)
    answer = await info.context.store.shares.revoke(str(shared_account_id), patron_id, info.context.now)
    if isinstance(answer, ShareRefusal):
        return DeletePayload(deleted=False, errors=[refused(info, "SHARE_NOT_FOUND", "sharedAccountId")])
    info.context.loaders.shares.clear(answer.viewer_id)
    return DeletePayload(deleted=True, errors=[])
