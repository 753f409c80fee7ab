"""Batch loading of portal data from the store, keyed by patron id: one SQL query per kind per tick.

Owns the loader functions behind `Loaders.search_preferences`, `Loaders.baskets` (and the
other portal data). Never authorizes (the fields do, schema/portal/permissions.py) and never caches
across requests: portal data is the patron's own and changes with their mutations.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.store.port import AlertSubscription, Basket, CatalogueScope, PortalStore, SavedSearch


async def load_search_preferences(
    store: PortalStore, patron_ids: Sequence[str]
) -> list[CatalogueScope | None]:
    """Each patron's search preferences in key order; None for a patron who never set any."""
    return await store.search_preferences.of_patrons(list(patron_ids))


async def load_baskets(store: PortalStore, patron_ids: Sequence[str]) -> list[list[Basket]]:
    """Each patron's baskets (oldest first) with their record ids, in key order."""
    return await store.baskets.of_patrons(list(patron_ids))


async def load_saved_searches(store: PortalStore, patron_ids: Sequence[str]) -> list[list[SavedSearch]]:
    """Each patron's saved searches (oldest first), in key order."""
    return await store.saved_searches.of_patrons(list(patron_ids))


async def load_alert_subscriptions(
    store: PortalStore, patron_ids: Sequence[str]
) -> list[list[AlertSubscription]]:
    """Each patron's subscriptions to new-arrivals lists (oldest first), in key order."""
    return await store.alert_subscriptions.of_patrons(list(patron_ids))
