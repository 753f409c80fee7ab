"""Who may see or change a patron's account: the viewer's relation to it, and the patron-data checks.

Owns the one definition of self / accepted share / staff used by every feature
(circulation and sharing build their own checks on `relation_to`). A share
grants loans, holds and renewals only; identity and contact details, portal
data and profile changes are for the patron themself and staff. Never answers
"not found" for someone else's card: that would reveal who is a patron.
"""

from __future__ import annotations

from enum import Enum

from adapters.store.port import Share
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
    known = known_relation(info, patron_id)
    if known is not None:
        return known
    # Left: a signed-in patron viewing another card, whose shares this request has not read yet.
    viewer_id = None if info.context.viewer is None else info.context.viewer.patron_id
    if viewer_id is None:
        return Relation.NONE
    shares = await info.context.loaders.shares.seen_by(info.context.store, viewer_id)
    return _shared_or_none(shares, patron_id)


def known_relation(info: Info, patron_id: str) -> Relation | None:
    """`relation_to` without waiting: None only when it needs the viewer's shares, not read yet.

    The shares are read once per request (ShareDirectory), so after the first check every
    other field of the request decides here, synchronously.
    """
    viewer = info.context.viewer
    if viewer is None:
        return Relation.NONE
    if viewer.patron_id == patron_id:
        return Relation.SELF
    if viewer.is_staff:
        return Relation.STAFF
    if viewer.patron_id is None:
        return Relation.NONE
    shares = info.context.loaders.shares.known(viewer.patron_id)
    return None if shares is None else _shared_or_none(shares, patron_id)


def _shared_or_none(shares: list[Share], patron_id: str) -> Relation:
    return Relation.SHARED if any(share.owner_id == patron_id for share in shares) else Relation.NONE


def known_access(info: Info, patron_id: str, scope: Scope) -> bool | None:
    """`may_access` without waiting; None when the viewer's shares have not been read yet."""
    relation = known_relation(info, patron_id)
    return None if relation is None else relation in _ALLOWED[scope]


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
