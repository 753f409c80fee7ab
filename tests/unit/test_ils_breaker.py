"""The per-protocol circuit breaker's state machine, on a frozen clock."""

from __future__ import annotations

import pytest

from adapters.errors import IlsRejected, IlsUnavailable, LocalProtocolError, OutcomeUnknown
from adapters.ils.breaker import CircuitBreaker, CircuitOpen, Neutral, Outcome, State, classify


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def breaker(clock: Clock, failures: int = 3, cooldown: float = 10.0) -> CircuitBreaker:
    return CircuitBreaker("sip2", failures=failures, cooldown=cooldown, clock=clock)


async def call(b: CircuitBreaker, error: BaseException | None = None) -> None:
    async with b.guard():
        if error is not None:
            raise error


async def fail(b: CircuitBreaker, error: BaseException | None = None) -> None:
    with pytest.raises(IlsUnavailable):
        await call(b, error or IlsUnavailable("sip2", "timeout"))


async def test_opens_after_n_consecutive_failures_and_fails_fast() -> None:
    clock = Clock()
    b = breaker(clock)
    await fail(b)
    await fail(b)
    assert b.state is State.CLOSED
    await fail(b)
    assert b.state is State.OPEN
    ran = False

    with pytest.raises(CircuitOpen):
        async with b.guard():
            ran = True
    assert not ran  # nothing is sent while open
    assert b.snapshot().retry_in == 10.0


async def test_a_success_resets_the_count() -> None:
    b = breaker(Clock())
    await fail(b)
    await fail(b)
    await call(b)
    await fail(b)
    await fail(b)
    assert b.state is State.CLOSED


async def test_refusals_are_successes_and_local_or_busy_errors_neutral() -> None:
    b = breaker(Clock(), failures=1)
    with pytest.raises(IlsRejected):
        await call(b, IlsRejected("X", "no"))
    with pytest.raises(LocalProtocolError):
        await call(b, LocalProtocolError("bad value"))
    await fail(b, Neutral("sip2", "pool exhausted"))
    assert b.state is State.CLOSED
    with pytest.raises(OutcomeUnknown):
        await call(b, OutcomeUnknown("renew", "timeout"))
    assert b.state is State.OPEN


def test_classification() -> None:
    assert classify(None) is Outcome.SUCCESS
    assert classify(IlsRejected("A", "b")) is Outcome.SUCCESS
    assert classify(IlsUnavailable("soap", "HTTP 500")) is Outcome.FAILURE
    assert classify(CircuitOpen("soap")) is Outcome.NEUTRAL
    assert classify(ValueError("bug")) is Outcome.NEUTRAL


async def test_half_opens_after_the_cooldown_with_one_probe_and_closes_on_success() -> None:
    clock = Clock()
    b = breaker(clock, failures=1)
    await fail(b)
    clock.now += 9.9
    assert b.state is State.OPEN
    clock.now += 0.1
    assert b.state is State.HALF_OPEN
    async with b.guard():  # the probe
        with pytest.raises(CircuitOpen):  # everyone else still fails fast meanwhile
            async with b.guard():
                pass
    assert b.state is State.CLOSED
    await call(b)


async def test_a_failed_probe_opens_again_for_a_whole_cooldown() -> None:
    clock = Clock()
    b = breaker(clock, failures=3)
    for _ in range(3):
        await fail(b)
    clock.now += 10
    await fail(b)  # the probe: one failure is enough to open again
    assert b.state is State.OPEN
    assert b.opened_times == 2
    clock.now += 9.9
    with pytest.raises(CircuitOpen):
        await call(b)
    clock.now += 0.1
    await call(b)
    assert b.state is State.CLOSED


async def test_a_neutral_probe_leaves_it_half_open_for_the_next_call() -> None:
    clock = Clock()
    b = breaker(clock, failures=1)
    await fail(b)
    clock.now += 10
    await fail(b, Neutral("sip2", "time budget spent"))
    assert b.state is State.HALF_OPEN
    await call(b)
    assert b.state is State.CLOSED
