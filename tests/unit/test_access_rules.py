"""The access rule (schema/access.py): every relation and share state against every capability."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.store.port import Share, ShareScope
from schema.access import (
    Capability,
    Relation,
    account_access,
    active_shares,
    is_active,
    needs_shares,
)
from schema.viewer import Viewer

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CAMILLE, LEO, INES = "2900000001", "2900000002", "2900000003"
ALL = frozenset(Capability)
SEE_AND_RENEW = {Capability.VIEW_CIRCULATION, Capability.RENEW_LOANS}
STAFF = {
    Capability.VIEW_CIRCULATION,
    Capability.RENEW_LOANS,
    Capability.CANCEL_HOLDS,
    Capability.VIEW_PERSONAL,
}


def _share(scope: ShareScope = ShareScope.VIEW_AND_RENEW, expires_at: datetime | None = None) -> Share:
    return Share(
        "S1",
        owner_id=LEO,
        viewer_id=CAMILLE,
        since=NOW - timedelta(days=30),
        scope=scope,
        expires_at=expires_at,
    )


@pytest.mark.parametrize(
    ("viewer", "shares", "relation", "allowed"),
    [
        (Viewer(CAMILLE), [], Relation.SELF, ALL),
        (Viewer(None, is_staff=True), [], Relation.STAFF, STAFF),
        (Viewer(CAMILLE), [_share()], Relation.SHARED, SEE_AND_RENEW),
        (Viewer(CAMILLE), [_share(ShareScope.VIEW)], Relation.SHARED, {Capability.VIEW_CIRCULATION}),
        (Viewer(CAMILLE), [_share(expires_at=NOW + timedelta(seconds=1))], Relation.SHARED, SEE_AND_RENEW),
        (Viewer(CAMILLE), [_share(expires_at=NOW)], Relation.NONE, set()),
        (Viewer(CAMILLE), [], Relation.NONE, set()),
        (Viewer(INES), [_share()], Relation.NONE, set()),
        (Viewer(None), [_share()], Relation.NONE, set()),
        (None, [_share()], Relation.NONE, set()),
    ],
    ids=[
        "self",
        "staff",
        "share-view-and-renew",
        "share-view",
        "share-before-its-end",
        "share-at-its-end",
        "stranger",
        "someone-else-s-share",
        "viewer-without-card",
        "anonymous",
    ],
)
def test_what_each_viewer_may_do_with_leo_s_account(
    viewer: Viewer | None, shares: list[Share], relation: Relation, allowed: set[Capability]
) -> None:
    target = CAMILLE if relation is Relation.SELF else LEO
    access = account_access(viewer, target, shares, NOW)
    assert access.relation is relation
    assert {capability for capability in Capability if access.allows(capability)} == set(allowed)


def test_a_share_grants_its_owner_s_account_only() -> None:
    access = account_access(Viewer(CAMILLE), INES, [_share()], NOW)
    assert access.relation is Relation.NONE


def test_the_share_behind_an_access_is_named() -> None:
    share = _share(ShareScope.VIEW)
    assert account_access(Viewer(CAMILLE), LEO, [share], NOW).share == share


def test_expired_shares_are_left_out() -> None:
    live, ended = _share(), _share(expires_at=NOW - timedelta(days=1))
    assert is_active(live, NOW) and not is_active(ended, NOW)
    assert active_shares([ended, live], NOW) == [live]


def test_only_a_patron_looking_at_another_card_needs_the_shares() -> None:
    assert needs_shares(Viewer(CAMILLE), LEO)
    assert not needs_shares(Viewer(CAMILLE), CAMILLE)
    assert not needs_shares(Viewer(None, is_staff=True), LEO)
    assert not needs_shares(None, LEO)
