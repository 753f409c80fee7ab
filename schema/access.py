"""Who may see and do what with a patron's account: the one rule, decided from domain values alone.

Owns the decision used wherever an account is reached: GraphQL fields and mutations and
federation entity references (through schema/patrons/permissions.py), and the gateway's
HTTP routes (download links, share pages), which call `account_access` directly. Pure: it
takes the viewer, the account's card number, the viewer's accepted shares and the time,
and returns the relation and what it allows. Never reads a store or the clock itself.

What each relation allows:
- the patron themself: everything;
- staff: see everything, renew loans, cancel holds (never act as the patron otherwise);
- an accepted, unexpired share: see the loans and holds (scope VIEW), and renew the loans
  (scope VIEW_AND_RENEW); nothing else (contact details, portal data, shares, holds placed
  or cancelled);
- anyone else: nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum

from adapters.store.port import Share, ShareScope
from schema.viewer import Viewer


class Relation(Enum):
    NONE = "none"
    SELF = "self"
    SHARED = "shared"
    STAFF = "staff"


class Capability(StrEnum):
    """What a field or mutation reveals or changes of an account."""

    # Name, blocks, counts, loans, holds: what an accepted share shows.
    VIEW_CIRCULATION = "VIEW_CIRCULATION"
    RENEW_LOANS = "RENEW_LOANS"
    CANCEL_HOLDS = "CANCEL_HOLDS"
    PLACE_HOLDS = "PLACE_HOLDS"
    # Contact details, card, portal data (baskets, searches, preferences, alerts), shares.
    VIEW_PERSONAL = "VIEW_PERSONAL"
    # Profile changes, portal data changes, share management: the patron only.
    CHANGE_PERSONAL = "CHANGE_PERSONAL"


_EVERYTHING = frozenset(Capability)
_STAFF = frozenset(
    {Capability.VIEW_CIRCULATION, Capability.RENEW_LOANS, Capability.CANCEL_HOLDS, Capability.VIEW_PERSONAL}
)
_BY_SHARE_SCOPE = {
    ShareScope.VIEW: frozenset({Capability.VIEW_CIRCULATION}),
    ShareScope.VIEW_AND_RENEW: frozenset({Capability.VIEW_CIRCULATION, Capability.RENEW_LOANS}),
}


@dataclass(frozen=True, slots=True)
class AccountAccess:
    """The viewer's relation to one account and what it allows; `share` when it comes from one."""

    relation: Relation
    capabilities: frozenset[Capability]
    share: Share | None = None

    def allows(self, capability: Capability) -> bool:
        return capability in self.capabilities


NO_ACCESS = AccountAccess(Relation.NONE, frozenset())


def is_active(share: Share, now: datetime) -> bool:
    """A share ends at its end date: from then on it is treated as revoked."""
    return share.expires_at is None or now < share.expires_at


def active_shares(shares: Iterable[Share], now: datetime) -> list[Share]:
    """The shares still in force at `now`, in their order."""
    return [share for share in shares if is_active(share, now)]


def account_access(
    viewer: Viewer | None, patron_id: str, viewer_shares: Iterable[Share], now: datetime
) -> AccountAccess:
    """How `viewer` relates to the account `patron_id`, given the accepted shares it is the viewer of."""
    if viewer is None:
        return NO_ACCESS
    if viewer.patron_id is not None and viewer.patron_id == patron_id:
        return AccountAccess(Relation.SELF, _EVERYTHING)
    if viewer.is_staff:
        return AccountAccess(Relation.STAFF, _STAFF)
    if viewer.patron_id is None:
        return NO_ACCESS
    for share in viewer_shares:
        if share.owner_id == patron_id and share.viewer_id == viewer.patron_id and is_active(share, now):
            return AccountAccess(Relation.SHARED, _BY_SHARE_SCOPE[share.scope], share)
    return NO_ACCESS


def needs_shares(viewer: Viewer | None, patron_id: str) -> bool:
    """Whether `account_access` for this pair depends on the viewer's shares (so they must be read)."""
    return (
        viewer is not None
        and not viewer.is_staff
        and viewer.patron_id is not None
        and viewer.patron_id != patron_id
    )


def may_manage_alert_lists(viewer: Viewer | None) -> bool:
    """Whether the viewer may create, edit and retire new-arrivals alert lists: staff only."""
    return viewer is not None and viewer.is_staff
