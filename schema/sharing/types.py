"""SharedAccount: an accepted share, read from the portal store.

Only reading exists for now: requesting, accepting and revoking shares come
later. Never lists shares of an account the viewer may not see in full.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from adapters.store.port import Share
from schema.access import active_shares
from schema.circulation.types import load_patron
from schema.context import Info
from schema.fields import described
from schema.patrons.types import Patron


@strawberry.type
class SharedAccount:
    share: strawberry.Private[Share]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.share.id)

    @described("The account that is seen.")
    async def owner(self, info: Info) -> Patron:
        return await load_patron(info, self.share.owner_id)

    @described("The account that sees it.")
    async def viewer(self, info: Info) -> Patron:
        return await load_patron(info, self.share.viewer_id)

    @strawberry.field
    def since(self) -> datetime:
        return self.share.since


async def shared_accounts_seen_by(info: Info, viewer_id: str) -> list[SharedAccount]:
    """The accepted shares in force that `viewer_id` sees (authorization is the caller's)."""
    shares = active_shares(await info.context.loaders.shares.seen_by(viewer_id), info.context.now)
    return [SharedAccount(share=share) for share in shares]
