"""LoginThrottle in memory and in Redis: every gate reserved atomically, pacing, failing loudly."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest

from adapters.errors import ThrottleUnavailable
from adapters.throttle import LoginLimits, LoginThrottle
from adapters.windows import MemoryWindows, Rate, Reservation, parse_rate

LIMITS = LoginLimits.parse(
    card="5/15 minutes", address="3/15 minutes", password="4/15 minutes", password_pace="1/10 seconds"
)


@dataclass
class FakeTime:
    """Seconds since the epoch, moved only by the test."""

    now: float = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def throttle(request: pytest.FixtureRequest, clock: FakeTime) -> AsyncIterator[LoginThrottle]:
    url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    # A namespace per test keeps Redis runs independent of each other.
    made = LoginThrottle.create(url, LIMITS, namespace=uuid.uuid4().hex, clock=clock)
    yield made
    await made.close()


async def card_attempt(throttle: LoginThrottle, card: str, address: str = "10.0.0.1") -> str | None:
    """None when granted, else the refusing gate (distinct addresses keep the address gate out)."""
    return (await throttle.reserve(address=address, identifier=card)).refused


def test_rates_are_read_in_the_settings_notation() -> None:
    assert parse_rate("5/15 minutes") == Rate(5, 900.0)
    assert parse_rate("20 per hour") == Rate(20, 3600.0)
    assert parse_rate("1/second") == Rate(1, 1.0)
    for bad in ("5", "five/minute", "5/15 fortnights", "5/0 minutes"):
        with pytest.raises(ValueError):
            parse_rate(bad)


async def test_a_card_gets_five_attempts_then_none(throttle: LoginThrottle) -> None:
    taken = [await card_attempt(throttle, "2900000001", f"10.0.0.{n}") for n in range(6)]

    assert taken == [None, None, None, None, None, "card"]
    # Another card is not affected.
    assert await card_attempt(throttle, "2900000003", "10.0.1.1") is None


async def test_a_success_gives_the_card_its_attempts_back(throttle: LoginThrottle) -> None:
    held = [await throttle.reserve(address=f"10.0.0.{n}", identifier="2900000001") for n in range(5)]

    await throttle.succeeded(held[-1:], ["2900000001"])

    assert await card_attempt(throttle, "2900000001", "10.0.1.1") is None


async def test_a_success_gives_the_address_back_its_attempt_only(throttle: LoginThrottle) -> None:
    await throttle.reserve(address="10.0.0.1", identifier="2900000001")
    await throttle.reserve(address="10.0.0.1", identifier="2900000002")
    success = await throttle.reserve(address="10.0.0.1", identifier="2900000003")

    await throttle.succeeded([success], ["2900000003"])

    # The two failures still count: one attempt left of three.
    assert await card_attempt(throttle, "2900000004") is None
    assert await card_attempt(throttle, "2900000005") == "address"


async def test_a_refused_reservation_takes_nothing(throttle: LoginThrottle) -> None:
    for n in range(5):
        await throttle.reserve(address=f"10.0.0.{n}", identifier="2900000001")

    # The card refuses: the address's slots are untouched by the refused attempts.
    for _ in range(10):
        assert await card_attempt(throttle, "2900000001", "10.9.9.9") == "card"
    assert [await card_attempt(throttle, f"29000001{n}", "10.9.9.9") for n in range(4)] == [
        None,
        None,
        None,
        "address",
    ]


async def test_windows_move(throttle: LoginThrottle, clock: FakeTime) -> None:
    for n in range(3):
        await throttle.reserve(address="10.0.0.1", identifier=f"card-{n}")
    assert await card_attempt(throttle, "card-3") == "address"

    clock.now += 15 * 60 + 1

    assert await card_attempt(throttle, "card-3") is None


async def test_concurrent_attempts_never_exceed_any_limit(throttle: LoginThrottle) -> None:
    on_card = await asyncio.gather(
        *(throttle.reserve(address=f"10.0.{n}.1", identifier="2900000004") for n in range(20))
    )
    on_address = await asyncio.gather(
        *(throttle.reserve(address="10.1.0.1", identifier=f"card-{n}") for n in range(20))
    )

    assert sum(r.granted for r in on_card) == 5
    assert sum(r.granted for r in on_address) == 3


async def test_a_sprayed_password_is_paced_not_closed(throttle: LoginThrottle, clock: FakeTime) -> None:
    def spray(n: int) -> Awaitable[Reservation]:
        return throttle.reserve(address=f"10.{n}.0.1", identifier=f"card-{n}", password_tag="tag")

    first = await asyncio.gather(*(spray(n) for n in range(10)))

    # Four failures, then one attempt per ten seconds: that password is slowed, not locked.
    assert sorted(str(r.refused) for r in first) == ["None"] * 5 + ["password"] * 5
    clock.now += 5
    assert (await throttle.reserve(address="10.99.0.1", identifier="x", password_tag="tag")).refused == (
        "password"
    )
    clock.now += 5
    assert (await throttle.reserve(address="10.99.0.1", identifier="y", password_tag="tag")).granted
    # Another password is not affected.
    assert (await throttle.reserve(address="10.98.0.1", identifier="z", password_tag="other")).granted


async def test_a_successful_password_gives_its_attempt_back(throttle: LoginThrottle) -> None:
    held = [
        await throttle.reserve(address=f"10.{n}.0.1", identifier=f"card-{n}", password_tag="tag")
        for n in range(4)
    ]

    await throttle.succeeded(held[:1], ["card-0"])

    assert (await throttle.reserve(address="10.9.0.1", identifier="c9", password_tag="tag")).granted


async def test_the_storage_reports_healthy(throttle: LoginThrottle) -> None:
    assert await throttle.healthy() is True


async def test_the_memory_store_forgets_idle_keys_and_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    windows, clock = MemoryWindows(), FakeTime()
    throttle = LoginThrottle(windows, LIMITS, clock=clock)
    with caplog.at_level(logging.DEBUG):
        for n in range(1500):
            await throttle.reserve(address=f"10.0.{n // 250}.{n % 250}", identifier=f"card-{n}")
            if n == 999:
                clock.now += 15 * 60 + 1
        await asyncio.sleep(0)
        await throttle.close()

    # Swept once past the window: only the keys of the last 500 attempts are left (address and card).
    assert len(windows) < 1100
    assert caplog.records == []


# ---- a Redis that is down or hung: every call fails with ThrottleUnavailable, quickly


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
async def dead_throttle() -> AsyncIterator[LoginThrottle]:
    made = LoginThrottle.create(f"redis://127.0.0.1:{closed_port()}/0", LIMITS)
    yield made
    await made.close()


async def test_every_call_on_an_unreachable_redis_raises_throttle_unavailable(
    dead_throttle: LoginThrottle,
) -> None:
    granted = await LoginThrottle.create(None, LIMITS).reserve(address="10.0.0.1")
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: dead_throttle.reserve(address="10.0.0.1", identifier="2900000001", password_tag="t"),
        lambda: dead_throttle.reserve_card("2900000001"),
        lambda: dead_throttle.succeeded([granted], ["2900000001"]),
    ]
    for call in calls:
        with pytest.raises(ThrottleUnavailable) as raised:
            await asyncio.wait_for(call(), 2.0)
        # The reason names the error's type, never its text (which holds the store's address).
        assert raised.value.reason == "ConnectionError"


async def test_an_unreachable_redis_is_reported_down(dead_throttle: LoginThrottle) -> None:
    assert dead_throttle.shared is True
    assert await dead_throttle.healthy() is False
    assert (await dead_throttle.health()).ok is False


async def test_a_redis_that_never_answers_fails_within_the_timeout() -> None:
    # Listens (the kernel completes the connection) but never accepts nor answers.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        throttle = LoginThrottle.create(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", LIMITS, timeout=0.1)
        try:
            with pytest.raises(ThrottleUnavailable) as raised:
                # Without the short socket timeout this would wait for redis-py's default (5 s).
                await asyncio.wait_for(throttle.reserve(address="10.0.0.1"), 2.0)
        finally:
            await throttle.close()

    assert raised.value.reason == "TimeoutError"
