"""saveSearch: keep a search (text and scope) under a name, to run it again later.

Without `scope`, the search is kept with the viewer's search preferences as they are now
(what a search without scope would use); an explicit scope, even empty or null, is kept as
given. Unknown library codes and texts the ILS cannot search are refused; at most 100 per patron.
"""

from __future__ import annotations

import strawberry

from schema.catalogue.scope import SearchScopeInput, scope_for_search, search_query
from schema.context import Info
from schema.errors import BadUserInput
from schema.portal.permissions import own_portal_patron
from schema.portal.rules import MAX_NAME_LENGTH, MAX_SAVED_SEARCHES, check_name
from schema.portal.saved_searches import SavedSearchPayload, answer, refused
from schema.portal.scope import unknown_library_codes


async def save_search(
    info: Info, name: str, query: str, scope: SearchScopeInput | None = strawberry.UNSET
) -> SavedSearchPayload:
    patron_id = await own_portal_patron(info)
    checked = check_name(name)
    if checked.problem is not None:
        return refused(info, checked.problem, ["name"], maximum=MAX_NAME_LENGTH)
    where = await scope_for_search(info, scope)
    try:
        search_query(query, where, 0, 1)
    except BadUserInput:
        return refused(info, "INVALID_SEARCH", ["query"])
    if unknown := await unknown_library_codes(info, where.library_codes):
        return refused(info, "UNKNOWN_LIBRARIES", ["scope", "libraryCodes"], codes=", ".join(unknown))
    result = await info.context.store.saved_searches.create(
        patron_id, checked.name, query, where, max_saved=MAX_SAVED_SEARCHES
    )
    return answer(info, patron_id, result, checked.name)
