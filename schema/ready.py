"""Resolvers that answer synchronously when their loader key has already arrived.

An async resolver costs graphql-core a coroutine, a task and a gather per field,
which for the dashboard's ~500 fields was a large share of the gateway's CPU.
The list fields (Patron.loans, Patron.holds) wait once for what their entries
will show (schema/patrons/prefetch.py), so the entries' fields find their loader
futures done and answer at once; a key not loaded yet still works, awaited.
graphql-core awaits an awaitable returned by a sync resolver, which is what
`when_ready` relies on. Never blocks and never swallows a loader's error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")


def when_ready(future: asyncio.Future[T], build: Callable[[T], R]) -> R:
    """`build(value)` now if the future is done (its error raised now), else an awaitable of it.

    Typed as R for the resolver's GraphQL annotation: the awaitable case is graphql-core's to await.
    """
    if future.done():
        return build(future.result())
    return cast(R, _later(future, build))


async def _later(future: asyncio.Future[Any], build: Callable[[Any], R]) -> R:
    return build(await future)


async def settle(futures: list[asyncio.Future[Any]]) -> None:
    """Wait until every future is done, failed ones included (their fields report the error)."""
    if futures:
        await asyncio.wait(futures)
