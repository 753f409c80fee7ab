"""The portal's mutations, one module each: preferences, baskets, saved searches, alerts."""

from __future__ import annotations

import strawberry

from schema.payload import DeletePayload
from schema.portal.alerts import NewArrivalsPayload
from schema.portal.baskets import BasketPayload
from schema.portal.mutations.add_to_basket import add_to_basket
from schema.portal.mutations.create_basket import create_basket
from schema.portal.mutations.delete_basket import delete_basket
from schema.portal.mutations.delete_saved_search import delete_saved_search
from schema.portal.mutations.manage_new_arrivals_alerts import (
    create_new_arrivals_alert,
    retire_new_arrivals_alert,
    update_new_arrivals_alert,
)
from schema.portal.mutations.remove_from_basket import remove_from_basket
from schema.portal.mutations.rename_basket import rename_basket
from schema.portal.mutations.rename_saved_search import rename_saved_search
from schema.portal.mutations.save_search import save_search
from schema.portal.mutations.subscribe_new_arrivals import subscribe_new_arrivals, unsubscribe_new_arrivals
from schema.portal.mutations.update_search_preferences import update_search_preferences
from schema.portal.preferences import SearchPreferencesPayload
from schema.portal.saved_searches import SavedSearchPayload


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
    create_basket: BasketPayload = strawberry.mutation(
        resolver=create_basket,
        description=(
            "Create a basket, empty or with records (each kept once). Names: 1 to 100 characters,\n"
            "unique among the viewer's baskets whatever the case; at most 50 baskets of 1,000\n"
            "records. Unknown record ids are refused and named (UNKNOWN_RECORDS)."
        ),
    )
    rename_basket: BasketPayload = strawberry.mutation(
        resolver=rename_basket, description="Rename one of the viewer's baskets (same rules as createBasket)."
    )
    delete_basket: DeletePayload = strawberry.mutation(
        resolver=delete_basket, description="Delete one of the viewer's baskets with its records."
    )
    add_to_basket: BasketPayload = strawberry.mutation(
        resolver=add_to_basket,
        description=(
            "Add records to one of the viewer's baskets; a record already there is kept once.\n"
            "Unknown record ids, or more than 1,000 records in all, are refused and nothing is added."
        ),
    )
    remove_from_basket: BasketPayload = strawberry.mutation(
        resolver=remove_from_basket,
        description="Take records out of one of the viewer's baskets (ids not in it are ignored).",
    )
    save_search: SavedSearchPayload = strawberry.mutation(
        resolver=save_search,
        description=(
            "Keep a search under a name (1 to 100 characters, unique whatever the case; at most 100).\n"
            "Without `scope` it is kept with the viewer's search preferences as they are now; an\n"
            "explicit scope, even `{}`, is kept as given."
        ),
    )
    rename_saved_search: SavedSearchPayload = strawberry.mutation(
        resolver=rename_saved_search, description="Rename one of the viewer's saved searches."
    )
    delete_saved_search: DeletePayload = strawberry.mutation(
        resolver=delete_saved_search, description="Delete one of the viewer's saved searches."
    )
    subscribe_new_arrivals: NewArrivalsPayload = strawberry.mutation(
        resolver=subscribe_new_arrivals,
        description=(
            "Follow a new-arrivals list (idempotent): the viewer gets one e-mail digest of every list\n"
            "they follow, in the language of this request, with only titles not sent before."
        ),
    )
    unsubscribe_new_arrivals: NewArrivalsPayload = strawberry.mutation(
        resolver=unsubscribe_new_arrivals, description="Stop following a new-arrivals list (idempotent)."
    )
    create_new_arrivals_alert: NewArrivalsPayload = strawberry.mutation(
        resolver=create_new_arrivals_alert,
        description=(
            "Staff only (staff token): propose a new-arrivals list for a library. Title 1 to 100\n"
            "characters, description at most 1,000."
        ),
    )
    update_new_arrivals_alert: NewArrivalsPayload = strawberry.mutation(
        resolver=update_new_arrivals_alert,
        description="Staff only (staff token): change the title and description of a list.",
    )
    retire_new_arrivals_alert: NewArrivalsPayload = strawberry.mutation(
        resolver=retire_new_arrivals_alert,
        description=(
            "Staff only (staff token): retire a list. It is no longer offered, nor sent to those\n"
            "who followed it."
        ),
    )
