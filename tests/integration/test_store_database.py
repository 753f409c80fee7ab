"""The store's database on SQLite and PostgreSQL: migrations (idempotent, matching the models), health."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.store.database import Database, alembic_config
from adapters.store.sessions import SqlSessionStore
from adapters.store.tables import Base
from tests.integration.store_db import database

__all__ = ["database"]


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def test_migrating_again_is_a_no_op(database: Database) -> None:
    await database.migrate()

    async with database.engine.connect() as connection:
        version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
    assert version == _head()


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_server_default": False})
    return list(compare_metadata(context, Base.metadata))


async def test_the_migrations_build_exactly_the_models(database: Database) -> None:
    # A model changed without its migration (or the reverse) would differ here.
    async with database.engine.connect() as connection:
        differences = await connection.run_sync(_differences)
    assert differences == []


async def test_health_reports_the_store_up(database: Database) -> None:
    assert (await database.health()).ok is True


async def test_health_reports_an_unreachable_store_down(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'missing-dir' / 'store.sqlite'}")
    try:
        health = await db.health()
    finally:
        await db.close()

    assert health.name == "store" and health.ok is False and health.detail


async def test_a_read_on_a_pooled_connection_the_server_dropped_is_answered(
    database: Database, request: pytest.FixtureRequest
) -> None:
    # No pool_pre_ping (a round trip per checkout): a dead connection fails its first statement,
    # the pool is invalidated and the read runs again on a fresh connection.
    if database.engine.dialect.name != "postgresql":
        pytest.skip("a SQLite file has no server connection to lose")
    sessions = SqlSessionStore(database.sessions)
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    await sessions.create_session("hash", "2900000001", now, now + timedelta(hours=1))
    async with database.engine.connect() as connection:  # the one pooled connection
        backend = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    admin = create_async_engine(request.getfixturevalue("postgres_url"))
    try:
        async with admin.connect() as connection:
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    finally:
        await admin.dispose()

    found = await sessions.find_session("hash")

    assert found is not None and found.patron_id == "2900000001"
