"""The portal's mutations, one module each: preferences, baskets, saved searches, alerts."""

from __future__ import annotations

import strawberry

from schema.portal.mutations.update_search_preferences import update_search_preferences
from schema.portal.preferences import SearchPreferencesPayload


@strawberry.type
class PortalMutation:
    update_search_preferences: SearchPreferencesPayload = strawberry.mutation(
        resolver=update_search_preferences,
        description=(
            "Change the scope (libraries, document types, sources) the viewer's searches use when\n"
            "they give none. A list replaces that restriction, an empty list removes it, an absent\n"
            "field keeps it. Unknown library codes are refused (UNKNOWN_LIBRARIES), changing nothing."
        ),
    )
