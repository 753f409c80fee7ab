"""The SQL repository of idempotency records (`IdempotencyRepository`): the first result of a keyed request.

Owns the queries on the idempotency_keys table. Never interprets a result (opaque JSON of
the mutation that recorded it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.tables import IdempotencyRow


class SqlIdempotencyRepository:
    """IdempotencyRepository over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    async def result(self, key: str, patron_id: str) -> str | None:
        async with self._sessions() as session:
            row = await session.get(IdempotencyRow, (key, patron_id))
            return None if row is None else row.result

    async def record(self, key: str, patron_id: str, result: str) -> None:
        row = IdempotencyRow(key=key, patron_id=patron_id, result=result, created_at=self._clock())
        try:
            async with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError:
            # The first record wins; a concurrent retry lost the race and keeps nothing.
            return
