"""The time budget of one request for its ILS reads (GATEWAY_REQUEST_TIME_BUDGET).

Owns the request's deadline (a context variable: set once per request by the gateway, seen by
every ILS call the request makes, loaders' batches included) and how a read waits under it:
a read that would end past the deadline stops being waited for and raises `BudgetSpent` (an
IlsUnavailable that the breaker counts as neither success nor failure), so the request answers
in time with the data it has and ILS_UNAVAILABLE where it has none. The call itself is not
cancelled: it runs on to its own timeout in the background, so the breaker still learns
whether the ILS answered (at most MAX_ABANDONED such reads at once; beyond, a late read is
cancelled). Writes are never cut (a cut write has an unknown outcome); one that
would start after the deadline is not sent at all (`check_before_write`). Never sleeps.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from adapters.ils.breaker import Neutral

#: Default of GATEWAY_REQUEST_TIME_BUDGET, seconds.
DEFAULT_BUDGET = 5.0
#: Reads left running past their request's budget, at most, per process: beyond, a late read
#: is cancelled instead (the requests end in time, but their reads must not pile up on the ILS).
MAX_ABANDONED = 256

Result = TypeVar("Result")

_deadline: ContextVar[float | None] = ContextVar("ils_request_deadline", default=None)
# Reads abandoned to the background, kept referenced until they end.
_abandoned: set[asyncio.Task[Any]] = set()


class BudgetSpent(Neutral):
    """The request's time budget ran out before the ILS answered (nothing said about its health)."""

    def __init__(self, dependency: str) -> None:
        super().__init__(dependency, "request time budget spent")


@contextmanager
def request_budget(seconds: float | None) -> Iterator[None]:
    """Every ILS read made inside (by this task and the tasks it starts) ends within `seconds`."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left in the current request's budget (None: no budget)."""
    deadline = _deadline.get()
    return None if deadline is None else deadline - time.monotonic()


def check_before_write(dependency: str) -> None:
    """Raise BudgetSpent when the budget is already spent: a write is then not sent at all."""
    left = remaining()
    if left is not None and left <= 0:
        raise BudgetSpent(dependency)


def _forget(task: asyncio.Task[Any]) -> None:
    _abandoned.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: its failure was counted by the breaker, nobody waits for it


def _abandon(task: asyncio.Task[Any]) -> None:
    _abandoned.add(task)
    task.add_done_callback(_forget)


async def within_budget(dependency: str, read: Awaitable[Result]) -> Result:
    """Await a read, or raise BudgetSpent at the deadline (the read goes on in the background)."""
    left = remaining()
    if left is None:
        return await read
    if left <= 0:
        if asyncio.iscoroutine(read):
            read.close()  # never started
        raise BudgetSpent(dependency)
    task: asyncio.Task[Result] = asyncio.ensure_future(read)
    try:
        done, _ = await asyncio.wait({task}, timeout=left)
    except asyncio.CancelledError:
        task.cancel()  # the request itself is gone: so is its read, as without a budget
        _abandon(task)
        raise
    if done:
        return task.result()
    if len(_abandoned) >= MAX_ABANDONED:
        task.cancel()  # counted neither way by the breaker; the ILS gets no more waiting reads
    _abandon(task)
    raise BudgetSpent(dependency)
