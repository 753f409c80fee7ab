"""SessionManager over an in-memory SessionStore: hashing, expiry decisions, touch throttling."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from adapters.store.port import SessionRecord, SessionStore
from gateway.auth import parse_identifier
from gateway.sessions import SessionManager


class MemorySessionStore(SessionStore):
    def __init__(self) -> None:
        self.rows: dict[str, SessionRecord] = {}
        self.touches = 0
        self.finds = 0

    async def create_session(
        self, token_hash: str, patron_id: str, now: datetime, expires_at: datetime
    ) -> SessionRecord:
        record = SessionRecord(f"s{len(self.rows)}", patron_id, now, now, expires_at)
        self.rows[token_hash] = record
        return record

    async def find_session(self, token_hash: str) -> SessionRecord | None:
        self.finds += 1
        return self.rows.get(token_hash)

    async def touch_session(self, session_id: str, now: datetime) -> None:
        self.touches += 1
        for key, record in self.rows.items():
            if record.id == session_id:
                self.rows[key] = dataclasses.replace(record, last_seen_at=now)

    async def delete_session(self, token_hash: str) -> bool:
        return self.rows.pop(token_hash, None) is not None

    async def delete_sessions_before(self, now: datetime, idle_since: datetime) -> int:
        stale = [k for k, r in self.rows.items() if r.expires_at <= now or r.last_seen_at <= idle_since]
        for key in stale:
            del self.rows[key]
        return len(stale)


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class _Timer:
    """The cache's monotonic timer, moved by the test."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _manager(
    store: MemorySessionStore, clock: _Clock, *, cache_seconds: float = 0.0, timer: _Timer | None = None
) -> SessionManager:
    return SessionManager(
        store,
        secret_key="secret",
        idle_timeout=timedelta(minutes=30),
        absolute_timeout=timedelta(hours=12),
        clock=clock,
        cache_seconds=cache_seconds,
        cache_timer=timer or _Timer(),
    )


async def test_the_store_keeps_a_keyed_hash_never_the_token() -> None:
    store, clock = MemorySessionStore(), _Clock()
    opened = await _manager(store, clock).open("2900000001")

    (stored_hash,) = store.rows
    assert opened.token not in stored_hash and len(stored_hash) == 64
    assert opened.token not in repr(opened)
    other_key = SessionManager(
        store, secret_key="other", idle_timeout=timedelta(1), absolute_timeout=timedelta(1)
    )
    assert other_key.hash_token(opened.token) != stored_hash


async def test_activity_is_recorded_at_most_once_a_minute() -> None:
    store, clock = MemorySessionStore(), _Clock()
    manager = _manager(store, clock)
    opened = await manager.open("2900000001")

    for _ in range(5):
        clock.now += timedelta(seconds=10)
        assert await manager.resolve(opened.token) is not None

    assert store.touches == 0
    clock.now += timedelta(seconds=15)
    await manager.resolve(opened.token)
    assert store.touches == 1


async def test_an_expired_session_is_deleted_when_seen() -> None:
    store, clock = MemorySessionStore(), _Clock()
    manager = _manager(store, clock)
    opened = await manager.open("2900000001")

    clock.now += timedelta(minutes=31)

    assert await manager.resolve(opened.token) is None
    assert store.rows == {}


async def test_garbage_tokens_resolve_to_nobody() -> None:
    manager = _manager(MemorySessionStore(), _Clock())

    assert await manager.resolve("") is None
    assert await manager.resolve("x" * 500) is None
    assert await manager.end("") is False


def test_identifiers_are_cards_without_punctuation_or_e_mails() -> None:
    assert parse_identifier(" 29 00-00.00/01 ") == parse_identifier("2900000001")
    card = parse_identifier("2900000001")
    assert card is not None and (card.kind, card.value) == ("card", "2900000001")
    email = parse_identifier(" camille.martin@example.org ")
    assert email is not None and (email.kind, email.value) == ("email", "camille.martin@example.org")
    assert parse_identifier(" - ") is None
    assert parse_identifier("9" * 300) is None


async def test_a_busy_session_is_read_from_the_store_once_per_cache_period() -> None:
    store, clock, timer = MemorySessionStore(), _Clock(), _Timer()
    manager = _manager(store, clock, cache_seconds=2.0, timer=timer)
    opened = await manager.open("2900000001")

    for _ in range(10):
        assert await manager.resolve(opened.token) is not None
    timer.now = 2.5
    assert await manager.resolve(opened.token) is not None

    assert store.finds == 2


async def test_a_cached_session_still_expires_on_time() -> None:
    store, clock = MemorySessionStore(), _Clock()
    manager = _manager(store, clock, cache_seconds=60.0)
    opened = await manager.open("2900000001")
    await manager.resolve(opened.token)

    clock.now += timedelta(minutes=31)  # idle: the cached record says so too

    assert await manager.resolve(opened.token) is None
    assert store.rows == {}


async def test_logout_is_immediate_in_this_process_and_bounded_in_another() -> None:
    store, clock, timer = MemorySessionStore(), _Clock(), _Timer()
    here = _manager(store, clock, cache_seconds=2.0, timer=timer)
    other_worker = _manager(store, clock, cache_seconds=2.0, timer=timer)
    opened = await here.open("2900000001")
    await here.resolve(opened.token)
    await other_worker.resolve(opened.token)

    assert await here.end(opened.token) is True

    assert await here.resolve(opened.token) is None
    timer.now = 1.9
    assert await other_worker.resolve(opened.token) is not None  # the bound: up to cache_seconds
    timer.now = 2.1
    assert await other_worker.resolve(opened.token) is None
