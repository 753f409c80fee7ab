"""Moving windows in Redis, shared by every worker and replica: one round trip per step.

Owns the Lua script that makes a reservation atomic in Redis (a sorted set per key, scored
by the time of each entry; the same rule as `MemoryWindows`) and the pipelined release.
Keys are the caller's (already prefixed and opaque). Every failure of Redis (refused,
reset, timeout, script error) raises `ThrottleUnavailable` naming the error's type, never
its text (which holds the server's address). Never logs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from adapters.errors import ThrottleUnavailable
from adapters.windows import Gate, Reservation, WindowStore, held_keys, new_member

if TYPE_CHECKING:
    from redis.asyncio import Redis

# KEYS: per gate, its key and its pace key. ARGV: now (ms), member, then per gate: amount,
# window (ms), pace amount (0: no pace), pace window (ms). Returns 0 when every gate took the
# member, else the 1-based index of the gate that refused (and nothing was written).
_RESERVE = """
local now = tonumber(ARGV[1])
local member = ARGV[2]
local gates = #KEYS / 2
local paced = {}
for i = 1, gates do
  local key, pace_key = KEYS[2 * i - 1], KEYS[2 * i]
  local at = 2 + (i - 1) * 4
  local amount, window = tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local pace_amount, pace_window = tonumber(ARGV[at + 3]), tonumber(ARGV[at + 4])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) < amount then
    paced[i] = false
  else
    if pace_amount == 0 then return i end
    redis.call('ZREMRANGEBYSCORE', pace_key, '-inf', now - pace_window)
    if redis.call('ZCARD', pace_key) >= pace_amount then return i end
    paced[i] = true
  end
end
for i = 1, gates do
  local key, pace_key = KEYS[2 * i - 1], KEYS[2 * i]
  local at = 2 + (i - 1) * 4
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, tonumber(ARGV[at + 2]))
  if paced[i] then
    redis.call('ZADD', pace_key, now, member)
    redis.call('PEXPIRE', pace_key, tonumber(ARGV[at + 4]))
  end
end
return 0
"""


@contextmanager
def _store_errors() -> Iterator[None]:
    from redis.exceptions import RedisError

    try:
        yield
    except (RedisError, OSError) as error:
        raise ThrottleUnavailable(type(error).__name__) from error


def _ms(seconds: float) -> int:
    return int(seconds * 1000)


class RedisWindows(WindowStore):
    """The windows of every replica, in one Redis; `client` is closed with the store."""

    shared = True

    def __init__(self, client: Redis) -> None:
        self._client = client
        self._reserve = client.register_script(_RESERVE)

    async def reserve(self, gates: Sequence[Gate], now: float) -> Reservation:
        member = new_member()
        keys: list[str] = []
        args: list[Any] = [_ms(now), member]
        for gate in gates:
            keys += [gate.key, gate.pace_key]
            pace = gate.pace
            args += [gate.rate.amount, _ms(gate.rate.seconds)]
            args += [pace.amount, _ms(pace.seconds)] if pace is not None else [0, 1]
        with _store_errors():
            refused = int(await self._reserve(keys=keys, args=args))
        if refused:
            return Reservation(member, refused=gates[refused - 1].name)
        return Reservation(member, held_keys(gates))

    async def settle(self, reservations: Sequence[Reservation], forget: Sequence[str]) -> None:
        with _store_errors():
            async with self._client.pipeline(transaction=True) as pipe:
                for reservation in reservations:
                    for key in reservation.keys:
                        pipe.zrem(key, reservation.member)
                if forget:
                    pipe.delete(*forget)
                await pipe.execute()

    async def check(self) -> bool:
        try:
            with _store_errors():
                return bool(await self._client.ping())
        except ThrottleUnavailable:
            return False

    async def close(self) -> None:
        await self._client.aclose(close_connection_pool=True)
