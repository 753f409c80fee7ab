"""Who may see or change a patron's account: the viewer's relation to it, and the patron-data checks.

Owns the one definition of self / accepted share / staff used by every feature
(circulation and sharing build their own checks on `relation_to`). A share
grants loans, holds and renewals only; identity and contact details, portal
data and profile changes are for the patron themself and staff. Never answers
"not found" for someone else's card: that would reveal who is a patron.
"""

from __future__ import annotations

from enum import Enum

from schema.context import Info
from schema.errors import Forbidden, Unauthenticated


class Relation(Enum):
    NONE = "none"
    SELF = "self"
    SHARED = "shared"
    STAFF = "staff"


class Scope(Enum):
    """What a field or mutation reveals or changes."""

    # Name, loans, holds, counts, blocks: what an accepted share shows.
    CIRCULATION = "circulation"
    # Contact details, card, portal data, shares, profile changes.
    PERSONAL = "personal"


_ALLOWED = {
    Scope.CIRCULATION: {Relation.SELF, Relation.SHARED, Relation.STAFF},
    Scope.PERSONAL: {Relation.SELF, Relation.STAFF},
}


async def relation_to(info: Info, patron_id: str) -> Relation:
    """How the viewer relates to the account `patron_id`."""
    viewer = info.context.viewer
    if viewer is None:
        return Relation.NONE
    if viewer.patron_id == patron_id:
        return Relation.SELF
    if viewer.is_staff:
        return Relation.STAFF
    if viewer.patron_id is None:
        return Relation.NONE
    shares = await info.context.loaders.shares.seen_by(info.context.store, viewer.patron_id)
    return Relation.SHARED if any(share.owner_id == patron_id for share in shares) else Relation.NONE


async def may_access(info: Info, patron_id: str, scope: Scope) -> bool:
    """Whether the viewer may see (or act on) `scope` of the account `patron_id`."""
    return await relation_to(info, patron_id) in _ALLOWED[scope]


async def require_access(info: Info, patron_id: str, scope: Scope) -> None:
    """FORBIDDEN unless the viewer may see `scope` of the account `patron_id`."""
    if not await may_access(info, patron_id, scope):
        raise Forbidden()


def require_signed_in_patron(info: Info) -> str:
    """The viewer's own card number: UNAUTHENTICATED when anonymous, FORBIDDEN for staff without one."""
    viewer = info.context.viewer
    if viewer is None:
        raise Unauthenticated()
    if viewer.patron_id is None:
        raise Forbidden()
    return viewer.patron_id
