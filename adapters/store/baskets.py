"""The SQL repository of baskets (`BasketRepository`): baskets and the records in them.

Owns the queries on the baskets and basket_records tables. Each change is one transaction
that first takes the patron's write lock (adapters/store/write_lock.py), so the limits it
is given hold under concurrent requests; a refusal rolls everything back. Never checks
record ids against the ILS (the schema does) and never decides who may see a basket.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.port import Basket, PortalRefusal
from adapters.store.tables import BasketRecordRow, BasketRow
from adapters.store.write_lock import Refused, locked_write


def name_key(name: str) -> str:
    """What makes two basket names the same: equal once case-folded."""
    return name.casefold()


class SqlBasketRepository:
    """BasketRepository over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    async def of_patrons(self, patron_ids: Sequence[str]) -> list[list[Basket]]:
        query = (
            select(BasketRow, BasketRecordRow.record_id)
            .outerjoin(BasketRecordRow, BasketRecordRow.basket_id == BasketRow.id)
            .where(BasketRow.patron_id.in_(list(patron_ids)))
            .order_by(BasketRow.created_at, BasketRow.id, BasketRecordRow.position)
        )
        rows: dict[str, BasketRow] = {}
        records: dict[str, list[str]] = {}
        async with self._sessions() as session:
            for basket, record_id in await session.execute(query):
                rows.setdefault(basket.id, basket)
                if record_id is not None:
                    records.setdefault(basket.id, []).append(record_id)
        by_patron: dict[str, list[Basket]] = {}
        for basket_id, row in rows.items():
            by_patron.setdefault(row.patron_id, []).append(_basket(row, records.get(basket_id, [])))
        return [by_patron.get(patron_id, []) for patron_id in patron_ids]

    async def create(
        self, patron_id: str, name: str, record_ids: Sequence[str], *, max_baskets: int, max_records: int
    ) -> Basket | PortalRefusal:
        wanted = list(dict.fromkeys(record_ids))
        if len(wanted) > max_records:
            return PortalRefusal.TOO_MANY_RECORDS
        now = self._clock()
        row = BasketRow(
            id=uuid.uuid4().hex,
            patron_id=patron_id,
            name=name,
            name_key=name_key(name),
            created_at=now,
            updated_at=now,
        )

        async def write(session: AsyncSession) -> Basket:
            count = select(func.count()).select_from(BasketRow).where(BasketRow.patron_id == patron_id)
            if (await session.scalar(count) or 0) >= max_baskets:
                raise Refused(PortalRefusal.TOO_MANY)
            await _refuse_taken_name(session, patron_id, row.name_key, None)
            session.add(row)
            await session.flush()
            session.add_all(_record_rows(row.id, wanted, 0))
            return _basket(row, wanted)

        return await locked_write(self._sessions, patron_id, write)

    async def rename(self, patron_id: str, basket_id: str, name: str) -> Basket | PortalRefusal:
        async def write(session: AsyncSession) -> Basket:
            row = await _own(session, patron_id, basket_id)
            await _refuse_taken_name(session, patron_id, name_key(name), basket_id)
            row.name, row.name_key, row.updated_at = name, name_key(name), self._clock()
            return _basket(row, await _record_ids(session, basket_id))

        return await locked_write(self._sessions, patron_id, write)

    async def delete(self, patron_id: str, basket_id: str) -> bool:
        async def write(session: AsyncSession) -> bool:
            row = await _own(session, patron_id, basket_id)
            await session.execute(delete(BasketRecordRow).where(BasketRecordRow.basket_id == basket_id))
            await session.delete(row)
            return True

        return await locked_write(self._sessions, patron_id, write) is True

    async def add(
        self, patron_id: str, basket_id: str, record_ids: Sequence[str], *, max_records: int
    ) -> Basket | PortalRefusal:
        async def write(session: AsyncSession) -> Basket:
            row = await _own(session, patron_id, basket_id)
            kept = await _record_ids(session, basket_id)
            known = set(kept)
            new = [record_id for record_id in dict.fromkeys(record_ids) if record_id not in known]
            if len(kept) + len(new) > max_records:
                raise Refused(PortalRefusal.TOO_MANY_RECORDS)
            session.add_all(_record_rows(basket_id, new, await _next_position(session, basket_id)))
            if new:
                row.updated_at = self._clock()
            return _basket(row, [*kept, *new])

        return await locked_write(self._sessions, patron_id, write)

    async def remove(
        self, patron_id: str, basket_id: str, record_ids: Sequence[str]
    ) -> Basket | PortalRefusal:
        async def write(session: AsyncSession) -> Basket:
            row = await _own(session, patron_id, basket_id)
            kept = await _record_ids(session, basket_id)
            gone = set(record_ids) & set(kept)
            if gone:
                await session.execute(
                    delete(BasketRecordRow).where(
                        BasketRecordRow.basket_id == basket_id, BasketRecordRow.record_id.in_(gone)
                    )
                )
                row.updated_at = self._clock()
            return _basket(row, [record_id for record_id in kept if record_id not in gone])

        return await locked_write(self._sessions, patron_id, write)


def _basket(row: BasketRow, record_ids: Sequence[str]) -> Basket:
    return Basket(
        id=row.id,
        patron_id=row.patron_id,
        name=row.name,
        record_ids=tuple(record_ids),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _record_rows(basket_id: str, record_ids: Sequence[str], first: int) -> list[BasketRecordRow]:
    return [
        BasketRecordRow(basket_id=basket_id, record_id=record_id, position=first + n)
        for n, record_id in enumerate(record_ids)
    ]


async def _own(session: AsyncSession, patron_id: str, basket_id: str) -> BasketRow:
    """The patron's basket with that id; NOT_FOUND for an unknown id or another patron's basket."""
    row = await session.get(BasketRow, basket_id)
    if row is None or row.patron_id != patron_id:
        raise Refused(PortalRefusal.NOT_FOUND)
    return row


async def _refuse_taken_name(session: AsyncSession, patron_id: str, key: str, basket_id: str | None) -> None:
    query = select(BasketRow.id).where(BasketRow.patron_id == patron_id, BasketRow.name_key == key)
    taken = await session.scalar(query)
    if taken is not None and taken != basket_id:
        raise Refused(PortalRefusal.NAME_TAKEN)


async def _record_ids(session: AsyncSession, basket_id: str) -> list[str]:
    query = (
        select(BasketRecordRow.record_id)
        .where(BasketRecordRow.basket_id == basket_id)
        .order_by(BasketRecordRow.position)
    )
    return list(await session.scalars(query))


async def _next_position(session: AsyncSession, basket_id: str) -> int:
    query = select(func.max(BasketRecordRow.position)).where(BasketRecordRow.basket_id == basket_id)
    last = await session.scalar(query)
    return 0 if last is None else last + 1
