"""The SQL repository of subscriptions to new-arrivals alert lists (`AlertSubscriptionRepository`).

Owns the queries on the alert_subscriptions table; subscribing and unsubscribing are
idempotent. Never checks that a list is active (the schema does) or who may subscribe.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.port import AlertSubscription
from adapters.store.tables import AlertSubscriptionRow


def _subscription(row: AlertSubscriptionRow) -> AlertSubscription:
    return AlertSubscription(row.alert_id, row.patron_id, row.language, row.since)


class SqlAlertSubscriptionRepository:
    """AlertSubscriptionRepository over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    async def of_patrons(self, patron_ids: Sequence[str]) -> list[list[AlertSubscription]]:
        query = (
            select(AlertSubscriptionRow)
            .where(AlertSubscriptionRow.patron_id.in_(list(patron_ids)))
            .order_by(AlertSubscriptionRow.since, AlertSubscriptionRow.alert_id)
        )
        by_patron: dict[str, list[AlertSubscription]] = {}
        async with self._sessions() as session:
            for row in await session.scalars(query):
                by_patron.setdefault(row.patron_id, []).append(_subscription(row))
        return [by_patron.get(patron_id, []) for patron_id in patron_ids]

    async def of_alerts(self, alert_ids: Sequence[str]) -> list[AlertSubscription]:
        query = (
            select(AlertSubscriptionRow)
            .where(AlertSubscriptionRow.alert_id.in_(list(alert_ids)))
            .order_by(AlertSubscriptionRow.patron_id, AlertSubscriptionRow.since)
        )
        async with self._sessions() as session:
            return [_subscription(row) for row in await session.scalars(query)]

    async def subscribe(self, patron_id: str, alert_id: str, language: str) -> None:
        try:
            await self._write(patron_id, alert_id, language)
        except IntegrityError:
            # A concurrent subscribe created it between our read and our insert.
            await self._write(patron_id, alert_id, language)

    async def _write(self, patron_id: str, alert_id: str, language: str) -> None:
        async with self._sessions.begin() as session:
            row = await session.get(AlertSubscriptionRow, (alert_id, patron_id))
            if row is None:
                session.add(
                    AlertSubscriptionRow(
                        alert_id=alert_id, patron_id=patron_id, language=language, since=self._clock()
                    )
                )
            else:
                row.language = language

    async def unsubscribe(self, patron_id: str, alert_id: str) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                delete(AlertSubscriptionRow).where(
                    AlertSubscriptionRow.alert_id == alert_id, AlertSubscriptionRow.patron_id == patron_id
                )
            )
