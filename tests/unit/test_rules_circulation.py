"""The portal rules: every rule's yes and each no, and the demo patrons' exact reasons."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from adapters.ils.models import (
    DocumentType,
    Hold,
    HoldStatus,
    Item,
    ItemStatus,
    Library,
    Loan,
    LoanType,
    Patron,
    PatronBlock,
    Title,
)
from schema.circulation.rules import (
    HoldReason,
    RenewalReason,
    holdability,
    is_cancellable,
    is_overdue,
    renewability,
    renewals_left,
)
from tests.fakes import DEMO_TODAY, FakeIls
from tests.fakes_demo import CAMILLE, HUGO, NADIA

TODAY = DEMO_TODAY
PATRON = Patron("1", "Ada", "Lovelace", None, None, None, "DURAS", date(2030, 1, 1))
LOAN = Loan("L1", "1", "I1", "T1", LoanType.STANDARD, TODAY, TODAY + timedelta(days=5), 0, False)
TITLE = Title("T1", "Le Horla", ("Maupassant",), 1887, DocumentType.BOOK, None, None, False)
OUT = Item("I1", "T1", "DURAS", None, ItemStatus.CHECKED_OUT, TODAY, 0)
PICKUP = Library("DURAS", "Duras", None, True)


def _hold(title_id: str, status: HoldStatus = HoldStatus.WAITING) -> Hold:
    return Hold(f"H{title_id}", "1", title_id, None, status, "DURAS", TODAY, None, 1, 1)


# ---- renewability


def test_a_fresh_standard_loan_is_renewable() -> None:
    decision = renewability(LOAN, PATRON, False, TODAY)
    assert decision.allowed and decision.reasons == ()


@pytest.mark.parametrize(
    ("loan", "patron", "held", "reason"),
    [
        (dataclasses.replace(LOAN, renewal_count=2), PATRON, False, RenewalReason.MAX_RENEWALS_REACHED),
        (dataclasses.replace(LOAN, loan_type=LoanType.ONE_WEEK), PATRON, False, RenewalReason.ONE_WEEK_LOAN),
        (dataclasses.replace(LOAN, due_date=TODAY - timedelta(days=1)), PATRON, False, RenewalReason.OVERDUE),
        (dataclasses.replace(LOAN, overdue=True), PATRON, False, RenewalReason.OVERDUE),
        (LOAN, PATRON, True, RenewalReason.RESERVED_BY_ANOTHER_PATRON),
        (dataclasses.replace(LOAN, loan_type=LoanType.DIGITAL), PATRON, False, RenewalReason.DIGITAL_LOAN),
        (
            LOAN,
            dataclasses.replace(PATRON, blocks=(PatronBlock.FINES_OWED,)),
            False,
            RenewalReason.PATRON_BLOCKED,
        ),
        (
            LOAN,
            dataclasses.replace(PATRON, card_expires_on=TODAY - timedelta(days=1)),
            False,
            RenewalReason.PATRON_BLOCKED,
        ),
    ],
)
def test_each_renewal_rule_says_no(loan: Loan, patron: Patron, held: bool, reason: RenewalReason) -> None:
    decision = renewability(loan, patron, held, TODAY)
    assert decision.reasons == (reason,)
    assert not decision.allowed


def test_renewal_is_possible_up_to_and_including_the_due_date() -> None:
    due_today = dataclasses.replace(LOAN, due_date=TODAY, renewal_count=1)
    assert renewability(due_today, PATRON, False, TODAY).allowed
    assert not is_overdue(due_today, TODAY)


def test_every_applying_renewal_reason_is_returned() -> None:
    loan = dataclasses.replace(
        LOAN, renewal_count=3, loan_type=LoanType.ONE_WEEK, due_date=TODAY - timedelta(days=2)
    )
    blocked = dataclasses.replace(PATRON, blocks=(PatronBlock.ACCOUNT_SUSPENDED,))
    assert renewability(loan, blocked, True, TODAY).reasons == (
        RenewalReason.MAX_RENEWALS_REACHED,
        RenewalReason.ONE_WEEK_LOAN,
        RenewalReason.OVERDUE,
        RenewalReason.RESERVED_BY_ANOTHER_PATRON,
        RenewalReason.PATRON_BLOCKED,
    )


def test_renewals_left_never_goes_below_zero() -> None:
    assert [renewals_left(dataclasses.replace(LOAN, renewal_count=n)) for n in range(4)] == [2, 1, 0, 0]


async def test_camille_s_seven_loans_give_exactly_the_reasons_of_the_design() -> None:
    ils = FakeIls()
    (account,) = await ils.get_accounts([CAMILLE])
    assert account is not None
    items = {item.id: item for item in await ils.get_items([loan.item_id for loan in account.loans]) if item}
    titles = {t.id: t.title for t in await ils.get_titles([loan.title_id for loan in account.loans]) if t}
    decisions = {
        titles[loan.title_id]: renewability(
            loan, account.patron, items[loan.item_id].hold_queue_length > 0, TODAY
        )
        for loan in account.loans
    }
    assert {title: d.reasons for title, d in decisions.items()} == {
        "La Horde du Contrevent": (),
        "Les Furtifs": (RenewalReason.MAX_RENEWALS_REACHED,),
        "Astérix le Gaulois": (RenewalReason.ONE_WEEK_LOAN,),
        "Le Bureau des légendes, saison 1": (RenewalReason.OVERDUE,),
        "L'Anomalie": (RenewalReason.RESERVED_BY_ANOTHER_PATRON,),
        "Chanson douce": (RenewalReason.DIGITAL_LOAN,),
        "Vernon Subutex 1": (),
    }


async def test_nadia_is_blocked_and_hugo_has_reached_the_hold_limit() -> None:
    ils = FakeIls()
    nadia, hugo = await ils.get_accounts([NADIA, HUGO])
    assert nadia is not None and hugo is not None
    assert renewability(nadia.loans[0], nadia.patron, False, TODAY).reasons == (RenewalReason.PATRON_BLOCKED,)
    assert holdability(TITLE, [OUT], hugo.patron, hugo.holds, hugo.loans, PICKUP, TODAY).reasons == (
        HoldReason.MAX_HOLDS_REACHED,
    )


# ---- holdability


def test_a_title_with_every_copy_checked_out_is_holdable() -> None:
    decision = holdability(TITLE, [OUT, dataclasses.replace(OUT, id="I2")], PATRON, [], [], PICKUP, TODAY)
    assert decision.allowed and decision.reasons == ()


def test_without_a_chosen_pickup_library_the_pickup_rule_does_not_apply() -> None:
    assert holdability(TITLE, [OUT], PATRON, [], [], None, TODAY).allowed


@pytest.mark.parametrize(
    ("title", "items", "patron", "holds", "loans", "pickup", "reason"),
    [
        (
            TITLE,
            [OUT, dataclasses.replace(OUT, id="I2", status=ItemStatus.AVAILABLE)],
            PATRON,
            [],
            [],
            PICKUP,
            HoldReason.AVAILABLE_ON_SHELF,
        ),
        (TITLE, [], PATRON, [], [], PICKUP, HoldReason.NO_COPIES),
        (
            dataclasses.replace(TITLE, is_digital=True, document_type=DocumentType.EBOOK),
            [],
            PATRON,
            [],
            [],
            PICKUP,
            HoldReason.DIGITAL_DOCUMENT,
        ),
        (TITLE, [OUT], PATRON, [_hold(f"X{n}") for n in range(10)], [], PICKUP, HoldReason.MAX_HOLDS_REACHED),
        (TITLE, [OUT], PATRON, [_hold("T1")], [], PICKUP, HoldReason.ALREADY_HELD),
        (TITLE, [OUT], PATRON, [], [LOAN], PICKUP, HoldReason.ALREADY_ON_LOAN),
        (
            TITLE,
            [OUT],
            dataclasses.replace(PATRON, blocks=(PatronBlock.CARD_EXPIRED,)),
            [],
            [],
            PICKUP,
            HoldReason.PATRON_BLOCKED,
        ),
        (TITLE, [OUT], None, [], [], PICKUP, HoldReason.NOT_SIGNED_IN),
        (
            TITLE,
            [OUT],
            PATRON,
            [],
            [],
            dataclasses.replace(PICKUP, accepts_pickup=False),
            HoldReason.INVALID_PICKUP_LIBRARY,
        ),
    ],
)
def test_each_hold_rule_says_no(
    title: Title,
    items: list[Item],
    patron: Patron | None,
    holds: list[Hold],
    loans: list[Loan],
    pickup: Library,
    reason: HoldReason,
) -> None:
    decision = holdability(title, items, patron, holds, loans, pickup, TODAY)
    assert decision.reasons == (reason,)
    assert not decision.allowed


def test_nine_active_holds_still_allow_a_tenth() -> None:
    holds = [_hold(f"X{n}") for n in range(9)]
    assert holdability(TITLE, [OUT], PATRON, holds, [], PICKUP, TODAY).allowed


def test_every_applying_hold_reason_is_returned() -> None:
    blocked = dataclasses.replace(PATRON, blocks=(PatronBlock.FINES_OWED,))
    forney = Library("FORNEY", "Forney", None, False)
    holds = [_hold("T1"), *(_hold(f"X{n}") for n in range(9))]
    assert holdability(TITLE, [], blocked, holds, [LOAN], forney, TODAY).reasons == (
        HoldReason.NO_COPIES,
        HoldReason.MAX_HOLDS_REACHED,
        HoldReason.ALREADY_HELD,
        HoldReason.ALREADY_ON_LOAN,
        HoldReason.PATRON_BLOCKED,
        HoldReason.INVALID_PICKUP_LIBRARY,
    )


def test_anonymous_viewers_still_get_the_title_s_own_reasons() -> None:
    on_shelf = dataclasses.replace(OUT, status=ItemStatus.AVAILABLE)
    assert holdability(TITLE, [on_shelf], None, [], [], None, TODAY).reasons == (
        HoldReason.AVAILABLE_ON_SHELF,
        HoldReason.NOT_SIGNED_IN,
    )


@pytest.mark.parametrize(
    ("status", "cancellable"),
    [(HoldStatus.WAITING, True), (HoldStatus.IN_TRANSIT, True), (HoldStatus.AVAILABLE, False)],
)
def test_only_holds_not_yet_available_can_be_cancelled(status: HoldStatus, cancellable: bool) -> None:
    assert is_cancellable(_hold("T1", status)) is cancellable


def test_camille_s_demo_holds_are_cancellable_except_the_available_one() -> None:
    ils = FakeIls()
    mine = [hold for hold in ils.holds.values() if hold.patron_id == CAMILLE]
    assert sorted((h.status.value, is_cancellable(h)) for h in mine) == [
        ("AVAILABLE", False),
        ("IN_TRANSIT", True),
        ("WAITING", True),
    ]
