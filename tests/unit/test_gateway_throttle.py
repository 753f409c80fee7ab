"""LoginThrottle in memory and in Redis: card and address limits, atomic under concurrency."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

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
