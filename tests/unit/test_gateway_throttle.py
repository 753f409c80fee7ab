"""LoginThrottle in memory and in Redis: card and address limits, atomic under concurrency, failing loudly."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from adapters.errors import ThrottleUnavailable
from adapters.throttle import LoginThrottle


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def throttle(request: pytest.FixtureRequest) -> AsyncIterator[LoginThrottle]:
    url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    # A namespace per test keeps Redis runs independent of each other.
    made = LoginThrottle.create(
        url, card_limit="5/15 minutes", address_limit="3/15 minutes", namespace=uuid.uuid4().hex
    )
    yield made
    await made.close()


async def test_a_card_gets_five_attempts_then_none(throttle: LoginThrottle) -> None:
    taken = [await throttle.take_attempt("2900000001") for _ in range(6)]

    assert taken == [True, True, True, True, True, False]
    # Another card is not affected.
    assert await throttle.take_attempt("2900000003") is True


async def test_a_success_gives_the_card_its_attempts_back(throttle: LoginThrottle) -> None:
    for _ in range(5):
        await throttle.take_attempt("2900000001")

    await throttle.forget("2900000001")

    assert await throttle.take_attempt("2900000001") is True


async def test_the_address_counts_failures_only(throttle: LoginThrottle) -> None:
    assert await throttle.address_allowed("10.0.0.1") is True
    for _ in range(3):
        await throttle.record_address_failure("10.0.0.1")

    assert await throttle.address_allowed("10.0.0.1") is False
    assert await throttle.address_allowed("10.0.0.2") is True


async def test_concurrent_attempts_never_exceed_the_card_limit(throttle: LoginThrottle) -> None:
    taken = await asyncio.gather(*(throttle.take_attempt("2900000004") for _ in range(20)))

    assert sum(taken) == 5


async def test_the_storage_reports_healthy(throttle: LoginThrottle) -> None:
    assert await throttle.healthy() is True


# ---- a Redis that is down or hung: every call fails with ThrottleUnavailable, quickly


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
async def dead_throttle() -> AsyncIterator[LoginThrottle]:
    made = LoginThrottle.create(
        f"redis://127.0.0.1:{closed_port()}/0", card_limit="5/15 minutes", address_limit="3/15 minutes"
    )
    yield made
    await made.close()


async def test_every_call_on_an_unreachable_redis_raises_throttle_unavailable(
    dead_throttle: LoginThrottle,
) -> None:
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: dead_throttle.address_allowed("10.0.0.1"),
        lambda: dead_throttle.take_attempt("2900000001"),
        lambda: dead_throttle.record_address_failure("10.0.0.1"),
        lambda: dead_throttle.forget("2900000001"),
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
        throttle = LoginThrottle.create(
            f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
            card_limit="5/15 minutes",
            address_limit="3/15 minutes",
            timeout=0.1,
        )
        try:
            with pytest.raises(ThrottleUnavailable) as raised:
                # Without the short socket timeout this would wait for redis-py's default (5 s).
                await asyncio.wait_for(throttle.take_attempt("2900000001"), 2.0)
        finally:
            await throttle.close()

    assert raised.value.reason == "TimeoutError"
