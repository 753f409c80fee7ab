"""SqlSearchPreferencesRepository on SQLite and PostgreSQL: one row per patron, replaced whole."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.ils.models import CatalogueSource, DocumentType
from adapters.store.database import Database
from adapters.store.port import CatalogueScope
from adapters.store.search_preferences import SqlSearchPreferencesRepository
from tests.integration.store_db import database

__all__ = ["database"]

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _preferences(database: Database) -> SqlSearchPreferencesRepository:
    return SqlSearchPreferencesRepository(database.sessions, lambda: NOW)


async def test_preferences_are_read_back_in_key_order(database: Database) -> None:
    preferences = _preferences(database)
    camille = CatalogueScope(("DURAS", "SAGAN"), (DocumentType.BOOK, DocumentType.COMIC), ())
    ines = CatalogueScope((), (), (CatalogueSource.DIGITAL,))
    await preferences.save("2900000001", camille)
    await preferences.save("2900000003", ines)

    assert await preferences.of_patrons(["2900000003", "2900000002", "2900000001"]) == [ines, None, camille]
    assert await preferences.of_patrons([]) == []


async def test_saving_again_replaces_the_row(database: Database) -> None:
    preferences = _preferences(database)
    await preferences.save("2900000001", CatalogueScope(("DURAS",), (DocumentType.DVD,), ()))
    await preferences.save("2900000001", CatalogueScope((), (), (CatalogueSource.PHYSICAL,)))

    assert await preferences.of_patrons(["2900000001"]) == [
        CatalogueScope((), (), (CatalogueSource.PHYSICAL,))
    ]
