"""SqlIdempotencyRepository on SQLite and PostgreSQL: one claimant per key, its result for every retry."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from adapters.store.database import Database
from adapters.store.idempotency import SqlIdempotencyRepository
from adapters.store.port import PENDING
from tests.integration.store_db import database

__all__ = ["database"]

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


class _Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def _records(database: Database, clock: _Clock | None = None) -> SqlIdempotencyRepository:
    return SqlIdempotencyRepository(database.sessions, clock or _Clock(), stale_after=timedelta(minutes=2))


async def test_the_first_claim_owns_the_key_and_its_result_answers_every_later_claim(
    database: Database,
) -> None:
    records = _records(database)
    assert await records.claim("key-1", "2900000001") is None
    # Under way: a second claimant is told so, and does not own the key.
    assert await records.claim("key-1", "2900000001") == PENDING

    await records.complete("key-1", "2900000001", '{"hold": "h1"}')

    assert await records.claim("key-1", "2900000001") == '{"hold": "h1"}'
    assert await records.result("key-1", "2900000001") == '{"hold": "h1"}'
    # Keys are per patron: another patron's identical key is another request.
    assert await records.claim("key-1", "2900000004") is None


async def test_concurrent_claims_of_one_key_have_exactly_one_owner(database: Database) -> None:
    records = _records(database)
    claims = await asyncio.gather(*(records.claim("key-2", "p") for _ in range(8)))
    assert claims.count(None) == 1
    assert claims.count(PENDING) == 7


async def test_a_released_claim_can_be_claimed_again_but_a_result_is_never_released(
    database: Database,
) -> None:
    records = _records(database)
    assert await records.claim("key-3", "p") is None
    await records.release("key-3", "p")
    assert await records.result("key-3", "p") is None
    assert await records.claim("key-3", "p") is None

    await records.complete("key-3", "p", '{"n": 1}')
    await records.release("key-3", "p")
    assert await records.claim("key-3", "p") == '{"n": 1}'


async def test_a_claim_left_pending_by_a_dead_process_is_taken_over_once_stale(database: Database) -> None:
    clock = _Clock()
    records = _records(database, clock)
    assert await records.claim("key-4", "p") is None
    clock.now = NOW + timedelta(minutes=1)
    assert await records.claim("key-4", "p") == PENDING
    clock.now = NOW + timedelta(minutes=3)
    takers = await asyncio.gather(*(records.claim("key-4", "p") for _ in range(4)))
    assert takers.count(None) == 1
