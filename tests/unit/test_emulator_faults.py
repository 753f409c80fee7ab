"""Fault settings: validation, all-or-nothing updates, seeded dice; and the round-trip counters."""

from __future__ import annotations

import pytest

from emulator.faults import FaultInjector, FaultSettings
from emulator.stats import Stats


def test_update_any_subset() -> None:
    faults = FaultInjector()
    settings = faults.update({"sip2_latency_ms": 10, "outage": True})
    assert settings == FaultSettings(sip2_latency_ms=10.0, outage=True) == faults.settings


@pytest.mark.parametrize(
    "changes",
    [
        {"nope": 1},
        {"bad_checksum": 2},
        {"no_answer": -0.5},
        {"outage": "yes"},
        {"jitter_ms": -1},
        {"soap_fault": float("nan")},
        {"sip2_latency_ms": True},
        {"soap_latency_ms": None},
        {"drop_after_write": 0.5, "unknown": 1},
    ],
)
def test_bad_updates_raise_and_change_nothing(changes: dict[str, object]) -> None:
    faults = FaultInjector()
    with pytest.raises(ValueError):
        faults.update(changes)
    assert faults.settings == FaultSettings()


def test_roll_follows_the_rate_and_the_seed() -> None:
    never, always = FaultInjector(), FaultInjector(FaultSettings(bad_checksum=1.0))
    assert not any(never.roll("bad_checksum") for _ in range(100))
    assert all(always.roll("bad_checksum") for _ in range(100))
    half = FaultSettings(no_answer=0.5)
    a, b = FaultInjector(half, seed=3), FaultInjector(half, seed=3)
    rolls = [a.roll("no_answer") for _ in range(200)]
    assert rolls == [b.roll("no_answer") for _ in range(200)]
    assert 60 < sum(rolls) < 140
    with pytest.raises(ValueError):
        a.roll("meteor")


async def test_delays_are_skipped_when_zero() -> None:
    faults = FaultInjector()
    await faults.sip2_delay()
    await faults.soap_delay()


def test_stats_count_and_reset() -> None:
    stats = Stats()
    for code in ("63", "63", "29"):
        stats.count_sip2(code)
    stats.count_soap("lookupAccounts")
    assert stats.snapshot() == {"sip2": {"29": 1, "63": 2}, "soap": {"lookupAccounts": 1}}
    stats.reset()
    assert stats.snapshot() == {"sip2": {}, "soap": {}}
