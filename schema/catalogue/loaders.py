"""Batch loading of catalogue data: items (per request), titles and libraries (cached across requests).

One ILS call per batch: `lookupItems`, `lookupTitles` for the titles the
reference cache lacks, `lookupLibraries` at most once per request. Items carry
circulation state (status, due date, hold queue) and are never cached across requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from adapters.ils.models import Item, Library, Title
from adapters.ils.port import IlsPort
from schema.cache import ReferenceCache


async def load_items_by_id(ils: IlsPort, item_ids: Sequence[str]) -> list[Item | None]:
    """Items in key order; None for an unknown barcode."""
    return await ils.get_items(list(item_ids))


async def load_titles_by_id(
    ils: IlsPort, cache: ReferenceCache, title_ids: Sequence[str]
) -> list[Title | None]:
    """Titles in key order, from the reference cache first; None for an unknown id."""
    found = await cache.titles(title_ids)
    missing = [title_id for title_id in title_ids if title_id not in found]
    if missing:
        fetched = [title for title in await ils.get_titles(missing) if title is not None]
        await cache.store_titles(fetched)
        found.update((title.id, title) for title in fetched)
    return [found.get(title_id) for title_id in title_ids]


class LibraryDirectory:
    """The list of libraries for one request: from the reference cache, else one ILS call."""

    def __init__(self, ils: IlsPort, cache: ReferenceCache) -> None:
        self._ils = ils
        self._cache = cache
        self._libraries: list[Library] | None = None
        # Created inside the running loop, with the per-request loaders.
        self._lock = asyncio.Lock()

    async def all(self) -> list[Library]:
        """Every library of the network, in the ILS's order."""
        async with self._lock:
            if self._libraries is None:
                cached = await self._cache.libraries()
                if cached is None:
                    cached = await self._ils.get_libraries()
                    await self._cache.store_libraries(cached)
                self._libraries = cached
            return self._libraries


async def load_libraries_by_code(directory: LibraryDirectory, codes: Sequence[str]) -> list[Library | None]:
    """Libraries in key order; None for an unknown code."""
    by_code = {library.code: library for library in await directory.all()}
    return [by_code.get(code) for code in codes]
