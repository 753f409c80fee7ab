"""Cross-request cache of reference data: libraries and bibliographic records (titles).

Owns the in-process TTL caches (cachetools, read and written by hand: its
decorators do not support coroutines). Built once per process by the gateway and
handed to `create_loaders` for every request. Never holds circulation data
(loans, holds, item statuses, accounts): those must never be served stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from cachetools import TTLCache

from adapters.ils.models import Library, Title

LIBRARIES_TTL = 600.0
TITLES_TTL = 300.0
TITLES_MAXSIZE = 20_000


class ReferenceCache(Protocol):
    """What the loaders need of a reference cache (the in-process one here; Redis may follow)."""

    async def libraries(self) -> list[Library] | None: ...

    async def store_libraries(self, libraries: Sequence[Library]) -> None: ...

    async def titles(self, title_ids: Iterable[str]) -> dict[str, Title]: ...

    async def store_titles(self, titles: Iterable[Title]) -> None: ...


class MemoryReferenceCache:
    """TTL caches in this process: the whole list of libraries, and titles by id."""

    def __init__(
        self,
        *,
        libraries_ttl: float = LIBRARIES_TTL,
        titles_ttl: float = TITLES_TTL,
        titles_maxsize: int = TITLES_MAXSIZE,
    ) -> None:
        self._libraries: TTLCache[str, tuple[Library, ...]] = TTLCache(maxsize=1, ttl=libraries_ttl)
        self._titles: TTLCache[str, Title] = TTLCache(maxsize=titles_maxsize, ttl=titles_ttl)

    async def libraries(self) -> list[Library] | None:
        """The cached list of libraries, or None when it must be fetched."""
        cached = self._libraries.get("all")
        return None if cached is None else list(cached)

    async def store_libraries(self, libraries: Sequence[Library]) -> None:
        self._libraries["all"] = tuple(libraries)

    async def titles(self, title_ids: Iterable[str]) -> dict[str, Title]:
        """The cached titles among `title_ids` (misses are simply absent)."""
        found: dict[str, Title] = {}
        for title_id in title_ids:
            title = self._titles.get(title_id)
            if title is not None:
                found[title_id] = title
        return found

    async def store_titles(self, titles: Iterable[Title]) -> None:
        for title in titles:
            self._titles[title.id] = title

    def clear(self) -> None:
        """Forget everything (tests, and an operator's reload)."""
        self._libraries.clear()
        self._titles.clear()
