"""Counts of the emulator's round trips (SIP2 messages by command code, SOAP calls by operation),
and a timeline of the SIP2 calls it answered.

Tests and benchmarks read them through the admin API to count ILS round trips, and the levels
of dependent SIP2 calls a request made (`sip2_levels`). Only counts, command codes and times;
never records message contents (they carry personal data).
"""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass

# The timeline keeps the latest calls only: memory stays bounded on a long-running emulator.
TIMELINE_LENGTH = 10_000


@dataclass(frozen=True, slots=True)
class Sip2Call:
    """One SIP2 request: its command code, when it arrived and when its answer was ready (monotonic)."""

    code: str
    started: float
    ended: float


class Stats:
    """Counters since start or the last reset (single event loop: no locking needed)."""

    def __init__(self) -> None:
        self._sip2: Counter[str] = Counter()
        self._soap: Counter[str] = Counter()
        self._timeline: deque[Sip2Call] = deque(maxlen=TIMELINE_LENGTH)

    def count_sip2(self, code: str) -> None:
        """One SIP2 request received with command `code` (e.g. "63")."""
        self._sip2[code] += 1

    def count_soap(self, operation: str) -> None:
        """One SOAP call of `operation` (e.g. "lookupAccounts")."""
        self._soap[operation] += 1

    def time_sip2(self, code: str, started: float) -> None:
        """The answer to a SIP2 request `code` that arrived at `started` (time.monotonic) is ready."""
        self._timeline.append(Sip2Call(code, started, time.monotonic()))

    def sip2_timeline(self) -> list[Sip2Call]:
        """The SIP2 calls answered, in order of arrival (login and status included)."""
        return sorted(self._timeline, key=lambda call: call.started)

    def sip2_levels(self, *, ignore: frozenset[str] = frozenset({"93", "99"})) -> list[list[str]]:
        """The SIP2 calls by level of dependent round trips: a call that arrived after an earlier
        call's answer was ready may depend on it and starts a new level; calls that arrived before
        any answer of the current level was ready are one level. Logins and status (93, 99: a
        connection being opened) are left out."""
        levels: list[list[Sip2Call]] = []
        for call in self.sip2_timeline():
            if call.code in ignore:
                continue
            if not levels or call.started >= min(earlier.ended for earlier in levels[-1]):
                levels.append([])
            levels[-1].append(call)
        return [sorted(call.code for call in level) for level in levels]

    def snapshot(self) -> dict[str, dict[str, int]]:
        """{"sip2": {code: n}, "soap": {operation: n}}, keys sorted."""
        return {
            "sip2": dict(sorted(self._sip2.items())),
            "soap": dict(sorted(self._soap.items())),
        }

    def reset(self) -> None:
        """Back to zero, the timeline emptied."""
        self._sip2.clear()
        self._soap.clear()
        self._timeline.clear()
