"""SqlShareRepository on SQLite and PostgreSQL: accepted shares, seen from both sides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from adapters.store.database import Database
from adapters.store.port import ShareScope
from adapters.store.shares import SqlShareRepository
from tests.integration.store_db import database

__all__ = ["database"]

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _shares(database: Database) -> SqlShareRepository:
    return SqlShareRepository(database.sessions, lambda: NOW)


async def test_a_share_is_seen_from_both_sides(database: Database) -> None:
    shares = _shares(database)
    share = await shares.create("2900000002", "2900000001")

    assert share.since == NOW
    assert share.scope is ShareScope.VIEW_AND_RENEW and share.expires_at is None
    assert await shares.seen_by("2900000001") == [share]
    assert await shares.of_owner("2900000002") == [share]
    assert await shares.seen_by("2900000002") == []
    assert await shares.of_owner("2900000003") == []


async def test_a_share_keeps_its_scope_and_end(database: Database) -> None:
    shares = _shares(database)
    end = NOW + timedelta(days=365)
    share = await shares.create("2900000002", "2900000001", scope=ShareScope.VIEW, expires_at=end)

    (read,) = await shares.seen_by("2900000001")
    assert read == share
    assert read.scope is ShareScope.VIEW and read.expires_at == end


async def test_creating_the_same_share_twice_keeps_one(database: Database) -> None:
    shares = _shares(database)
    first = await shares.create("2900000002", "2900000001")
    again = await shares.create("2900000002", "2900000001")

    assert again == first
    assert len(await shares.of_owner("2900000002")) == 1


class _Timer:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _counting_reads(database: Database) -> list[str]:
    """The SELECTs on the shares table the engine runs from now on."""
    seen: list[str] = []

    def count(connection: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "shares" in statement:
            seen.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    return seen


async def test_a_viewer_s_shares_are_read_once_per_cache_period(database: Database) -> None:
    timer = _Timer()
    shares = SqlShareRepository(database.sessions, lambda: NOW, cache_seconds=2.0, cache_timer=timer)
    share = await shares.create("2900000002", "2900000001")
    reads = _counting_reads(database)

    answers = [await shares.seen_by("2900000001") for _ in range(5)]
    timer.now = 2.5
    answers.append(await shares.seen_by("2900000001"))

    assert answers == [[share]] * 6
    assert len(reads) == 2


async def test_a_change_is_seen_at_once_here_and_within_the_cache_period_elsewhere(
    database: Database,
) -> None:
    timer = _Timer()
    here = SqlShareRepository(database.sessions, lambda: NOW, cache_seconds=2.0, cache_timer=timer)
    other_worker = SqlShareRepository(database.sessions, lambda: NOW, cache_seconds=2.0, cache_timer=timer)
    assert await here.seen_by("2900000001") == [] == await other_worker.seen_by("2900000001")

    share = await here.create("2900000002", "2900000001")

    assert await here.seen_by("2900000001") == [share]
    timer.now = 1.9
    assert await other_worker.seen_by("2900000001") == []  # the bound: up to cache_seconds
    timer.now = 2.1
    assert await other_worker.seen_by("2900000001") == [share]
