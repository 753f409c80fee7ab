"""removeFromBasket: records out of one of the viewer's baskets.

Ids not in the basket are ignored, and the ILS is not asked: a record the catalogue no
longer has must still be removable.
"""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.portal.baskets import BasketPayload, answer
from schema.portal.permissions import own_portal_patron


async def remove_from_basket(
    info: Info, basket_id: strawberry.ID, record_ids: list[strawberry.ID]
) -> BasketPayload:
    patron_id = await own_portal_patron(info)
    ids = [str(record_id) for record_id in record_ids]
    result = await info.context.store.baskets.remove(patron_id, str(basket_id), ids)
    return answer(info, patron_id, result)
