"""The store's database: engine creation from a URL, Alembic migrations at start-up, health.

Owns the engine's life cycle and what happens when a pooled connection turns out dead. No
`pool_pre_ping`: it costs a round trip (a `SELECT 1` through the driver) on every checkout,
that is on nearly every request. A connection that died in the pool (a restarted database,
a proxy's idle timeout) instead fails its first statement; SQLAlchemy then invalidates the
pool, and `read_again_if_disconnected` runs a read once more on a fresh connection. Writes
are not repeated here (a lost COMMIT is ambiguous). Never builds SQL from strings with
values in them, never logs the URL's password. SQLite (aiosqlite) is the embedded default,
PostgreSQL (asyncpg) is chosen by URL.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from adapters.ils.models import DependencyHealth

_HERE = Path(__file__).resolve().parent
T = TypeVar("T")


def alembic_config() -> Config:
    """The Alembic configuration shipped inside the package (works from an installed wheel too)."""
    config = Config(str(_HERE / "alembic.ini"))
    config.set_main_option("script_location", str(_HERE / "migrations"))
    return config


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    # env.py runs on this connection instead of opening its own engine.
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def read_again_if_disconnected(read: Callable[[], Awaitable[T]]) -> T:
    """`read()`, and once more if the pooled connection it got was dead (then invalidated)."""
    try:
        return await read()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        return await read()


class Database:
    """An async engine plus its session factory."""

    def __init__(self, url: str, *, connect_args: Mapping[str, object] | None = None) -> None:
        options: dict[str, object] = {}
        if url.startswith("sqlite"):
            # One file, many coroutines: wait for the writer instead of failing at once.
            options["connect_args"] = {"timeout": 15, **(connect_args or {})}
        elif connect_args:
            options["connect_args"] = dict(connect_args)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    async def migrate(self) -> None:
        """Bring the schema to the latest Alembic revision (Alembic is sync: it runs via run_sync)."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade)

    async def health(self) -> DependencyHealth:
        """`SELECT 1` on a pooled connection."""
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError) as error:
            return DependencyHealth(name="store", ok=False, detail=type(error).__name__)
        return DependencyHealth(name="store", ok=True)

    async def close(self) -> None:
        await self.engine.dispose()
