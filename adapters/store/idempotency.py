"""The SQL repository of idempotency records (`IdempotencyRepository`): keyed requests, claimed first.

Owns the queries on the idempotency_keys table. A request with a key claims it before it
does anything (an insert: the primary key makes one claimant win, on SQLite and PostgreSQL
alike, across workers and replicas), then records its result, or releases the claim when it
has nothing definitive to record. A claim whose result is still `PENDING` is under way; one
older than `stale_after` was left by a process that died and may be taken over. Never
interprets a result (opaque JSON of the mutation that recorded it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.port import PENDING
from adapters.store.tables import IdempotencyRow


class SqlIdempotencyRepository:
    """IdempotencyRepository over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime],
        *,
        stale_after: timedelta = timedelta(minutes=2),
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._stale_after = stale_after

    async def result(self, key: str, patron_id: str) -> str | None:
        async with self._sessions() as session:
            row = await session.get(IdempotencyRow, (key, patron_id))
            return None if row is None else row.result

    async def claim(self, key: str, patron_id: str) -> str | None:
        now = self._clock()
        row = IdempotencyRow(key=key, patron_id=patron_id, result=PENDING, created_at=now)
        try:
            async with self._sessions.begin() as session:
                session.add(row)
            return None
        except IntegrityError:
            pass
        async with self._sessions.begin() as session:
            # Taken over only if still pending and stale: one UPDATE, so one taker wins.
            taken = await session.execute(
                update(IdempotencyRow)
                .where(
                    IdempotencyRow.key == key,
                    IdempotencyRow.patron_id == patron_id,
                    IdempotencyRow.result == PENDING,
                    IdempotencyRow.created_at < now - self._stale_after,
                )
                .values(created_at=now)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                return None
            existing = await session.get(IdempotencyRow, (key, patron_id))
        # Released between the insert and the read: claim again (a release means "try anew").
        return PENDING if existing is None else existing.result

    async def complete(self, key: str, patron_id: str, result: str) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(IdempotencyRow)
                .where(IdempotencyRow.key == key, IdempotencyRow.patron_id == patron_id)
                .values(result=result)
            )

    async def release(self, key: str, patron_id: str) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                delete(IdempotencyRow).where(
                    IdempotencyRow.key == key,
                    IdempotencyRow.patron_id == patron_id,
                    IdempotencyRow.result == PENDING,
                )
            )
