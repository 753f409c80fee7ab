"""deleteBasket: one of the viewer's baskets is gone, with its records."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.payload import DeletePayload, user_error
from schema.portal.permissions import own_portal_patron


async def delete_basket(info: Info, basket_id: strawberry.ID) -> DeletePayload:
    patron_id = await own_portal_patron(info)
    if not await info.context.store.baskets.delete(patron_id, str(basket_id)):
        error = user_error("BASKET_NOT_FOUND", info.context.language, ["basketId"])
        return DeletePayload(deleted=False, errors=[error])
    info.context.loaders.baskets.clear(patron_id)
    return DeletePayload(deleted=True, errors=[])
