"""The portal's rules for share requests and answers: pure decisions with reason codes.

Owns who may ask to see which account (never oneself, never an account already shared or
already asked for, at most MAX_PENDING open requests and MAX_PER_DAY requests in 24 hours),
how long a request lives, and what an owner may choose when accepting or changing a share
(the scope, and an end that is still to come). Imports only domain values: the caller counts
(adapters/store/share_requests.py, under the requester's write lock) and gives the time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from adapters.store.share_port import RequestCounts

MAX_PENDING = 10
MAX_PER_DAY = 20
DEFAULT_REQUEST_TTL = timedelta(days=14)
# A card number longer than this is no card: refused before anyone is asked.
MAX_CARD_LENGTH = 32
# Ends further than this are refused: a typing error (year 3025), not a wish.
MAX_SHARE_YEARS = 25


class RequestRefusal(StrEnum):
    """Why a share request is refused (UserError codes)."""

    INVALID_CARD_NUMBER = "INVALID_CARD_NUMBER"
    SHARE_WITH_SELF = "SHARE_WITH_SELF"
    SHARE_EXISTS = "SHARE_EXISTS"
    SHARE_REQUEST_PENDING = "SHARE_REQUEST_PENDING"
    TOO_MANY_PENDING_SHARE_REQUESTS = "TOO_MANY_PENDING_SHARE_REQUESTS"
    TOO_MANY_SHARE_REQUESTS_TODAY = "TOO_MANY_SHARE_REQUESTS_TODAY"


class EndRefusal(StrEnum):
    SHARE_END_IN_PAST = "SHARE_END_IN_PAST"
    SHARE_END_TOO_FAR = "SHARE_END_TOO_FAR"


def normalize_card(raw: str) -> str | None:
    """The card number as sign-in reads it (spaces and punctuation dropped); None if none is left."""
    card = "".join(char for char in raw.strip() if char.isalnum())
    if not card or len(card) > MAX_CARD_LENGTH or not card.isascii():
        return None
    return card


def self_refusal(requester_id: str, card: str | None) -> RequestRefusal | None:
    """What can be refused before anything is read: no card, or one's own."""
    if card is None:
        return RequestRefusal.INVALID_CARD_NUMBER
    if card == requester_id:
        return RequestRefusal.SHARE_WITH_SELF
    return None


def request_refusal(counts: RequestCounts) -> RequestRefusal | None:
    """Whether the requester may send one more request, given what the store counted.

    The same for a card the ILS knows and for one it does not (they are counted alike), so
    the answer says nothing of whether the card exists.
    """
    if counts.shared_already:
        return RequestRefusal.SHARE_EXISTS
    if counts.pending_to_card:
        return RequestRefusal.SHARE_REQUEST_PENDING
    if counts.pending >= MAX_PENDING:
        return RequestRefusal.TOO_MANY_PENDING_SHARE_REQUESTS
    if counts.since_day_start >= MAX_PER_DAY:
        return RequestRefusal.TOO_MANY_SHARE_REQUESTS_TODAY
    return None


def day_window_start(now: datetime) -> datetime:
    """Requests made from this instant on count towards today's MAX_PER_DAY (a moving 24 hours)."""
    return now - timedelta(days=1)


def share_end(ends_on: date | None, zone: tzinfo) -> datetime | None:
    """The instant a share given an end day stops: the start of that day in the library's zone.

    (A share that ends on a child's 18th birthday no longer works on that day.)
    """
    return None if ends_on is None else datetime.combine(ends_on, time.min, tzinfo=zone)


def end_refusal(ends_on: date | None, today: date) -> EndRefusal | None:
    """An end day must be after today, and within MAX_SHARE_YEARS."""
    if ends_on is None:
        return None
    if ends_on <= today:
        return EndRefusal.SHARE_END_IN_PAST
    if ends_on.year - today.year > MAX_SHARE_YEARS:
        return EndRefusal.SHARE_END_TOO_FAR
    return None
