"""The request time budget (adapters/ils/budget.py): reads stop being waited for at the deadline,
writes are never cut, and a lost write's re-read is exempt."""

from __future__ import annotations

import asyncio

import pytest

from adapters.errors import OutcomeUnknown
from adapters.ils import budget
from adapters.ils.breaker import Outcome, classify
from adapters.ils.budget import BudgetSpent, check_before_write, remaining, request_budget, within_budget
from schema.confirmed_write import Outcome as WriteOutcome
from schema.confirmed_write import write_and_confirm


async def test_a_read_within_the_budget_is_answered() -> None:
    async def read() -> str:
        return "answer"

    with request_budget(5.0):
        assert await within_budget("sip2", read()) == "answer"
    assert await within_budget("sip2", read()) == "answer"  # no budget: waited for as ever


async def test_a_read_past_the_deadline_raises_and_goes_on_in_the_background() -> None:
    release, finished = asyncio.Event(), asyncio.Event()

    async def slow_read() -> str:
        await release.wait()
        finished.set()
        return "late"

    with request_budget(0.05), pytest.raises(BudgetSpent):
        await within_budget("soap", slow_read())
    release.set()
    await asyncio.wait_for(finished.wait(), timeout=5)  # not cancelled: its own timeout decides


async def test_a_spent_budget_starts_nothing() -> None:
    started: list[bool] = []

    async def read() -> None:
        started.append(True)

    with request_budget(0.0):
        with pytest.raises(BudgetSpent):
            await within_budget("sip2", read())
        with pytest.raises(BudgetSpent):
            check_before_write("sip2")
    assert started == []
    check_before_write("sip2")  # no budget: a write goes


async def test_late_reads_beyond_the_cap_are_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "MAX_ABANDONED", 1)
    release = asyncio.Event()
    ended: list[str] = []

    async def slow_read(name: str) -> None:
        try:
            await release.wait()
            ended.append(f"{name} answered")
        except asyncio.CancelledError:
            ended.append(f"{name} cancelled")
            raise

    for name in ("first", "second"):  # two requests, each past its budget
        with request_budget(0.02), pytest.raises(BudgetSpent):
            await within_budget("soap", slow_read(name))
    release.set()
    for _ in range(3):
        await asyncio.sleep(0)
    assert sorted(ended) == ["first answered", "second cancelled"]


def test_a_spent_budget_says_nothing_of_the_ils_health() -> None:
    assert classify(BudgetSpent("sip2")) is Outcome.NEUTRAL


async def test_the_re_read_after_a_lost_answer_is_outside_the_budget() -> None:
    seen: list[float | None] = []

    async def write() -> None:
        raise OutcomeUnknown("renew", "no answer")

    async def reconcile() -> bool:
        seen.append(remaining())
        return True

    with request_budget(0.0):
        result = await write_and_confirm("renew", write, reconcile)
    assert result.outcome is WriteOutcome.APPLIED and seen == [None]
