"""The store's database on SQLite and PostgreSQL: migrations (idempotent, matching the models), health."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from adapters.store.database import Database, alembic_config
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
