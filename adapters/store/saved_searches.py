"""The SQL repository of saved searches (`SavedSearchRepository`).

Owns the queries on the saved_searches table. Each change is one transaction after the
patron's write lock (adapters/store/write_lock.py), so the limit holds under concurrent
requests. Never runs a search and never decides who may see one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.ils.models import CatalogueSource, DocumentType
from adapters.store.baskets import name_key
from adapters.store.port import CatalogueScope, PortalRefusal, SavedSearch
from adapters.store.tables import SavedSearchRow
from adapters.store.write_lock import Refused, locked_write


def _saved(row: SavedSearchRow) -> SavedSearch:
    scope = CatalogueScope(
        library_codes=tuple(row.library_codes),
        document_types=tuple(DocumentType(value) for value in row.document_types),
        sources=tuple(CatalogueSource(value) for value in row.sources),
    )
    return SavedSearch(row.id, row.patron_id, row.name, row.query, scope, row.created_at)


class SqlSavedSearchRepository:
    """SavedSearchRepository over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    async def of_patrons(self, patron_ids: Sequence[str]) -> list[list[SavedSearch]]:
        query = (
            select(SavedSearchRow)
            .where(SavedSearchRow.patron_id.in_(list(patron_ids)))
            .order_by(SavedSearchRow.created_at, SavedSearchRow.id)
        )
        by_patron: dict[str, list[SavedSearch]] = {}
        async with self._sessions() as session:
            for row in await session.scalars(query):
                by_patron.setdefault(row.patron_id, []).append(_saved(row))
        return [by_patron.get(patron_id, []) for patron_id in patron_ids]

    async def create(
        self, patron_id: str, name: str, query: str, scope: CatalogueScope, *, max_saved: int
    ) -> SavedSearch | PortalRefusal:
        row = SavedSearchRow(
            id=uuid.uuid4().hex,
            patron_id=patron_id,
            name=name,
            name_key=name_key(name),
            query=query,
            library_codes=list(scope.library_codes),
            document_types=[str(kind) for kind in scope.document_types],
            sources=[str(source) for source in scope.sources],
            created_at=self._clock(),
        )

        async def write(session: AsyncSession) -> SavedSearch:
            count = (
                select(func.count()).select_from(SavedSearchRow).where(SavedSearchRow.patron_id == patron_id)
            )
            if (await session.scalar(count) or 0) >= max_saved:
                raise Refused(PortalRefusal.TOO_MANY)
            await _refuse_taken_name(session, patron_id, row.name_key, None)
            session.add(row)
            return _saved(row)

        return await locked_write(self._sessions, patron_id, write)

    async def rename(self, patron_id: str, saved_search_id: str, name: str) -> SavedSearch | PortalRefusal:
        async def write(session: AsyncSession) -> SavedSearch:
            row = await _own(session, patron_id, saved_search_id)
            await _refuse_taken_name(session, patron_id, name_key(name), saved_search_id)
            row.name, row.name_key = name, name_key(name)
            return _saved(row)

        return await locked_write(self._sessions, patron_id, write)

    async def delete(self, patron_id: str, saved_search_id: str) -> bool:
        async def write(session: AsyncSession) -> bool:
            await session.delete(await _own(session, patron_id, saved_search_id))
            return True

        return await locked_write(self._sessions, patron_id, write) is True


async def _own(session: AsyncSession, patron_id: str, saved_search_id: str) -> SavedSearchRow:
    row = await session.get(SavedSearchRow, saved_search_id)
    if row is None or row.patron_id != patron_id:
        raise Refused(PortalRefusal.NOT_FOUND)
    return row


async def _refuse_taken_name(session: AsyncSession, patron_id: str, key: str, own_id: str | None) -> None:
    query = select(SavedSearchRow.id).where(
        SavedSearchRow.patron_id == patron_id, SavedSearchRow.name_key == key
    )
    taken = await session.scalar(query)
    if taken is not None and taken != own_id:
        raise Refused(PortalRefusal.NAME_TAKEN)
