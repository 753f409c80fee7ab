"""Fault injection knobs of the emulator: latency, jitter, lost answers, bad checksums, outages.

Owns the settings (changed at run time through the admin API) and the seeded
dice that decide, message by message, whether a fault happens. The SIP2 server
and the SOAP app ask it; it never touches sockets or the database itself.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping
from dataclasses import dataclass

from emulator import latency

#: Faults that are probabilities (0..1) per message.
RATES = (
    "drop_before_write",
    "drop_after_write",
    "bad_checksum",
    "no_answer",
    "soap_fault",
    "garbled_request",
)
#: Delays in milliseconds (>= 0).
DELAYS = ("sip2_latency_ms", "soap_latency_ms", "jitter_ms")


@dataclass(frozen=True, slots=True)
class FaultSettings:
    """What goes wrong, and how slow the ILS is. Rates are probabilities per message."""

    sip2_latency_ms: float = 0.0
    soap_latency_ms: float = 0.0
    jitter_ms: float = 0.0
    drop_before_write: float = 0.0
    drop_after_write: float = 0.0
    bad_checksum: float = 0.0
    no_answer: float = 0.0
    soap_fault: float = 0.0
    # SIP2: the request arrives garbled (a noisy line): answered 96, not applied, each time.
    garbled_request: float = 0.0
    outage: bool = False

    def as_dict(self) -> dict[str, float | bool]:
        """The settings as JSON-ready values."""
        return dataclasses.asdict(self)


def _validated(key: str, value: object) -> float | bool:
    if key == "outage":
        if not isinstance(value, bool):
            raise ValueError("outage must be true or false")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} must be a number")
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{key} must be finite")
    if key in RATES and not 0.0 <= number <= 1.0:
        raise ValueError(f"{key} is a probability between 0 and 1")
    if key in DELAYS and not 0.0 <= number <= 600_000.0:
        raise ValueError(f"{key} must be between 0 and 600000 milliseconds")
    return number


class FaultInjector:
    """The current settings plus a seeded random generator to roll the dice."""

    def __init__(self, settings: FaultSettings | None = None, seed: int = 1) -> None:
        self.settings = settings or FaultSettings()
        self._random = random.Random(seed)

    def update(self, changes: Mapping[str, object]) -> FaultSettings:
        """Change any subset of the settings; all-or-nothing, ValueError on unknown keys or bad values."""
        known = {f.name for f in dataclasses.fields(FaultSettings)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(unknown)}")
        values = {key: _validated(key, value) for key, value in changes.items()}
        self.settings = dataclasses.replace(self.settings, **values)  # type: ignore[arg-type]
        return self.settings

    def roll(self, kind: str) -> bool:
        """True with the probability configured for `kind` (one of RATES)."""
        if kind not in RATES:
            raise ValueError(f"unknown fault {kind!r}")
        rate = float(getattr(self.settings, kind))
        # No draw when the rate is 0 or 1: fault-free runs stay independent of the dice.
        if rate <= 0.0:
            return False
        if rate >= 1.0:
            return True
        return self._random.random() < rate

    def _delay_seconds(self, latency_ms: float) -> float:
        jitter = self.settings.jitter_ms
        extra = self._random.uniform(0.0, jitter) if jitter > 0 else 0.0
        return max(0.0, latency_ms + extra) / 1000.0

    async def sip2_delay(self) -> None:
        """Wait the configured SIP2 latency plus jitter (no wait at all when both are 0)."""
        seconds = self._delay_seconds(self.settings.sip2_latency_ms)
        if seconds > 0:
            await latency.sleep(seconds)  # not asyncio.sleep: that ends up to 1 ms late

    async def soap_delay(self) -> None:
        """Wait the configured SOAP latency plus jitter (no wait at all when both are 0)."""
        seconds = self._delay_seconds(self.settings.soap_latency_ms)
        if seconds > 0:
            await latency.sleep(seconds)
