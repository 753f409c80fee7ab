"""renameSavedSearch: a new name for one of the viewer's saved searches (unique whatever the case)."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.portal.permissions import own_portal_patron
from schema.portal.rules import MAX_NAME_LENGTH, check_name
from schema.portal.saved_searches import SavedSearchPayload, answer, refused


async def rename_saved_search(info: Info, saved_search_id: strawberry.ID, name: str) -> SavedSearchPayload:
    patron_id = await own_portal_patron(info)
    checked = check_name(name)
    if checked.problem is not None:
        return refused(info, checked.problem, ["name"], maximum=MAX_NAME_LENGTH)
    result = await info.context.store.saved_searches.rename(patron_id, str(saved_search_id), checked.name)
    return answer(info, patron_id, result, checked.name)
