"""Throttling of failed sign-ins, per account identifier and per client address (the `limits` library).

Owns the counting only; the gateway's sign-in decides when to ask. Moving windows, kept in
memory by default and in Redis when configured, so replicas share the counts. Never sees
a password; identifiers are card numbers (or `email:<address>`) and client addresses.

How an attempt is counted (once, whatever the batching):
- before the ILS is asked, `address_allowed` checks the address without counting, and
  `take_attempt` atomically takes one of the identifier's slots, so concurrent attempts
  can never exceed its limit; a refused identifier never reaches the ILS;
- a failure then costs the address one slot (`record_address_failure`); a success gives
  the identifier its slots back (`forget`), so only failures stay counted.

When the shared store fails (Redis down, refusing, or too slow), every method raises
`ThrottleUnavailable`: the caller must refuse the sign-in, never skip the throttle.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from adapters.errors import ThrottleUnavailable
from adapters.ils.models import DependencyHealth

if TYPE_CHECKING:
    from redis.asyncio import ConnectionPool

# Seconds to connect to Redis, and to wait for each answer: a dead or hung Redis holds a sign-in
# at most twice this long (redis-py's default is 5 s each; Redis answers in milliseconds).
# The pool's connections do not retry (redis-py's default when given a pool), so it stays at that.
# A `socket_timeout` or `socket_connect_timeout` in the URL's query takes precedence.
REDIS_TIMEOUT = 1.0


@contextmanager
def _store_errors() -> Iterator[None]:
    """`limits` wraps the Redis client's errors (RedisError: refused, timeout, reset) in StorageError."""
    try:
        yield
    except StorageError as error:
        raise ThrottleUnavailable(type(error.storage_error).__name__) from error


class LoginThrottle:
    """Failed sign-in limits for cards and client addresses."""

    def __init__(
        self,
        storage: Storage,
        *,
        card_limit: str,
        address_limit: str,
        namespace: str = "login",
        redis_pool: ConnectionPool | None = None,
    ) -> None:
        self._storage = storage
        self._redis_pool = redis_pool
        self._limiter = MovingWindowRateLimiter(storage)
        self._card: RateLimitItem = parse(card_limit)
        self._address: RateLimitItem = parse(address_limit)
        self._namespace = namespace

    @classmethod
    def create(
        cls,
        redis_url: str | None,
        *,
        card_limit: str,
        address_limit: str,
        namespace: str = "login",
        timeout: float = REDIS_TIMEOUT,
    ) -> LoginThrottle:
        """In memory, or in Redis when `redis_url` (redis:// or rediss://) is given."""
        if not redis_url:
            memory = MemoryStorage()
            return cls(memory, card_limit=card_limit, address_limit=address_limit, namespace=namespace)
        # redis is an optional dependency: imported only when configured.
        from redis.asyncio import ConnectionPool

        # Our own pool, so that `close` can release its connections.
        pool = ConnectionPool.from_url(redis_url, socket_connect_timeout=timeout, socket_timeout=timeout)
        options: dict[str, Any] = {"connection_pool": pool}
        # wrap_exceptions: one exception type (StorageError) for every failure of the store.
        storage = RedisStorage(
            f"async+{redis_url}", implementation="redispy", wrap_exceptions=True, **options
        )
        return cls(
            storage, card_limit=card_limit, address_limit=address_limit, namespace=namespace, redis_pool=pool
        )

    async def address_allowed(self, address: str) -> bool:
        """May this client address try once more? (Does not count.)"""
        with _store_errors():
            return await self._limiter.test(self._address, self._namespace, "address", address)

    async def take_attempt(self, identifier: str) -> bool:
        """Count one attempt on this card (or e-mail); False, counting nothing, when its limit is reached."""
        with _store_errors():
            return await self._limiter.hit(self._card, self._namespace, "card", identifier)

    async def record_address_failure(self, address: str) -> None:
        with _store_errors():
            await self._limiter.hit(self._address, self._namespace, "address", address)

    async def forget(self, identifier: str) -> None:
        """A successful sign-in: earlier failures on this card (or e-mail) no longer count."""
        with _store_errors():
            await self._limiter.clear(self._card, self._namespace, "card", identifier)

    @property
    def shared(self) -> bool:
        """Whether the counts live in Redis: shared by replicas, and a dependency of readiness."""
        return self._redis_pool is not None

    async def healthy(self) -> bool:
        return await self._storage.check()

    async def health(self) -> DependencyHealth:
        """For /readyz, named after its role: never the store's address."""
        ok = await self.healthy()
        return DependencyHealth(name="throttle", ok=ok, detail="" if ok else "unreachable")

    async def close(self) -> None:
        """Release the storage's connections (Redis) or its expiry task (memory)."""
        if isinstance(self._storage, MemoryStorage) and self._storage.timer is not None:
            self._storage.timer.cancel()
        if self._redis_pool is not None:
            await self._redis_pool.disconnect()
