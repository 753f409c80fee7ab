"""The patrons' queries: `me` and `patron(id)`."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.fields import described
from schema.patrons.prefetch import load_account_for
from schema.patrons.types import Patron, load_visible_patron


@strawberry.type
class PatronQuery:
    @described("The signed-in patron, or null when the request carries no valid session.")
    async def me(self, info: Info) -> Patron | None:
        viewer = info.context.viewer
        if viewer is None or viewer.patron_id is None:
            return None
        account = await load_account_for(info, viewer.patron_id)
        return None if account is None else Patron(account=account)

    @described(
        "A patron the viewer may see: themself, an account shared with them (accepted\n"
        "share), or anyone when the viewer is staff. Anything else: FORBIDDEN."
    )
    async def patron(self, info: Info, id: strawberry.ID) -> Patron | None:
        return await load_visible_patron(info, str(id))
