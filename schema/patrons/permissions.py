"""The access rule (schema/access.py) as resolvers use it: with the request's viewer, shares and time.

Owns the thin Strawberry side of authorization: reading the viewer's accepted shares once
per request (ShareDirectory), deciding synchronously once they are known (no coroutine per
field), and raising FORBIDDEN / UNAUTHENTICATED. The decision itself is `account_access`;
never decide access anywhere else. Never answers "not found" for someone else's card: that
would reveal who is a patron.
"""

from __future__ import annotations

from schema.access import AccountAccess, Capability, account_access, needs_shares
from schema.context import Info
from schema.errors import Forbidden, Unauthenticated

__all__ = [
    "Capability",
    "access_to",
    "known_access",
    "may_access",
    "require_access",
    "require_signed_in_patron",
]


async def access_to(info: Info, patron_id: str) -> AccountAccess:
    """The viewer's access to the account `patron_id` (reads the viewer's shares once per request)."""
    context = info.context
    viewer = context.viewer
    shares = []
    if needs_shares(viewer, patron_id) and viewer is not None and viewer.patron_id is not None:
        shares = await context.loaders.shares.seen_by(viewer.patron_id)
    return account_access(viewer, patron_id, shares, context.now)


def known_access(info: Info, patron_id: str, capability: Capability) -> bool | None:
    """`may_access` without waiting; None only when it needs the viewer's shares, not read yet.

    The shares are read once per request (ShareDirectory), so after the first check every
    other field of the request decides here, synchronously.
    """
    context = info.context
    viewer = context.viewer
    shares = []
    if needs_shares(viewer, patron_id) and viewer is not None and viewer.patron_id is not None:
        known = context.loaders.shares.known(viewer.patron_id)
        if known is None:
            return None
        shares = known
    return account_access(viewer, patron_id, shares, context.now).allows(capability)


async def may_access(info: Info, patron_id: str, capability: Capability) -> bool:
    """Whether the viewer may do `capability` with the account `patron_id`."""
    return (await access_to(info, patron_id)).allows(capability)


async def require_access(info: Info, patron_id: str, capability: Capability) -> None:
    """FORBIDDEN unless the viewer may do `capability` with the account `patron_id`."""
    if not await may_access(info, patron_id, capability):
        raise Forbidden()


def require_signed_in_patron(info: Info) -> str:
    """The viewer's own card number: UNAUTHENTICATED when anonymous, FORBIDDEN for staff without one."""
    viewer = info.context.viewer
    if viewer is None:
        raise Unauthenticated()
    if viewer.patron_id is None:
        raise Forbidden()
    return viewer.patron_id
