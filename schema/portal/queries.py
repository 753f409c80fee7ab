"""The portal's queries: the new-arrivals alert lists librarians propose."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.fields import described
from schema.portal.alerts import NewArrivalsAlert


@strawberry.type
class PortalQuery:
    @described("New-arrival alert lists proposed by librarians (one or more per library).")
    async def new_arrivals_alerts(self, info: Info) -> list[NewArrivalsAlert]:
        alerts = await info.context.store.alert_lists.active()
        if alerts:
            # Every list's library in the one library-list call of the request.
            await info.context.loaders.libraries.load_many([alert.library_code for alert in alerts])
        return [NewArrivalsAlert.of(alert) for alert in alerts]
