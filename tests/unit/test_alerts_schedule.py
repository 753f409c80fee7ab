"""GATEWAY_ALERTS_SCHEDULE: its grammar, when the next run is due, and serve's loop (a fake sleep)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest
from pydantic import ValidationError

from adapters.errors import GatewayError
from gateway.alerts import AlertRun
from gateway.alerts_schedule import AlertsSchedule, alerts_forever
from gateway.settings import Settings


def test_a_daily_time_or_seconds() -> None:
    assert AlertsSchedule.parse("07:00") == AlertsSchedule(daily=time(7, 0))
    assert AlertsSchedule.parse(" 23:59 ") == AlertsSchedule(daily=time(23, 59))
    assert AlertsSchedule.parse("3600") == AlertsSchedule(every=timedelta(hours=1))
    for wrong in ("24:00", "7h", "0", "-5", "PT1H", "", "07:60"):
        with pytest.raises(ValueError):
            AlertsSchedule.parse(wrong)


def test_the_settings_check_it() -> None:
    assert Settings(alerts_schedule="07:00").alerts_schedule == "07:00"
    assert Settings(alerts_schedule="").alerts_schedule is None
    assert Settings().alerts_schedule is None
    with pytest.raises(ValidationError):
        Settings(alerts_schedule="tomorrow")


def test_the_next_daily_run_is_today_if_not_passed_else_tomorrow() -> None:
    schedule = AlertsSchedule(daily=time(7, 0))
    morning = datetime(2026, 12, 1, 6, 30).astimezone()
    assert schedule.next_after(morning) == morning.replace(hour=7, minute=0)
    evening = datetime(2026, 12, 1, 7, 0).astimezone()
    assert schedule.next_after(evening) == (evening + timedelta(days=1)).replace(hour=7, minute=0)
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert AlertsSchedule(every=timedelta(seconds=90)).next_after(now) == now + timedelta(seconds=90)


async def test_serve_s_loop_waits_runs_and_survives_a_failed_run() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    waits: list[float] = []
    runs: list[int] = []

    async def sleep(seconds: float) -> None:
        if len(waits) == 3:
            raise asyncio.CancelledError
        waits.append(seconds)

    async def run() -> AlertRun:
        runs.append(1)
        if len(runs) == 1:
            raise GatewayError("ILS down")
        return AlertRun()

    with pytest.raises(asyncio.CancelledError):
        await alerts_forever(AlertsSchedule(every=timedelta(seconds=600)), run, lambda: now, sleep=sleep)
    assert waits == [600.0, 600.0, 600.0] and len(runs) == 3
