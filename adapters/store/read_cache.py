"""A short-lived, bounded cache of hot store reads (a session by token hash, a viewer's shares).

Owns what a process may remember of the store between requests, and for how long. Every
request reads the session and (for shared accounts) the viewer's shares: from SQL that is
two round trips through the driver per request. Here a read is kept for `seconds` (and at
most `size` entries, least recently used first out). Staleness is bounded two ways:
- in this process, a change is immediate: the code that changes a cached value calls
  `forget(key)` after its transaction, and a read that was under way while something was
  forgotten does not store what it read (it may predate the change);
- across processes (workers, replicas), another process's change is seen at most `seconds`
  later, when the entry it still holds expires.
`seconds` <= 0 keeps nothing. Never decides anything about what it holds.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from cachetools import TTLCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Bound on entries per cache: a session or a viewer's shares is a few hundred bytes.
DEFAULT_SIZE = 10_000


class ReadCache(Generic[K, V]):
    """Values read from the store, for a few seconds, forgotten at once on a local change."""

    def __init__(
        self, seconds: float, *, size: int = DEFAULT_SIZE, timer: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self._entries: TTLCache[K, V] | None = (
            TTLCache(maxsize=size, ttl=seconds, timer=timer) if seconds > 0 else None
        )
        # Bumped by every forget: a read that saw another generation at its start stores nothing.
        self._generation = 0

    async def get(self, key: K, read: Callable[[], Awaitable[V]]) -> V:
        """The cached value of `key`, or `read()`'s (kept unless something was forgotten meanwhile)."""
        if self._entries is None:
            return await read()
        try:
            return self._entries[key]
        except KeyError:
            pass
        generation = self._generation
        value = await read()
        if generation == self._generation:
            self._entries[key] = value
        return value

    def forget(self, key: K) -> None:
        """`key` changed in the store: never answer its old value again from this process."""
        self._generation += 1
        if self._entries is not None:
            self._entries.pop(key, None)

    def clear(self) -> None:
        """Everything changed (or may have)."""
        self._generation += 1
        if self._entries is not None:
            self._entries.clear()
