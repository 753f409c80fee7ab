"""Throttling of sign-ins: per client address, per card (or e-mail), and per password network-wide.

Owns which gates an attempt passes and their keys; the counting is `adapters/windows.py`
(in this process, or in Redis so every worker and replica shares it). Never sees a password:
the password gate is keyed by a tag the caller derives (an HMAC under the secret key), so no
birth date is stored, even hashed without a key.

How an attempt is counted (once, whatever the batching):
- before the ILS is asked, `reserve` takes one entry of the address, of the identifier and of
  the password tag, all or none, atomically: concurrent attempts can never exceed a limit, and
  a refused attempt never reaches the ILS;
- a failure keeps them; a success (`succeeded`) gives the address and the password their entry
  back and forgets the card's (and e-mail's) failures.
The password gate guards against spraying (many cards, one birth date): once a password has
failed `password` times network-wide it is not closed but paced (`password_pace`), so a patron
born that day still gets in, slowly, while the spray slows to that pace.

When the shared store fails (Redis down, refusing, or too slow), every method raises
`ThrottleUnavailable`: the caller must refuse the sign-in, never skip the throttle.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from adapters.ils.models import DependencyHealth
from adapters.windows import Gate, MemoryWindows, Rate, Reservation, WindowStore, parse_rate

# Seconds to connect to Redis, and to wait for each answer: a dead or hung Redis holds a sign-in
# at most twice this long (redis-py's default is 5 s each; Redis answers in milliseconds).
# A `socket_timeout` or `socket_connect_timeout` in the URL's query takes precedence.
REDIS_TIMEOUT = 1.0

# Connections to Redis per process; each step is one short script or pipeline.
REDIS_CONNECTIONS = 32

ADDRESS, CARD, PASSWORD = "address", "card", "password"


@dataclass(frozen=True, slots=True)
class LoginLimits:
    """The rates of each gate (settings `GATEWAY_LOGIN_*`)."""

    card: Rate
    address: Rate
    password: Rate
    password_pace: Rate

    @classmethod
    def parse(
        cls,
        *,
        card: str = "5/15 minutes",
        address: str = "20/15 minutes",
        password: str = "20/15 minutes",
        password_pace: str = "1/10 seconds",
    ) -> LoginLimits:
        return cls(parse_rate(card), parse_rate(address), parse_rate(password), parse_rate(password_pace))


class LoginThrottle:
    """Sign-in limits for client addresses, cards and passwords."""

    def __init__(
        self,
        windows: WindowStore,
        limits: LoginLimits,
        *,
        namespace: str = "login",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._windows = windows
        self._limits = limits
        self._namespace = namespace
        self._clock = clock

    @classmethod
    def create(
        cls,
        redis_url: str | None,
        limits: LoginLimits,
        *,
        namespace: str = "login",
        timeout: float = REDIS_TIMEOUT,
        clock: Callable[[], float] = time.time,
    ) -> LoginThrottle:
        """In memory, or in Redis when `redis_url` (redis:// or rediss://) is given."""
        if not redis_url:
            return cls(MemoryWindows(), limits, namespace=namespace, clock=clock)
        # redis is an optional dependency: imported only when configured.
        from redis.asyncio import BlockingConnectionPool, Redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        from adapters.redis_windows import RedisWindows

        # A burst of sign-ins waits (at most `timeout`) for one of the pool's connections instead
        # of failing past redis-py's default ceiling; no retries: a dead Redis must fail fast.
        pool = BlockingConnectionPool.from_url(
            redis_url,
            max_connections=REDIS_CONNECTIONS,
            timeout=timeout,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        client = Redis(connection_pool=pool)
        return cls(RedisWindows(client), limits, namespace=namespace, clock=clock)

    def _gate(self, kind: str, value: str) -> Gate:
        key = f"{self._namespace}:{kind}:{value}"
        if kind == ADDRESS:
            return Gate(ADDRESS, key, self._limits.address)
        if kind == CARD:
            return Gate(CARD, key, self._limits.card)
        return Gate(PASSWORD, key, self._limits.password, pace=self._limits.password_pace)

    async def reserve(
        self, *, address: str, identifier: str | None = None, password_tag: str | None = None
    ) -> Reservation:
        """Take one attempt of each given gate atomically; `refused` names the gate that said no."""
        gates = [self._gate(ADDRESS, address)]
        if identifier is not None:
            gates.append(self._gate(CARD, identifier))
        if password_tag is not None:
            gates.append(self._gate(PASSWORD, password_tag))
        return await self._windows.reserve(gates, self._clock())

    async def reserve_card(self, card: str) -> Reservation:
        """One attempt on the card an e-mail led to (its address and password are reserved already)."""
        return await self._windows.reserve([self._gate(CARD, card)], self._clock())

    async def succeeded(self, reservations: Sequence[Reservation], identifiers: Sequence[str]) -> None:
        """A successful sign-in: its entries back, and earlier failures of these identifiers forgotten."""
        forget = [f"{self._namespace}:{CARD}:{identifier}" for identifier in identifiers]
        await self._windows.settle(reservations, forget)

    @property
    def shared(self) -> bool:
        """Whether the counts live in Redis: shared by replicas, and a dependency of readiness."""
        return self._windows.shared

    async def healthy(self) -> bool:
        return await self._windows.check()

    async def health(self) -> DependencyHealth:
        """For /readyz, named after its role: never the store's address."""
        ok = await self.healthy()
        return DependencyHealth(name="throttle", ok=ok, detail="" if ok else "unreachable")

    async def close(self) -> None:
        """Release the store's connections (Redis)."""
        await self._windows.close()
