"""createBasket: a new basket of the viewer's, empty or with records (each kept once)."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.portal.baskets import BasketPayload, answer, record_problem, refused
from schema.portal.permissions import own_portal_patron
from schema.portal.rules import MAX_BASKET_RECORDS, MAX_BASKETS, MAX_NAME_LENGTH, check_name


async def create_basket(
    info: Info, name: str, record_ids: list[strawberry.ID] | None = None
) -> BasketPayload:
    """Check the name and the records, then create it (at most MAX_BASKETS per patron)."""
    patron_id = await own_portal_patron(info)
    checked = check_name(name)
    if checked.problem is not None:
        return refused(info, checked.problem, ["name"], maximum=MAX_NAME_LENGTH)
    if problem := await record_problem(info, record_ids or []):
        return problem
    result = await info.context.store.baskets.create(
        patron_id,
        checked.name,
        [str(record_id) for record_id in record_ids or []],
        max_baskets=MAX_BASKETS,
        max_records=MAX_BASKET_RECORDS,
    )
    return answer(info, patron_id, result, checked.name)
