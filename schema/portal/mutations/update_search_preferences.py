"""updateSearchPreferences: change the scope the viewer's searches use when they give none.

Only the signed-in patron, for themself. Unknown library codes come back as a UserError
naming them, and nothing is changed.
"""

from __future__ import annotations

from schema.catalogue.scope import EVERYWHERE
from schema.context import Info
from schema.payload import user_error
from schema.portal.permissions import own_portal_patron
from schema.portal.preferences import (
    SearchPreferences,
    SearchPreferencesInput,
    SearchPreferencesPayload,
    merged,
)
from schema.portal.scope import unknown_library_codes


async def update_search_preferences(info: Info, input: SearchPreferencesInput) -> SearchPreferencesPayload:
    """Validate the library codes given, then replace the kinds the input names."""
    patron_id = await own_portal_patron(info)
    loaders = info.context.loaders
    current = await loaders.search_preferences.load(patron_id) or EVERYWHERE
    wanted = merged(current, input)
    if input.library_codes is not None:
        unknown = await unknown_library_codes(info, wanted.library_codes)
        if unknown:
            field = ["input", "libraryCodes"]
            error = user_error("UNKNOWN_LIBRARIES", info.context.language, field, codes=", ".join(unknown))
            return SearchPreferencesPayload(preferences=None, errors=[error])
    saved = await info.context.store.search_preferences.save(patron_id, wanted)
    loaders.search_preferences.clear(patron_id).prime(patron_id, saved)
    return SearchPreferencesPayload(preferences=SearchPreferences.of(saved), errors=[])
