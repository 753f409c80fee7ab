"""SqlShareRepository on SQLite and PostgreSQL: accepted shares, seen from both sides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
