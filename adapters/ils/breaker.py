"""A circuit breaker per ILS protocol: stop asking an ILS that keeps failing, probe it now and then.

Owns the state machine (CLOSED -> OPEN after `failures` consecutive failures; OPEN fails fast
with `CircuitOpen` until `cooldown` seconds have passed; then HALF_OPEN lets exactly one call
through as a probe: its success closes the circuit, its failure opens it again for another
cool-down) and which outcomes count. A failure is the ILS not answering usefully: a timeout,
a refused or broken connection, a lost or garbled answer, a server fault. The ILS refusing
(`IlsRejected`, a business answer) is a success. Neutral, neither: the pool being busy, our
own request time budget running out, a value we could not encode, a cancellation, a bug.
The clock is injectable (tests freeze it). Never sleeps, never retries, never logs data.
"""

from __future__ import annotations

import enum
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from adapters.errors import IlsError, IlsRejected, IlsUnavailable, LocalProtocolError

_log = logging.getLogger(__name__)

#: Defaults (GATEWAY_ILS_BREAKER_FAILURES, GATEWAY_ILS_BREAKER_COOLDOWN).
DEFAULT_FAILURES = 5
DEFAULT_COOLDOWN = 10.0


class State(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpen(IlsUnavailable):
    """Failed fast: the protocol's circuit is open (nothing was sent)."""

    def __init__(self, dependency: str) -> None:
        super().__init__(dependency, "circuit open")


class Neutral(IlsUnavailable):
    """An IlsUnavailable that says nothing about the ILS's health (busy pool, spent budget)."""


class Outcome(enum.Enum):
    SUCCESS = "success"
    FAILURE = "failure"
    NEUTRAL = "neutral"


def classify(error: BaseException | None) -> Outcome:
    """How a call that ended with `error` (None: it returned) counts for the breaker."""
    if error is None or isinstance(error, IlsRejected):
        return Outcome.SUCCESS
    if isinstance(error, Neutral | CircuitOpen | LocalProtocolError):
        return Outcome.NEUTRAL
    if isinstance(error, IlsError):
        return Outcome.FAILURE
    return Outcome.NEUTRAL  # cancellation, a bug: not the ILS's doing


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What /readyz shows of one breaker."""

    name: str
    state: State
    consecutive_failures: int
    opened_times: int
    retry_in: float


class CircuitBreaker:
    """One protocol's breaker; wrap each call in `async with breaker.guard():`."""

    def __init__(
        self,
        name: str,
        *,
        failures: int = DEFAULT_FAILURES,
        cooldown: float = DEFAULT_COOLDOWN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failures < 1 or cooldown < 0:
            raise ValueError("a breaker needs failures >= 1 and cooldown >= 0")
        self.name = name
        self._threshold = failures
        self._cooldown = cooldown
        self._clock = clock
        self._state = State.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probing = False
        self.opened_times = 0
        # Calls by how they ended (Outcome values, and "fast_failed" while open): for /metrics.
        self.calls: Counter[str] = Counter()

    @property
    def state(self) -> State:
        """The state now (an open circuit past its cool-down reads as half-open)."""
        if self._state is State.OPEN and self._clock() - self._opened_at >= self._cooldown:
            return State.HALF_OPEN
        return self._state

    def snapshot(self) -> Snapshot:
        state = self.state
        retry_in = max(0.0, self._opened_at + self._cooldown - self._clock()) if state is State.OPEN else 0.0
        return Snapshot(self.name, state, self._failures, self.opened_times, retry_in)

    def admit(self) -> bool:
        """Let a call through (True: it is the half-open probe) or raise CircuitOpen."""
        state = self.state
        if state is State.CLOSED:
            return False
        if state is State.HALF_OPEN and not self._probing:
            self._state = State.HALF_OPEN
            self._probing = True
            return True
        self.calls["fast_failed"] += 1
        raise CircuitOpen(self.name)

    def record(self, outcome: Outcome, *, probe: bool) -> None:
        """What became of an admitted call."""
        self.calls[outcome.value] += 1
        if probe:
            self._probing = False
        if outcome is Outcome.SUCCESS:
            if self._state is not State.CLOSED:
                _log.info("%s circuit closed", self.name)
            self._state = State.CLOSED
            self._failures = 0
        elif outcome is Outcome.FAILURE:
            self._failures += 1
            if probe or (self._state is State.CLOSED and self._failures >= self._threshold):
                self._open()
        # NEUTRAL: nothing learnt; a half-open circuit waits for the next probe.

    def _open(self) -> None:
        self._state = State.OPEN
        self._opened_at = self._clock()
        self.opened_times += 1
        _log.warning(
            "%s circuit open after %d consecutive failures; probing in %.1f s",
            self.name,
            self._failures,
            self._cooldown,
        )

    @asynccontextmanager
    async def guard(self) -> AsyncIterator[None]:
        """Admit the call (or fail fast), then count how it ended."""
        probe = self.admit()
        try:
            yield
        except BaseException as error:
            self.record(classify(error), probe=probe)
            raise
        self.record(Outcome.SUCCESS, probe=probe)
