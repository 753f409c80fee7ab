"""`NewArrivalsAlert` as GraphQL shows it, its payload, and what the alert mutations share.

Owns the type (a stored `adapters.store.port.AlertList` kept as `alert`): its library comes
through the libraries loader, `subscribed` from the viewer's subscriptions (one store query
per request, whatever the number of lists). Never reads the store itself (loaders do).
"""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from adapters.store import port
from schema.catalogue.types import Library, require_library
from schema.context import Info
from schema.fields import described
from schema.payload import UserError, user_error

MAX_DESCRIPTION_LENGTH = 1000


def _library(root: NewArrivalsAlert, info: Info) -> Library:
    return require_library(info, root.alert.library_code)


@strawberry.type(description="A new-arrivals alert list a librarian proposes for a library.")
class NewArrivalsAlert:
    alert: strawberry.Private[port.AlertList]
    id: strawberry.ID
    library: Library = strawberry.field(resolver=_library)
    title: str
    description: str | None

    @classmethod
    def of(cls, alert: port.AlertList) -> NewArrivalsAlert:
        return cls(alert=alert, id=strawberry.ID(alert.id), title=alert.title, description=alert.description)

    @described("Whether the signed-in viewer follows this list (false when anonymous or staff).")
    async def subscribed(self, info: Info) -> bool:
        viewer = info.context.viewer
        if viewer is None or viewer.patron_id is None:
            return False
        subscriptions = await info.context.loaders.alert_subscriptions.load(viewer.patron_id)
        return any(subscription.alert_id == self.alert.id for subscription in subscriptions)


@strawberry.type
class NewArrivalsPayload:
    alert: NewArrivalsAlert | None
    errors: list[UserError]


def refused(
    info: Info, code: str, field: Sequence[str] | None = None, **params: object
) -> NewArrivalsPayload:
    """A payload with one UserError and no list (nothing was changed)."""
    return NewArrivalsPayload(alert=None, errors=[user_error(code, info.context.language, field, **params)])


async def active_alert(info: Info, alert_id: str) -> port.AlertList | None:
    """The list with this id if it is offered (not retired)."""
    (alert,) = await info.context.store.alert_lists.by_ids([alert_id])
    return alert if alert is not None and alert.retired_at is None else None
