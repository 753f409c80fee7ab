"""renameBasket: a new name for one of the viewer's baskets (unique whatever the case)."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.portal.baskets import BasketPayload, answer, refused
from schema.portal.permissions import own_portal_patron
from schema.portal.rules import MAX_NAME_LENGTH, check_name


async def rename_basket(info: Info, basket_id: strawberry.ID, name: str) -> BasketPayload:
    patron_id = await own_portal_patron(info)
    checked = check_name(name)
    if checked.problem is not None:
        return refused(info, checked.problem, ["name"], maximum=MAX_NAME_LENGTH)
    result = await info.context.store.baskets.rename(patron_id, str(basket_id), checked.name)
    return answer(info, patron_id, result, checked.name)
