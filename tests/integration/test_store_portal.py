"""SqlPortalStore on SQLite and PostgreSQL: shares and idempotency keys; migrations are idempotent."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from adapters.store.database import Database
from adapters.store.portal import SqlPortalStore
from tests.integration.store_db import database

__all__ = ["database"]

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _store(database: Database) -> SqlPortalStore:
    return SqlPortalStore(database.sessions, clock=lambda: NOW)


async def test_a_share_is_seen_from_both_sides(database: Database) -> None:
    store = _store(database)
    share = await store.create_share(owner_id="2900000002", viewer_id="2900000001")

    assert share.since == NOW
    assert await store.shares_seen_by("2900000001") == [share]
    assert await store.shares_of("2900000002") == [share]
    assert await store.shares_seen_by("2900000002") == []
    assert await store.shares_of("2900000003") == []


async def test_creating_the_same_share_twice_keeps_one(database: Database) -> None:
    store = _store(database)
    first = await store.create_share(owner_id="2900000002", viewer_id="2900000001")
    again = await store.create_share(owner_id="2900000002", viewer_id="2900000001")

    assert again == first
    assert len(await store.shares_of("2900000002")) == 1


async def test_the_first_idempotent_result_wins(database: Database) -> None:
    store = _store(database)
    assert await store.idempotent_result("key-1", "2900000001") is None

    await store.record_idempotent_result("key-1", "2900000001", '{"hold": "h1"}')
    await store.record_idempotent_result("key-1", "2900000001", '{"hold": "h2"}')

    assert await store.idempotent_result("key-1", "2900000001") == '{"hold": "h1"}'
    # Keys are per patron: another patron's identical key is another request.
    assert await store.idempotent_result("key-1", "2900000004") is None


async def test_concurrent_records_of_one_key_keep_exactly_one(database: Database) -> None:
    store = _store(database)
    await asyncio.gather(*(store.record_idempotent_result("key-2", "p", f'{{"n": {n}}}') for n in range(5)))

    result = await store.idempotent_result("key-2", "p")
    assert result is not None and result.startswith('{"n": ')


async def test_migrating_again_is_a_no_op(database: Database) -> None:
    await database.migrate()

    async with database.engine.connect() as connection:
        version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
    assert version == "0001"


async def test_health_reports_the_store_up(database: Database) -> None:
    assert (await database.health()).ok is True


async def test_health_reports_an_unreachable_store_down(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'missing-dir' / 'store.sqlite'}")
    try:
        health = await db.health()
    finally:
        await db.close()

    assert health.name == "store" and health.ok is False and health.detail
