"""SqlSessionStore on SQLite and PostgreSQL: create, find, touch, delete, purge; tokens never stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from adapters.store.database import Database
from adapters.store.sessions import SqlSessionStore
from tests.integration.store_db import database

__all__ = ["database"]

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


async def test_a_created_session_is_found_by_its_hash_with_aware_utc_times(database: Database) -> None:
    store = SqlSessionStore(database.sessions)
    created = await store.create_session("a" * 64, "2900000001", NOW, NOW + timedelta(hours=12))

    found = await store.find_session("a" * 64)

    assert found == created
    assert found is not None and found.patron_id == "2900000001"
    assert found.created_at == NOW and found.created_at.tzinfo is not None
    assert found.expires_at == NOW + timedelta(hours=12)
    assert await store.find_session("b" * 64) is None


async def test_touch_moves_last_seen_only(database: Database) -> None:
    store = SqlSessionStore(database.sessions)
    created = await store.create_session("c" * 64, "2900000001", NOW, NOW + timedelta(hours=12))

    await store.touch_session(created.id, NOW + timedelta(minutes=5))

    found = await store.find_session("c" * 64)
    assert found is not None
    assert found.last_seen_at == NOW + timedelta(minutes=5)
    assert found.created_at == NOW


async def test_delete_ends_one_session_and_says_so(database: Database) -> None:
    store = SqlSessionStore(database.sessions)
    await store.create_session("d" * 64, "2900000001", NOW, NOW + timedelta(hours=1))
    await store.create_session("e" * 64, "2900000001", NOW, NOW + timedelta(hours=1))

    assert await store.delete_session("d" * 64) is True
    assert await store.delete_session("d" * 64) is False
    assert await store.find_session("d" * 64) is None
    assert await store.find_session("e" * 64) is not None


async def test_purge_removes_expired_and_idle_sessions(database: Database) -> None:
    store = SqlSessionStore(database.sessions)
    # Past its absolute expiry:
    await store.create_session("1" * 64, "p1", NOW - timedelta(hours=13), NOW - timedelta(hours=1))
    idle = await store.create_session("2" * 64, "p2", NOW - timedelta(hours=2), NOW + timedelta(hours=10))
    await store.touch_session(idle.id, NOW - timedelta(hours=1))  # idle since an hour
    await store.create_session("3" * 64, "p3", NOW, NOW + timedelta(hours=12))  # fresh

    purged = await store.delete_sessions_before(NOW, NOW - timedelta(minutes=30))

    assert purged == 2
    assert await store.find_session("3" * 64) is not None


async def test_the_table_holds_hashes_only(database: Database) -> None:
    store = SqlSessionStore(database.sessions)
    await store.create_session("f" * 64, "2900000001", NOW, NOW + timedelta(hours=1))

    async with database.engine.connect() as connection:
        columns = (await connection.execute(text("SELECT * FROM sessions"))).keys()

    assert set(columns) == {"id", "token_hash", "patron_id", "created_at", "last_seen_at", "expires_at"}
