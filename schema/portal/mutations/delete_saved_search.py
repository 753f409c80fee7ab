"""deleteSavedSearch: one of the viewer's saved searches is gone."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.payload import DeletePayload, user_error
from schema.portal.permissions import own_portal_patron


async def delete_saved_search(info: Info, saved_search_id: strawberry.ID) -> DeletePayload:
    patron_id = await own_portal_patron(info)
    if not await info.context.store.saved_searches.delete(patron_id, str(saved_search_id)):
        error = user_error("SAVED_SEARCH_NOT_FOUND", info.context.language, ["savedSearchId"])
        return DeletePayload(deleted=False, errors=[error])
    info.context.loaders.saved_searches.clear(patron_id)
    return DeletePayload(deleted=True, errors=[])
