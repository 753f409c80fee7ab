"""The share-request rules (schema/sharing/rules.py): each yes and each no, with its reason code."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from adapters.store.share_port import RequestCounts
from schema.sharing.rules import (
    MAX_PENDING,
    MAX_PER_DAY,
    EndRefusal,
    RequestRefusal,
    day_window_start,
    end_refusal,
    normalize_card,
    request_refusal,
    self_refusal,
    share_end,
)

CAMILLE, INES = "2900000001", "2900000003"
CLEAR = RequestCounts(pending=0, since_day_start=0, pending_to_card=False, shared_already=False)


@pytest.mark.parametrize(
    ("raw", "card"),
    [
        ("2900000003", INES),
        (" 29 000-000.03 ", INES),
        ("", None),
        ("- .", None),
        ("2" * 33, None),
        ("２９", None),
    ],
)
def test_card_numbers_are_read_like_sign_in(raw: str, card: str | None) -> None:
    assert normalize_card(raw) == card


def test_asking_for_another_card_passes_the_first_checks() -> None:
    assert self_refusal(CAMILLE, INES) is None


def test_asking_for_oneself_or_no_card_is_refused() -> None:
    assert self_refusal(CAMILLE, CAMILLE) is RequestRefusal.SHARE_WITH_SELF
    assert self_refusal(CAMILLE, None) is RequestRefusal.INVALID_CARD_NUMBER


def test_a_requester_with_room_may_ask() -> None:
    assert request_refusal(CLEAR) is None
    room = RequestCounts(MAX_PENDING - 1, MAX_PER_DAY - 1, pending_to_card=False, shared_already=False)
    assert request_refusal(room) is None


@pytest.mark.parametrize(
    ("counts", "reason"),
    [
        (RequestCounts(0, 0, False, True), RequestRefusal.SHARE_EXISTS),
        (RequestCounts(1, 1, True, False), RequestRefusal.SHARE_REQUEST_PENDING),
        (RequestCounts(MAX_PENDING, 10, False, False), RequestRefusal.TOO_MANY_PENDING_SHARE_REQUESTS),
        (RequestCounts(0, MAX_PER_DAY, False, False), RequestRefusal.TOO_MANY_SHARE_REQUESTS_TODAY),
    ],
    ids=["shared", "pending", "ten-pending", "twenty-today"],
)
def test_each_limit_refuses_with_its_reason(counts: RequestCounts, reason: RequestRefusal) -> None:
    assert request_refusal(counts) is reason


def test_the_day_is_a_moving_24_hours() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert day_window_start(now) == now - timedelta(hours=24)


def test_an_end_day_ends_the_share_when_that_day_begins() -> None:
    paris_winter = timezone(timedelta(hours=1))
    assert share_end(None, paris_winter) is None
    assert share_end(date(2032, 2, 3), paris_winter) == datetime(2032, 2, 3, 0, 0, tzinfo=paris_winter)


def test_an_end_must_be_to_come_and_not_absurdly_far() -> None:
    today = date(2026, 12, 1)
    assert end_refusal(None, today) is None
    assert end_refusal(date(2026, 12, 2), today) is None
    assert end_refusal(date(2051, 12, 1), today) is None
    assert end_refusal(today, today) is EndRefusal.SHARE_END_IN_PAST
    assert end_refusal(date(2026, 11, 30), today) is EndRefusal.SHARE_END_IN_PAST
    assert end_refusal(date(2052, 1, 1), today) is EndRefusal.SHARE_END_TOO_FAR
