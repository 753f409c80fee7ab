"""The SQL repository of new-arrivals digests and the titles each patron was sent (AlertDigestRepository).

Owns the queries on alert_digests and alert_deliveries. A digest and its titles are
recorded in one transaction; the deliveries' primary key (patron, title) makes a title
recorded once per patron ever, so two runs at once cannot both record it. Never holds an
e-mail address (the job asks the ILS when it queues the message).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.port import AlertDigest
from adapters.store.tables import AlertDeliveryRow, AlertDigestRow


def _digest(row: AlertDigestRow) -> AlertDigest:
    return AlertDigest(row.id, row.patron_id, row.language, dict(row.content), row.created_at, row.queued_at)


class SqlAlertDigestRepository:
    """AlertDigestRepository over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    async def sent_titles(self, patron_ids: Sequence[str]) -> dict[str, set[str]]:
        query = select(AlertDeliveryRow.patron_id, AlertDeliveryRow.title_id).where(
            AlertDeliveryRow.patron_id.in_(list(patron_ids))
        )
        sent: dict[str, set[str]] = {}
        async with self._sessions() as session:
            for patron_id, title_id in await session.execute(query):
                sent.setdefault(patron_id, set()).add(title_id)
        return sent

    async def record(
        self, patron_id: str, language: str, content: dict[str, Any], title_ids: Sequence[str]
    ) -> AlertDigest | None:
        row = AlertDigestRow(
            id=uuid.uuid4().hex,
            patron_id=patron_id,
            language=language,
            content=content,
            created_at=self._clock(),
        )
        try:
            async with self._sessions.begin() as session:
                session.add(row)
                await session.flush()
                session.add_all(
                    AlertDeliveryRow(patron_id=patron_id, title_id=title_id, digest_id=row.id)
                    for title_id in dict.fromkeys(title_ids)
                )
        except IntegrityError:
            return None
        return _digest(row)

    async def unqueued(self) -> list[AlertDigest]:
        query = (
            select(AlertDigestRow)
            .where(AlertDigestRow.queued_at.is_(None))
            .order_by(AlertDigestRow.created_at, AlertDigestRow.id)
        )
        async with self._sessions() as session:
            return [_digest(row) for row in await session.scalars(query)]

    async def mark_queued(self, digest_id: str, at: datetime) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(AlertDigestRow).where(AlertDigestRow.id == digest_id).values(queued_at=at)
            )
