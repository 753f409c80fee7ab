"""SqlIdempotencyRepository on SQLite and PostgreSQL: the first result of a keyed request wins."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from adapters.store.database import Database
from adapters.store.idempotency import SqlIdempotencyRepository
from tests.integration.store_db import database

__all__ = ["database"]

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _records(database: Database) -> SqlIdempotencyRepository:
    return SqlIdempotencyRepository(database.sessions, lambda: NOW)


async def test_the_first_idempotent_result_wins(database: Database) -> None:
    records = _records(database)
    assert await records.result("key-1", "2900000001") is None

    await records.record("key-1", "2900000001", '{"hold": "h1"}')
    await records.record("key-1", "2900000001", '{"hold": "h2"}')

    assert await records.result("key-1", "2900000001") == '{"hold": "h1"}'
    # Keys are per patron: another patron's identical key is another request.
    assert await records.result("key-1", "2900000004") is None


async def test_concurrent_records_of_one_key_keep_exactly_one(database: Database) -> None:
    records = _records(database)
    await asyncio.gather(*(records.record("key-2", "p", f'{{"n": {n}}}') for n in range(5)))

    result = await records.result("key-2", "p")
    assert result is not None and result.startswith('{"n": ')
