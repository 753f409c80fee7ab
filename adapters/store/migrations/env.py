"""Alembic environment of the portal store.

The gateway passes its own connection (`config.attributes["connection"]`); run by hand,
it connects to GATEWAY_DATABASE_URL. Never configures logging (the application owns it).
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.store.tables import Base

_DEFAULT_URL = "sqlite+aiosqlite:///./gateway.sqlite"


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_by_hand() -> None:
    engine = create_async_engine(os.environ.get("GATEWAY_DATABASE_URL", _DEFAULT_URL))
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


_connection = context.config.attributes.get("connection")
if _connection is not None:
    _run(_connection)
else:
    asyncio.run(_run_by_hand())
