"""The portal-data fields of `Patron` (a base class of it): preferences, baskets, saved searches, alerts.

Owns those fields only; `schema/patrons/types.py` inherits them. Each field checks that
the viewer may read the patron's portal data (the patron and staff; a share viewer gets
FORBIDDEN) before asking a loader.
"""

from __future__ import annotations

import strawberry

from adapters.ils import models
from schema.catalogue.scope import EVERYWHERE
from schema.context import Info
from schema.fields import described
from schema.portal.alerts import NewArrivalsAlert
from schema.portal.baskets import Basket
from schema.portal.permissions import require_portal_view
from schema.portal.preferences import SearchPreferences
from schema.portal.saved_searches import SavedSearch
from schema.selection import prefetch, selects


@strawberry.type
class PortalFields:
    account: strawberry.Private[models.Account]

    @strawberry.field
    async def search_preferences(self, info: Info) -> SearchPreferences:
        patron_id = self.account.patron.id
        await require_portal_view(info, patron_id)
        scope = await info.context.loaders.search_preferences.load(patron_id)
        return SearchPreferences.of(scope or EVERYWHERE)

    @described("The patron's baskets, oldest first.")
    async def baskets(self, info: Info) -> list[Basket]:
        patron_id = self.account.patron.id
        await require_portal_view(info, patron_id)
        loaders = info.context.loaders
        baskets = await loaders.baskets.load(patron_id)
        if selects(info, "records"):
            # Every basket's records in one titles batch, whatever the number of baskets.
            prefetch(loaders.titles.load_many([rid for basket in baskets for rid in basket.record_ids]))
        return [Basket.of(basket) for basket in baskets]

    @described("The patron's saved searches, oldest first.")
    async def saved_searches(self, info: Info) -> list[SavedSearch]:
        patron_id = self.account.patron.id
        await require_portal_view(info, patron_id)
        return [SavedSearch.of(saved) for saved in await info.context.loaders.saved_searches.load(patron_id)]

    @described("The new-arrivals lists the patron follows (retired lists are left out).")
    async def new_arrivals_subscriptions(self, info: Info) -> list[NewArrivalsAlert]:
        patron_id = self.account.patron.id
        await require_portal_view(info, patron_id)
        subscriptions = await info.context.loaders.alert_subscriptions.load(patron_id)
        alerts = await info.context.store.alert_lists.by_ids([s.alert_id for s in subscriptions])
        return [NewArrivalsAlert.of(a) for a in alerts if a is not None and a.retired_at is None]
