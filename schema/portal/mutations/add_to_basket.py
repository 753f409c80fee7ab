"""addToBasket: records the ILS knows go into one of the viewer's baskets (a record is kept once)."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.portal.baskets import BasketPayload, answer, record_problem
from schema.portal.permissions import own_portal_patron
from schema.portal.rules import MAX_BASKET_RECORDS


async def add_to_basket(
    info: Info, basket_id: strawberry.ID, record_ids: list[strawberry.ID]
) -> BasketPayload:
    patron_id = await own_portal_patron(info)
    if problem := await record_problem(info, record_ids):
        return problem
    result = await info.context.store.baskets.add(
        patron_id,
        str(basket_id),
        [str(record_id) for record_id in record_ids],
        max_records=MAX_BASKET_RECORDS,
    )
    return answer(info, patron_id, result)
