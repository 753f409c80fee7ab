"""ReadCache: kept for its seconds, forgotten at once on a local change, never refilled by a stale read."""

from __future__ import annotations

import asyncio

from adapters.store.read_cache import ReadCache


class Timer:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Store:
    """Counts its reads; `value` is what the store holds now."""

    def __init__(self) -> None:
        self.value = "v1"
        self.reads = 0

    async def read(self) -> str:
        self.reads += 1
        return self.value


async def test_a_value_is_read_once_within_its_seconds_and_again_after() -> None:
    timer, store = Timer(), Store()
    cache: ReadCache[str, str] = ReadCache(2.0, timer=timer)

    first = await cache.get("k", store.read)
    store.value = "v2"  # changed by another process: seen once the entry expires
    timer.now = 1.9
    within = await cache.get("k", store.read)
    timer.now = 2.1
    after = await cache.get("k", store.read)

    assert (first, within, after) == ("v1", "v1", "v2")
    assert store.reads == 2


async def test_forget_makes_the_change_immediate_here() -> None:
    timer, store = Timer(), Store()
    cache: ReadCache[str, str] = ReadCache(2.0, timer=timer)
    await cache.get("k", store.read)

    store.value = "v2"
    cache.forget("k")

    assert await cache.get("k", store.read) == "v2"


async def test_a_read_under_way_when_something_is_forgotten_is_not_kept() -> None:
    timer = Timer()
    cache: ReadCache[str, str] = ReadCache(2.0, timer=timer)
    started, release = asyncio.Event(), asyncio.Event()

    async def slow_old_read() -> str:
        started.set()
        await release.wait()
        return "old"  # read before the change committed

    reading = asyncio.create_task(cache.get("k", slow_old_read))
    await started.wait()
    cache.forget("k")  # the change commits while the read is under way
    release.set()

    assert await reading == "old"  # its own request sees what it read...
    assert await cache.get("k", Store().read) == "v1"  # ...but nobody after it


async def test_zero_seconds_reads_every_time_and_size_bounds_the_entries() -> None:
    store = Store()
    uncached: ReadCache[str, str] = ReadCache(0.0)
    await uncached.get("k", store.read)
    await uncached.get("k", store.read)
    small: ReadCache[int, str] = ReadCache(60.0, size=2, timer=Timer())
    for key in (1, 2, 3):
        await small.get(key, store.read)
    await small.get(1, store.read)  # the oldest entry went out when the third came in

    assert store.reads == 2 + 4
