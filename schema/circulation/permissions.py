"""Who may act on a patron's loans and holds.

Seeing loans and holds and renewing loans: the patron, an accepted share, or
staff. Cancelling a hold: the patron or staff. Placing a hold: the signed-in
patron, for themself. Builds on `schema.patrons.permissions.relation_to`.
"""

from __future__ import annotations

from schema.context import Info
from schema.errors import Unauthenticated
from schema.patrons.permissions import Relation, relation_to

_RENEW = {Relation.SELF, Relation.SHARED, Relation.STAFF}
_CANCEL = {Relation.SELF, Relation.STAFF}


def require_viewer(info: Info) -> None:
    """UNAUTHENTICATED for a request without a session or staff token."""
    if info.context.viewer is None:
        raise Unauthenticated()


async def may_renew(info: Info, patron_id: str) -> bool:
    """Whether the viewer may renew the loans of `patron_id`."""
    return await relation_to(info, patron_id) in _RENEW


async def may_cancel_hold(info: Info, patron_id: str) -> bool:
    """Whether the viewer may cancel the holds of `patron_id` (a share does not allow it)."""
    return await relation_to(info, patron_id) in _CANCEL
