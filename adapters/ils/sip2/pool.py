"""A bounded pool of logged-in SIP2 connections.

Owns how many connections the gateway holds to the ACS (never more than `config.size`: the
pool size is our promise of load to the ILS), lending them out one caller at a time, opening
them on demand (each logs in and checks status, see `connection.open_connection`), and
closing the broken ones instead of taking them back (asyncpg / redis-py style).

Must never hand out a broken connection, return one to the idle list after a failure, or
speak SIP2 itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import TracebackType

from adapters.ils.breaker import Neutral
from adapters.ils.sip2.config import Sip2Config
from adapters.ils.sip2.connection import Sip2Connection, open_connection

__all__ = ["Sip2Config", "Sip2Pool"]

logger = logging.getLogger(__name__)
Connector = Callable[[Sip2Config], Awaitable[Sip2Connection]]


class Sip2Pool:
    """At most `config.size` SIP2 connections; `async with pool.acquire() as connection`."""

    def __init__(self, config: Sip2Config, *, connector: Connector = open_connection) -> None:
        self.config = config
        self._connector = connector
        self._slots = asyncio.Semaphore(config.size)
        self._idle: list[Sip2Connection] = []
        self._closed = False
        self._open = 0  # lent + idle: never above config.size
        self.opened = 0  # connections opened since start (tests and the benchmark read it)

    async def __aenter__(self) -> Sip2Pool:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def idle(self) -> int:
        """Connections open and waiting to be lent."""
        return len(self._idle)

    async def close(self) -> None:
        """Close idle connections now; lent ones are closed when they come back."""
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            await self._discard(connection)

    @asynccontextmanager
    async def acquire(
        # The wait for a free slot, not a deadline on the call: the interface TEAM.md fixes.
        self,
        timeout: float | None = None,  # noqa: ASYNC109
        *,
        fresh: bool = False,
    ) -> AsyncIterator[Sip2Connection]:
        """Lend a logged-in connection; `fresh` opens a new one rather than reuse an idle one.

        Raises IlsUnavailable when no slot frees up within `timeout` (default: the config's
        acquire timeout, else its exchange timeout) or the ACS cannot be reached.
        """
        if self._closed:
            raise Neutral("sip2", "pool closed")
        if self._slots.locked():
            wait = timeout if timeout is not None else (self.config.acquire_timeout or self.config.timeout)
            try:
                async with asyncio.timeout(wait):
                    await self._slots.acquire()
            except TimeoutError:
                # Busy, not broken: the circuit breaker does not count it.
                raise Neutral("sip2", "pool exhausted: no connection free in time") from None
        else:
            # A free slot is taken without suspending: no timeout to arm and cancel per call.
            await self._slots.acquire()
        connection: Sip2Connection | None = None
        try:
            connection = await self._take(fresh)
            yield connection
        finally:
            if connection is not None:
                await self._give_back(connection)
            self._slots.release()

    async def _take(self, fresh: bool) -> Sip2Connection:
        while self._idle and not fresh:
            connection = self._idle.pop()
            if connection.usable:
                return connection
            await self._discard(connection)  # the ACS hung up while it was idle
        if self._open >= self.config.size and self._idle:
            await self._discard(self._idle.pop(0))  # fresh: make room, the oldest idle goes
        self._open += 1
        try:
            connection = await self._connector(self.config)
        except BaseException:
            self._open -= 1
            raise
        self.opened += 1
        logger.debug("sip2 connection opened (%d so far)", self.opened)
        return connection

    async def _give_back(self, connection: Sip2Connection) -> None:
        if self._closed or not connection.usable:
            await self._discard(connection)
            return
        self._idle.append(connection)

    async def _discard(self, connection: Sip2Connection) -> None:
        self._open -= 1
        await connection.close()
