"""Moving-window counters reserved atomically: the primitive under sign-in throttling.

Owns the rule of a reservation and its in-memory store. A `Gate` is a key with a `Rate`
(so many entries per so many seconds); a reservation takes one entry in every gate it
names, all or none, before the caller does the guarded work, so concurrent callers can
never exceed a limit (no check-then-record race). A gate may have a `pace`: once its rate
is spent, it still admits entries at that slower pace (recorded in both windows), which
slows a key down instead of closing it. Releasing a reservation gives its entries back;
clearing a key forgets it. Keys are opaque: never a password. Nothing here logs, and
nothing runs in the background (no expiry task: stale entries are dropped when touched,
and whole keys in a sweep every `_SWEEP_EVERY` reservations).
"""

from __future__ import annotations

import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*(?:/|per)\s*(\d+)?\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)
# Reservations between two sweeps of the keys nobody touched for a whole window.
_SWEEP_EVERY = 1024


@dataclass(frozen=True, slots=True)
class Rate:
    """At most `amount` entries in any `seconds`-long window."""

    amount: int
    seconds: float


def parse_rate(text: str) -> Rate:
    """`5/15 minutes`, `20 per hour`, `1/second` → Rate; ValueError otherwise."""
    match = _RATE.match(text)
    if match is None:
        raise ValueError(f"expected a rate such as '5/15 minutes', got {text!r}")
    amount, count, unit = match.groups()
    seconds = int(count or 1) * _UNITS[unit.lower()]
    if seconds <= 0:
        raise ValueError("the window must last at least one second")
    return Rate(int(amount), float(seconds))


@dataclass(frozen=True, slots=True)
class Gate:
    """One limit a reservation must pass; `name` is what a refusal reports."""

    name: str
    key: str
    rate: Rate
    pace: Rate | None = None

    @property
    def pace_key(self) -> str:
        return f"{self.key}:pace"


@dataclass(frozen=True, slots=True)
class Reservation:
    """Entries held (one `member` in each of `keys`), or the name of the gate that refused."""

    member: str
    keys: tuple[str, ...] = ()
    refused: str | None = None

    @property
    def granted(self) -> bool:
        return self.refused is None


def new_member() -> str:
    return uuid.uuid4().hex


def held_keys(gates: Sequence[Gate]) -> tuple[str, ...]:
    """Every key a granted reservation may have written (a release removes the member from each)."""
    keys = [gate.key for gate in gates]
    keys += [gate.pace_key for gate in gates if gate.pace is not None]
    return tuple(keys)


class WindowStore(ABC):
    """Where the windows live: this process (`MemoryWindows`) or Redis (`RedisWindows`)."""

    shared = False

    @abstractmethod
    async def reserve(self, gates: Sequence[Gate], now: float) -> Reservation:
        """One entry in every gate, atomically; nothing taken when one gate refuses."""

    @abstractmethod
    async def settle(self, reservations: Sequence[Reservation], forget: Sequence[str]) -> None:
        """Give these reservations back and forget the keys `forget` (in one step)."""

    @abstractmethod
    async def check(self) -> bool:
        """Whether the store answers."""

    @abstractmethod
    async def close(self) -> None:
        """Release what the store holds open."""


class _Window:
    __slots__ = ("entries", "expires")

    def __init__(self) -> None:
        # Insertion order is time order: the clock only moves forward.
        self.entries: dict[str, float] = {}
        self.expires = 0.0

    def count(self, seconds: float, now: float) -> int:
        cutoff = now - seconds
        stale = []
        for member, at in self.entries.items():
            if at > cutoff:
                break
            stale.append(member)
        for member in stale:
            del self.entries[member]
        return len(self.entries)

    def add(self, member: str, seconds: float, now: float) -> None:
        self.entries[member] = now
        self.expires = max(self.expires, now + seconds)


class MemoryWindows(WindowStore):
    """This process's windows: exact and atomic (no await between the check and the take)."""

    def __init__(self) -> None:
        self._windows: dict[str, _Window] = {}
        self._since_sweep = 0

    def _count(self, key: str, rate: Rate, now: float) -> int:
        window = self._windows.get(key)
        return 0 if window is None else window.count(rate.seconds, now)

    def _add(self, key: str, member: str, rate: Rate, now: float) -> None:
        self._windows.setdefault(key, _Window()).add(member, rate.seconds, now)

    async def reserve(self, gates: Sequence[Gate], now: float) -> Reservation:
        self._sweep(now)
        member = new_member()
        paced: list[bool] = []
        for gate in gates:
            if self._count(gate.key, gate.rate, now) < gate.rate.amount:
                paced.append(False)
            elif gate.pace is not None and self._count(gate.pace_key, gate.pace, now) < gate.pace.amount:
                paced.append(True)
            else:
                return Reservation(member, refused=gate.name)
        for gate, is_paced in zip(gates, paced, strict=True):
            self._add(gate.key, member, gate.rate, now)
            if is_paced and gate.pace is not None:
                self._add(gate.pace_key, member, gate.pace, now)
        return Reservation(member, held_keys(gates))

    async def settle(self, reservations: Sequence[Reservation], forget: Sequence[str]) -> None:
        for reservation in reservations:
            for key in reservation.keys:
                window = self._windows.get(key)
                if window is not None:
                    window.entries.pop(reservation.member, None)
        for key in forget:
            self._windows.pop(key, None)

    async def check(self) -> bool:
        return True

    async def close(self) -> None:
        """Nothing to release: no connection, no background task."""

    def _sweep(self, now: float) -> None:
        """Drop keys whose every entry has aged out, so one-off keys cannot pile up."""
        self._since_sweep += 1
        if self._since_sweep < _SWEEP_EVERY:
            return
        self._since_sweep = 0
        for key in [key for key, window in self._windows.items() if window.expires <= now]:
            del self._windows[key]

    def __len__(self) -> int:
        """How many keys are held (for tests of the sweep)."""
        return len(self._windows)
