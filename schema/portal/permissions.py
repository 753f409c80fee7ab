"""Who may see and change portal data (baskets, saved searches, preferences, subscriptions).

Portal data is the patron's own: the patron themself and staff may read it
(`Capability.VIEW_PERSONAL`), only the patron may change it (`Capability.CHANGE_PERSONAL`);
a viewer of a shared account gets FORBIDDEN. Alert lists are managed by staff only. The
decisions are schema/access.py's; this module only names their uses here.
"""

from __future__ import annotations

from schema.access import may_manage_alert_lists
from schema.context import Info
from schema.errors import Forbidden, Unauthenticated
from schema.patrons.permissions import Capability, require_access, require_signed_in_patron


async def require_portal_view(info: Info, patron_id: str) -> None:
    """FORBIDDEN unless the viewer may read `patron_id`'s portal data."""
    await require_access(info, patron_id, Capability.VIEW_PERSONAL)


async def own_portal_patron(info: Info) -> str:
    """The signed-in patron whose portal data a mutation changes (UNAUTHENTICATED / FORBIDDEN otherwise)."""
    patron_id = require_signed_in_patron(info)
    await require_access(info, patron_id, Capability.CHANGE_PERSONAL)
    return patron_id


def require_staff(info: Info) -> None:
    """UNAUTHENTICATED when anonymous, FORBIDDEN for a patron: alert lists are for staff to manage."""
    viewer = info.context.viewer
    if viewer is None:
        raise Unauthenticated()
    if not may_manage_alert_lists(viewer):
        raise Forbidden()
