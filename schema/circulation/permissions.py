"""Who may act on a patron's loans and holds: the access rule's capabilities (schema/access.py).

Renewing loans: the patron, a share whose scope allows it, or staff. Cancelling a hold:
the patron or staff. Placing a hold: the signed-in patron, for themself
(`require_signed_in_patron`).
"""

from __future__ import annotations

from schema.context import Info
from schema.errors import Unauthenticated
from schema.patrons.permissions import Capability, may_access


def require_viewer(info: Info) -> None:
    """UNAUTHENTICATED for a request without a session or staff token."""
    if info.context.viewer is None:
        raise Unauthenticated()


async def may_renew(info: Info, patron_id: str) -> bool:
    """Whether the viewer may renew the loans of `patron_id`."""
    return await may_access(info, patron_id, Capability.RENEW_LOANS)


async def may_cancel_hold(info: Info, patron_id: str) -> bool:
    """Whether the viewer may cancel the holds of `patron_id` (a share does not allow it)."""
    return await may_access(info, patron_id, Capability.CANCEL_HOLDS)
