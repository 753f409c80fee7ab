"""The SQL repository of new-arrivals alert lists (`AlertListRepository`).

Owns the queries on the alert_lists table. A retired list is kept (its subscriptions and
what was sent stay explainable) but no longer offered. Never decides who may change a list
(staff only: the schema decides) and never talks to the ILS.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.port import AlertList
from adapters.store.tables import AlertListRow


def _alert(row: AlertListRow) -> AlertList:
    return AlertList(
        id=row.id,
        library_code=row.library_code,
        title=row.title,
        description=row.description,
        created_at=row.created_at,
        retired_at=row.retired_at,
        checked_on=row.checked_on,
    )


class SqlAlertListRepository:
    """AlertListRepository over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    async def active(self) -> list[AlertList]:
        query = (
            select(AlertListRow)
            .where(AlertListRow.retired_at.is_(None))
            .order_by(AlertListRow.library_code, AlertListRow.created_at, AlertListRow.id)
        )
        async with self._sessions() as session:
            return [_alert(row) for row in await session.scalars(query)]

    async def by_ids(self, alert_ids: Sequence[str]) -> list[AlertList | None]:
        query = select(AlertListRow).where(AlertListRow.id.in_(list(alert_ids)))
        async with self._sessions() as session:
            found = {row.id: _alert(row) for row in await session.scalars(query)}
        return [found.get(alert_id) for alert_id in alert_ids]

    async def libraries_with_lists(self) -> set[str]:
        async with self._sessions() as session:
            return set(await session.scalars(select(AlertListRow.library_code).distinct()))

    async def create(
        self, library_code: str, title: str, description: str | None, *, alert_id: str | None = None
    ) -> AlertList:
        row = AlertListRow(
            id=alert_id or uuid.uuid4().hex,
            library_code=library_code,
            title=title,
            description=description,
            created_at=self._clock(),
        )
        try:
            async with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError:
            # Another replica seeded the same list first: theirs stands.
            (existing,) = await self.by_ids([row.id])
            if existing is None:
                raise
            return existing
        return _alert(row)

    async def update(self, alert_id: str, title: str, description: str | None) -> AlertList | None:
        async with self._sessions.begin() as session:
            row = await session.get(AlertListRow, alert_id)
            if row is None or row.retired_at is not None:
                return None
            row.title, row.description = title, description
            return _alert(row)

    async def retire(self, alert_id: str) -> AlertList | None:
        async with self._sessions.begin() as session:
            row = await session.get(AlertListRow, alert_id)
            if row is None or row.retired_at is not None:
                return None
            row.retired_at = self._clock()
            return _alert(row)

    async def mark_checked(self, alert_id: str, on: date) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(AlertListRow).where(AlertListRow.id == alert_id).values(checked_on=on)
            )
