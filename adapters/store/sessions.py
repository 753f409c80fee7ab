"""The SQL implementation of `SessionStore`: rows of signed-in sessions keyed by token hash.

Owns the session table's queries. Never sees a raw token (the gateway hashes it first)
and never decides expiry (gateway/sessions.py does, with its clock).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.database import read_again_if_disconnected
from adapters.store.port import SessionRecord
from adapters.store.tables import SessionRow


def _record(row: SessionRow) -> SessionRecord:
    return SessionRecord(
        id=row.id,
        patron_id=row.patron_id,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
    )


class SqlSessionStore:
    """SessionStore over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def create_session(
        self, token_hash: str, patron_id: str, now: datetime, expires_at: datetime
    ) -> SessionRecord:
        row = SessionRow(
            id=uuid.uuid4().hex,
            token_hash=token_hash,
            patron_id=patron_id,
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
        )
        async with self._sessions.begin() as session:
            session.add(row)
        return _record(row)

    async def find_session(self, token_hash: str) -> SessionRecord | None:
        return await read_again_if_disconnected(lambda: self._find(token_hash))

    async def _find(self, token_hash: str) -> SessionRecord | None:
        async with self._sessions() as session:
            query = select(SessionRow).where(SessionRow.token_hash == token_hash)
            row = (await session.scalars(query)).first()
            return None if row is None else _record(row)

    async def touch_session(self, session_id: str, now: datetime) -> None:
        async with self._sessions.begin() as session:
            query = update(SessionRow).where(SessionRow.id == session_id).values(last_seen_at=now)
            await session.execute(query)

    async def delete_session(self, token_hash: str) -> bool:
        async with self._sessions.begin() as session:
            result = await session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def delete_sessions_before(self, now: datetime, idle_since: datetime) -> int:
        stale = or_(SessionRow.expires_at <= now, SessionRow.last_seen_at <= idle_since)
        async with self._sessions.begin() as session:
            result = await session.execute(delete(SessionRow).where(stale))
            return int(result.rowcount)  # type: ignore[attr-defined]
