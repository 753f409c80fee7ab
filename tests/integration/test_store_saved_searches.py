"""SqlSavedSearchRepository on SQLite and PostgreSQL: kept with their scope, unique names, exact limit."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from adapters.ils.models import CatalogueSource, DocumentType
from adapters.store.database import Database
from adapters.store.port import CatalogueScope, PortalRefusal, SavedSearch
from adapters.store.saved_searches import SqlSavedSearchRepository
from tests.integration.store_db import database

__all__ = ["database"]

CAMILLE, INES = "2900000001", "2900000003"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
SCOPE = CatalogueScope(("DURAS",), (DocumentType.COMIC,), (CatalogueSource.PHYSICAL,))


def _saved(database: Database) -> SqlSavedSearchRepository:
    return SqlSavedSearchRepository(database.sessions, lambda: NOW)


async def test_saved_searches_keep_their_query_and_scope(database: Database) -> None:
    saved = _saved(database)
    comics = await saved.create(CAMILLE, "BD à Duras", "Astérix", SCOPE, max_saved=100)
    everywhere = await saved.create(INES, "Partout", "Hugo", CatalogueScope(), max_saved=100)

    assert isinstance(comics, SavedSearch) and comics.created_at == NOW
    assert await saved.of_patrons([CAMILLE, "2900000002", INES]) == [[comics], [], [everywhere]]


async def test_names_are_unique_whatever_the_case_and_unknown_ids_not_found(database: Database) -> None:
    saved = _saved(database)
    first = await saved.create(CAMILLE, "Romans", "roman", SCOPE, max_saved=100)
    other = await saved.create(CAMILLE, "Polars", "polar", SCOPE, max_saved=100)
    assert isinstance(first, SavedSearch) and isinstance(other, SavedSearch)

    assert await saved.create(CAMILLE, "ROMANS", "x", SCOPE, max_saved=100) is PortalRefusal.NAME_TAKEN
    assert await saved.rename(CAMILLE, other.id, "romans") is PortalRefusal.NAME_TAKEN
    assert await saved.rename(INES, other.id, "Les miens") is PortalRefusal.NOT_FOUND
    renamed = await saved.rename(CAMILLE, other.id, "Romans noirs")
    assert isinstance(renamed, SavedSearch) and renamed.name == "Romans noirs" and renamed.query == "polar"
    assert await saved.delete(INES, first.id) is False
    assert await saved.delete(CAMILLE, first.id) is True
    assert [s.name for s in (await saved.of_patrons([CAMILLE]))[0]] == ["Romans noirs"]


async def test_the_limit_holds_under_concurrent_saves(database: Database) -> None:
    saved = _saved(database)
    results = await asyncio.gather(
        *(saved.create(CAMILLE, f"S{n}", "q", SCOPE, max_saved=2) for n in range(5))
    )
    assert sorted(isinstance(result, SavedSearch) for result in results) == [False] * 3 + [True] * 2
    assert len((await saved.of_patrons([CAMILLE]))[0]) == 2
