"""The emulator's precise latency sleep: never early, concurrent sleepers, cancellation."""

from __future__ import annotations

import asyncio
import time

from emulator import latency


async def test_concurrent_sleeps_each_end_at_or_after_their_deadline() -> None:
    ended: dict[int, float] = {}

    async def sleeper(n: int) -> None:
        await latency.sleep(0.002 * n)
        ended[n] = time.monotonic()

    started = time.monotonic()
    await asyncio.gather(*(sleeper(n) for n in (3, 1, 2, 1)))

    assert sorted(ended) == [1, 2, 3]
    for n, at in ended.items():
        assert at - started >= 0.002 * n


async def test_a_cancelled_sleep_does_not_disturb_the_others() -> None:
    cancelled = asyncio.ensure_future(latency.sleep(0.001))
    await asyncio.sleep(0)
    cancelled.cancel()
    started = time.monotonic()

    await latency.sleep(0.002)

    assert cancelled.cancelled()
    assert time.monotonic() - started >= 0.002
