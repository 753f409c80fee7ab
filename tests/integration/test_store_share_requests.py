"""Share requests, answers and the audit trail in the SQL store, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from adapters.store.database import Database
from adapters.store.port import PortalStore, ShareScope
from adapters.store.share_port import (
    RequestCounts,
    ShareActor,
    ShareDelivery,
    ShareEvent,
    ShareEventKind,
    ShareRefusal,
    ShareRequest,
    ShareRequestStatus,
)
from adapters.store.sql import sql_store
from schema.sharing.rules import day_window_start, request_refusal
from tests.integration.store_db import database

__all__ = ["database"]

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
CAMILLE, LEO, INES = "2900000001", "2900000002", "2900000003"
K = ShareEventKind


def _store(database: Database, cache_seconds: float = 0.0) -> PortalStore:
    return sql_store(database.sessions, clock=lambda: NOW, cache_seconds=cache_seconds)


def _request(card: str, *, requester: str = CAMILLE, at: datetime = NOW, known: bool = True) -> ShareRequest:
    return ShareRequest(
        id=uuid.uuid4().hex,
        requester_id=requester,
        card_number=card,
        owner_id=card if known else None,
        delivery=ShareDelivery.IN_ACCOUNT,
        status=ShareRequestStatus.PENDING,
        created_at=at,
        expires_at=at + timedelta(days=14),
    )


async def _ask(store: PortalStore, card: str, **kwargs: object) -> ShareRequest | str:
    request = _request(card, **kwargs)  # type: ignore[arg-type]
    return await store.share_requests.create(
        request, "hash-" + card, request_refusal, day_start=day_window_start(request.created_at)
    )


async def test_a_request_is_kept_with_its_event_and_seen_from_both_sides(database: Database) -> None:
    store = _store(database)
    request = await _ask(store, INES)
    assert isinstance(request, ShareRequest)

    assert await store.share_requests.by_id(request.id) == request
    assert await store.share_requests.of_owner(INES) == [request]
    assert await store.share_requests.of_requester(CAMILLE) == [request]
    ((event,),) = await store.share_events.of_requests([request.id])
    assert event == ShareEvent(K.REQUESTED, ShareActor.REQUESTER, NOW, request.id)


async def test_a_request_for_an_unknown_card_is_kept_but_reaches_nobody(database: Database) -> None:
    store = _store(database)
    request = await _ask(store, "2999999999", known=False)

    assert isinstance(request, ShareRequest)
    assert await store.share_requests.of_requester(CAMILLE) == [request]
    assert await store.share_requests.of_owner("2999999999") == []


async def test_the_rule_sees_what_the_store_counts(database: Database) -> None:
    store = _store(database)
    seen: list[RequestCounts] = []

    def spy(counts: RequestCounts) -> None:
        seen.append(counts)

    assert isinstance(await _ask(store, INES), ShareRequest)
    await store.shares.create(LEO, CAMILLE)
    for card in (INES, LEO, "2900000004"):
        request = _request(card)
        await store.share_requests.create(request, None, spy, day_start=day_window_start(NOW))

    assert seen[0] == RequestCounts(pending=1, since_day_start=1, pending_to_card=True, shared_already=False)
    assert seen[1] == RequestCounts(pending=2, since_day_start=2, pending_to_card=False, shared_already=True)
    assert seen[2].pending == 3 and not seen[2].pending_to_card and not seen[2].shared_already


async def test_refusals_by_count_keep_nothing(database: Database) -> None:
    store = _store(database)
    for n in range(10):
        assert isinstance(await _ask(store, f"29100000{n:02d}", known=False), ShareRequest)

    assert await _ask(store, "2910000099", known=False) == "TOO_MANY_PENDING_SHARE_REQUESTS"
    assert await _ask(store, "2910000000", known=False) == "SHARE_REQUEST_PENDING"
    assert len(await store.share_requests.of_requester(CAMILLE)) == 10


async def test_twenty_a_day_then_refused_until_a_day_has_passed(database: Database) -> None:
    store = _store(database)
    for n in range(20):
        made = await _ask(store, f"29100000{n:02d}", at=NOW + timedelta(minutes=n))
        assert isinstance(made, ShareRequest)
        await store.share_requests.decline(made.id, made.card_number, NOW)  # none left pending
    late = NOW + timedelta(hours=23)

    assert await _ask(store, "2910000099", at=late) == "TOO_MANY_SHARE_REQUESTS_TODAY"
    assert isinstance(await _ask(store, "2910000099", at=NOW + timedelta(days=1, minutes=20)), ShareRequest)


async def test_accepting_makes_the_share_once_and_uses_the_token(database: Database) -> None:
    store = _store(database, cache_seconds=60)
    request = await _ask(store, INES)
    assert isinstance(request, ShareRequest)
    assert await store.shares.seen_by(CAMILLE) == []  # cached now
    later = NOW + timedelta(hours=1)
    end = NOW + timedelta(days=400)

    wrong = await store.shares.accept(
        request.id, INES, scope=ShareScope.VIEW, expires_at=end, now=later, token_hash="forged"
    )
    share = await store.shares.accept(
        request.id, INES, scope=ShareScope.VIEW, expires_at=end, now=later, token_hash="hash-" + INES
    )
    again = await store.shares.accept(
        request.id, INES, scope=ShareScope.VIEW, expires_at=end, now=later, token_hash="hash-" + INES
    )

    assert wrong is ShareRefusal.TOKEN_MISMATCH
    assert again is ShareRefusal.ANSWERED
    assert not isinstance(share, ShareRefusal)
    assert (share.owner_id, share.viewer_id) == (INES, CAMILLE)
    assert (share.scope, share.expires_at) == (ShareScope.VIEW, end)
    assert share.request_id == request.id and share.since == later
    assert await store.shares.seen_by(CAMILLE) == [share]  # the cache was forgotten at once
    answered = await store.share_requests.by_id(request.id)
    assert answered is not None and answered.status is ShareRequestStatus.ACCEPTED
    assert answered.share_id == share.id


async def test_only_the_owner_accepts_a_request_still_open(database: Database) -> None:
    store = _store(database)
    request = await _ask(store, INES)
    assert isinstance(request, ShareRequest)
    late = request.expires_at

    async def accept(owner: str, now: datetime) -> object:
        scope = ShareScope.VIEW_AND_RENEW
        return await store.shares.accept(request.id, owner, scope=scope, expires_at=None, now=now)

    assert await accept(LEO, NOW) is ShareRefusal.NOT_FOUND
    assert await accept(INES, late) is ShareRefusal.EXPIRED
    assert await store.shares.accept("nope", INES, scope=ShareScope.VIEW, expires_at=None, now=NOW) is (
        ShareRefusal.NOT_FOUND
    )
    assert await store.shares.seen_by(CAMILLE) == []


async def test_declining_answers_the_request_and_its_token_is_gone(database: Database) -> None:
    store = _store(database)
    request = await _ask(store, INES)
    assert isinstance(request, ShareRequest)

    assert await store.share_requests.decline(request.id, LEO, NOW) is ShareRefusal.NOT_FOUND
    declined = await store.share_requests.decline(request.id, INES, NOW)
    assert not isinstance(declined, ShareRefusal) and declined.status is ShareRequestStatus.DECLINED
    assert await store.share_requests.decline(request.id, INES, NOW) is ShareRefusal.ANSWERED
    accepted = await store.shares.accept(
        request.id, INES, scope=ShareScope.VIEW, expires_at=None, now=NOW, token_hash="hash-" + INES
    )
    assert accepted is ShareRefusal.ANSWERED


async def test_revoking_from_either_side_ends_it_at_once(database: Database) -> None:
    store = _store(database, cache_seconds=60)
    first = await store.shares.create(LEO, CAMILLE)
    second = await store.shares.create(INES, CAMILLE)
    assert len(await store.shares.seen_by(CAMILLE)) == 2  # cached

    assert await store.shares.revoke(first.id, INES, NOW) is ShareRefusal.NOT_FOUND
    assert await store.shares.revoke(first.id, LEO, NOW) == first  # by the owner
    assert await store.shares.revoke(second.id, CAMILLE, NOW) == second  # by the viewer
    assert await store.shares.revoke(second.id, CAMILLE, NOW) is ShareRefusal.NOT_FOUND

    assert await store.shares.seen_by(CAMILLE) == []
    events = await store.share_events.of_shares([first, second])
    assert [[(e.kind, e.actor) for e in trail] for trail in events] == [
        [(K.REVOKED, ShareActor.OWNER)],
        [(K.REVOKED, ShareActor.REQUESTER)],
    ]


async def test_the_owner_changes_scope_and_end(database: Database) -> None:
    store = _store(database, cache_seconds=60)
    share = await store.shares.create(LEO, CAMILLE)
    assert (await store.shares.seen_by(CAMILLE))[0].scope is ShareScope.VIEW_AND_RENEW
    end = NOW + timedelta(days=30)

    assert await store.shares.change(share.id, CAMILLE, ShareScope.VIEW, end, NOW) is ShareRefusal.NOT_FOUND
    changed = await store.shares.change(share.id, LEO, ShareScope.VIEW, end, NOW)

    assert not isinstance(changed, ShareRefusal)
    assert (changed.scope, changed.expires_at) == (ShareScope.VIEW, end)
    assert await store.shares.seen_by(CAMILLE) == [changed]
    ((event,),) = await store.share_events.of_shares([share])
    assert (event.kind, event.scope, event.expires_at) == (K.SCOPE_CHANGED, ShareScope.VIEW, end)


async def test_expired_shares_and_requests_end_with_their_event(database: Database) -> None:
    store = _store(database, cache_seconds=60)
    ending = await store.shares.create(LEO, CAMILLE, expires_at=NOW + timedelta(days=1))
    lasting = await store.shares.create(INES, CAMILLE)
    request = await _ask(store, "2900000004")
    assert isinstance(request, ShareRequest)
    assert len(await store.shares.seen_by(CAMILLE)) == 2

    assert await store.shares.end_expired(NOW) == []
    assert await store.share_requests.expire_due(NOW) == 0
    later = NOW + timedelta(days=15)
    assert await store.shares.end_expired(later) == [ending]
    assert await store.share_requests.expire_due(later) == 1

    assert await store.shares.seen_by(CAMILLE) == [lasting]
    expired = await store.share_requests.by_id(request.id)
    assert expired is not None and expired.status is ShareRequestStatus.EXPIRED
    (trail,) = await store.share_events.of_shares([ending])
    assert [(e.kind, e.actor, e.at) for e in trail] == [(K.EXPIRED, ShareActor.SYSTEM, later)]


async def test_a_share_s_history_is_its_request_s_then_its_own_in_order(database: Database) -> None:
    store = _store(database)
    request = await _ask(store, INES)
    assert isinstance(request, ShareRequest)
    await store.share_events.record(ShareEvent(K.MAILED, ShareActor.SYSTEM, NOW, request.id))
    await store.share_requests.opened(request.id, NOW)
    share = await store.shares.accept(request.id, INES, scope=ShareScope.VIEW, expires_at=None, now=NOW)
    assert not isinstance(share, ShareRefusal)
    await store.shares.change(share.id, INES, ShareScope.VIEW_AND_RENEW, None, NOW)
    await store.shares.revoke(share.id, CAMILLE, NOW)

    (trail,) = await store.share_events.of_shares([share])
    (request_trail,) = await store.share_events.of_requests([request.id])

    kinds = [K.REQUESTED, K.MAILED, K.OPENED, K.ACCEPTED, K.SCOPE_CHANGED, K.REVOKED]
    assert [e.kind for e in trail] == kinds
    assert [e.kind for e in request_trail] == kinds
