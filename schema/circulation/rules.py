"""The portal's circulation rules (renew, reserve, cancel) as pure functions with reason codes.

Owns the decisions the portal help page states; imports nothing but the domain
types. Never calls the ILS, never reads the clock (`today` is an argument) and
never formats text: callers turn the reasons into messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Generic, TypeVar

from adapters.ils.models import (
    Hold,
    HoldStatus,
    Item,
    ItemStatus,
    Library,
    Loan,
    LoanType,
    Patron,
    Title,
)

# "2 prolongations maximum" and "jusqu'à 10 documents" (portal help page).
MAX_RENEWALS = 2
MAX_ACTIVE_HOLDS = 10


class RenewalReason(StrEnum):
    MAX_RENEWALS_REACHED = "MAX_RENEWALS_REACHED"
    ONE_WEEK_LOAN = "ONE_WEEK_LOAN"
    OVERDUE = "OVERDUE"
    RESERVED_BY_ANOTHER_PATRON = "RESERVED_BY_ANOTHER_PATRON"
    DIGITAL_LOAN = "DIGITAL_LOAN"
    PATRON_BLOCKED = "PATRON_BLOCKED"


class HoldReason(StrEnum):
    AVAILABLE_ON_SHELF = "AVAILABLE_ON_SHELF"
    NO_COPIES = "NO_COPIES"
    DIGITAL_DOCUMENT = "DIGITAL_DOCUMENT"
    MAX_HOLDS_REACHED = "MAX_HOLDS_REACHED"
    ALREADY_HELD = "ALREADY_HELD"
    ALREADY_ON_LOAN = "ALREADY_ON_LOAN"
    PATRON_BLOCKED = "PATRON_BLOCKED"
    NOT_SIGNED_IN = "NOT_SIGNED_IN"
    INVALID_PICKUP_LIBRARY = "INVALID_PICKUP_LIBRARY"


R = TypeVar("R", RenewalReason, HoldReason)


@dataclass(frozen=True, slots=True)
class Decision(Generic[R]):
    """Allowed when no reason applies; otherwise every reason that does, in a stable order."""

    reasons: tuple[R, ...]

    @property
    def allowed(self) -> bool:
        return not self.reasons


def is_overdue(loan: Loan, today: date) -> bool:
    """Past its due date (the ILS's own flag counts too)."""
    return loan.overdue or loan.due_date < today


def renewals_left(loan: Loan) -> int:
    """2 minus the renewals made, never below 0; all of them when the ILS does not tell its
    renewals (the portal's own limit is then not known to be used: the ILS decides)."""
    return max(0, MAX_RENEWALS - (loan.renewal_count or 0))


def is_blocked(patron: Patron, today: date) -> bool:
    """A block on the account, or a card past its expiry date."""
    expired = patron.card_expires_on is not None and patron.card_expires_on < today
    return bool(patron.blocks) or expired


def renewability(loan: Loan, patron: Patron, holds_by_others: bool, today: date) -> Decision[RenewalReason]:
    """Whether the loan may be renewed now; every reason that forbids it.

    "Only until the due date" is the overdue rule: a loan may be renewed up to
    and including its due date.
    """
    checks = (
        # An unknown count (SIP2 alone) is not judged here: the ILS decides and says why.
        (
            loan.renewal_count is not None and loan.renewal_count >= MAX_RENEWALS,
            RenewalReason.MAX_RENEWALS_REACHED,
        ),
        (loan.loan_type is LoanType.ONE_WEEK, RenewalReason.ONE_WEEK_LOAN),
        (is_overdue(loan, today), RenewalReason.OVERDUE),
        (holds_by_others, RenewalReason.RESERVED_BY_ANOTHER_PATRON),
        (loan.loan_type is LoanType.DIGITAL, RenewalReason.DIGITAL_LOAN),
        (is_blocked(patron, today), RenewalReason.PATRON_BLOCKED),
    )
    return Decision(tuple(reason for applies, reason in checks if applies))


def holdability(
    title: Title,
    items: Sequence[Item],
    patron: Patron | None,
    patron_holds: Sequence[Hold],
    patron_loans: Sequence[Loan],
    pickup_library: Library | None,
    today: date,
) -> Decision[HoldReason]:
    """Whether `patron` may reserve `title` now; every reason that forbids it.

    `pickup_library` is None while no library has been chosen (a record page);
    copies matter only for physical documents ("seuls les documents empruntés
    sont réservables").
    """
    account = account_holdability(title.id, patron, patron_holds, patron_loans, pickup_library, today)
    return Decision((*_title_reasons(title, items), *account.reasons))


def account_holdability(
    title_id: str,
    patron: Patron | None,
    patron_holds: Sequence[Hold],
    patron_loans: Sequence[Loan],
    pickup_library: Library | None,
    today: date,
) -> Decision[HoldReason]:
    """The hold rules that need no record data (the account's and the pickup library's): all
    that can be judged where the ILS does not describe its records (SIP2 alone)."""
    reasons: list[HoldReason] = []
    if patron is None:
        reasons.append(HoldReason.NOT_SIGNED_IN)
    else:
        reasons.extend(_patron_reasons(title_id, patron, patron_holds, patron_loans, today))
    if pickup_library is not None and not pickup_library.accepts_pickup:
        reasons.append(HoldReason.INVALID_PICKUP_LIBRARY)
    return Decision(tuple(reasons))


def is_cancellable(hold: Hold) -> bool:
    """Holds not yet available for pickup can be cancelled."""
    return hold.status is not HoldStatus.AVAILABLE


def _title_reasons(title: Title, items: Sequence[Item]) -> list[HoldReason]:
    if title.is_digital:
        return [HoldReason.DIGITAL_DOCUMENT]
    if not items:
        return [HoldReason.NO_COPIES]
    if any(item.status is ItemStatus.AVAILABLE for item in items):
        return [HoldReason.AVAILABLE_ON_SHELF]
    return []


def _patron_reasons(
    title_id: str,
    patron: Patron,
    holds: Sequence[Hold],
    loans: Sequence[Loan],
    today: date,
) -> list[HoldReason]:
    checks = (
        (len(holds) >= MAX_ACTIVE_HOLDS, HoldReason.MAX_HOLDS_REACHED),
        (any(hold.title_id == title_id for hold in holds), HoldReason.ALREADY_HELD),
        (any(loan.title_id == title_id for loan in loans), HoldReason.ALREADY_ON_LOAN),
        (is_blocked(patron, today), HoldReason.PATRON_BLOCKED),
    )
    return [reason for applies, reason in checks if applies]
