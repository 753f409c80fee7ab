"""subscribeNewArrivals / unsubscribeNewArrivals: follow or stop following a list (idempotent).

The viewer's digests come in the language of their latest subscription (Accept-Language).
"""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.portal.alerts import NewArrivalsAlert, NewArrivalsPayload, active_alert, refused
from schema.portal.permissions import own_portal_patron


async def subscribe_new_arrivals(info: Info, alert_id: strawberry.ID) -> NewArrivalsPayload:
    patron_id = await own_portal_patron(info)
    alert = await active_alert(info, str(alert_id))
    if alert is None:
        return refused(info, "ALERT_NOT_FOUND", ["alertId"])
    await info.context.store.alert_subscriptions.subscribe(patron_id, alert.id, info.context.language)
    info.context.loaders.alert_subscriptions.clear(patron_id)
    return NewArrivalsPayload(alert=NewArrivalsAlert.of(alert), errors=[])


async def unsubscribe_new_arrivals(info: Info, alert_id: strawberry.ID) -> NewArrivalsPayload:
    patron_id = await own_portal_patron(info)
    (alert,) = await info.context.store.alert_lists.by_ids([str(alert_id)])
    if alert is None:
        return refused(info, "ALERT_NOT_FOUND", ["alertId"])
    # A retired list may still be left: nothing is sent for it anyway.
    await info.context.store.alert_subscriptions.unsubscribe(patron_id, alert.id)
    info.context.loaders.alert_subscriptions.clear(patron_id)
    return NewArrivalsPayload(alert=NewArrivalsAlert.of(alert), errors=[])
