"""The SQL repository of search preferences (`SearchPreferencesRepository`): one row per patron.

Owns the queries on the search_preferences table. Never validates a scope (the schema does,
against the ILS's libraries) and never talks to the ILS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.ils.models import CatalogueSource, DocumentType
from adapters.store.port import CatalogueScope
from adapters.store.tables import SearchPreferencesRow


def _scope(row: SearchPreferencesRow) -> CatalogueScope:
    return CatalogueScope(
        library_codes=tuple(row.library_codes),
        document_types=tuple(DocumentType(value) for value in row.document_types),
        sources=tuple(CatalogueSource(value) for value in row.sources),
    )


class SqlSearchPreferencesRepository:
    """SearchPreferencesRepository over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    async def of_patrons(self, patron_ids: Sequence[str]) -> list[CatalogueScope | None]:
        query = select(SearchPreferencesRow).where(SearchPreferencesRow.patron_id.in_(list(patron_ids)))
        async with self._sessions() as session:
            found = {row.patron_id: _scope(row) for row in await session.scalars(query)}
        return [found.get(patron_id) for patron_id in patron_ids]

    async def save(self, patron_id: str, scope: CatalogueScope) -> CatalogueScope:
        try:
            await self._write(patron_id, scope)
        except IntegrityError:
            # A concurrent first save created the row between our read and our insert.
            await self._write(patron_id, scope)
        return scope

    async def _write(self, patron_id: str, scope: CatalogueScope) -> None:
        values = {
            "library_codes": list(scope.library_codes),
            "document_types": [str(kind) for kind in scope.document_types],
            "sources": [str(source) for source in scope.sources],
            "updated_at": self._clock(),
        }
        async with self._sessions.begin() as session:
            row = await session.get(SearchPreferencesRow, patron_id)
            if row is None:
                session.add(SearchPreferencesRow(patron_id=patron_id, **values))
                return
            for name, value in values.items():
                setattr(row, name, value)
