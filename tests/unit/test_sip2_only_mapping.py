"""The SIP2-only profile's mapping: 66 screen messages per item, patron status flags to blocks,
the 64 to a patron record, counts and fees."""

from __future__ import annotations

from datetime import datetime

import pytest

from adapters.ils.models import AccountCounts, Fee, PatronBlock, PatronStatusFlags
from adapters.ils.sip2 import mapping
from adapters.ils.sip2 import messages as m
from adapters.ils.sip2_only import blocks, counts_of, fees_known, fees_of, patron_of

NOW = datetime(2026, 12, 1, 9, 0, 0)


def _66(unrenewed: tuple[str, ...], *screen: str) -> m.RenewAllResponse:
    return m.RenewAllResponse(
        ok=True,
        renewed_count=1,
        unrenewed_count=len(unrenewed),
        transaction_date=NOW,
        renewed_items=("A1",),
        unrenewed_items=unrenewed,
        screen_messages=screen,
    )


def test_renew_all_screen_messages_that_name_an_item_are_that_items() -> None:
    outcome = mapping.renew_all(
        _66(("B2", "B22"), "B22 : Document réservé.", "B2 - Prêt d'une semaine.", "Bonne lecture !")
    )
    assert outcome.renewed_item_ids == ("A1",) and outcome.unrenewed_item_ids == ("B2", "B22")
    # "B22 : …" is B22's, not B2's although B2 is its prefix.
    assert dict(outcome.item_messages) == {"B22": "Document réservé.", "B2": "Prêt d'une semaine."}
    assert outcome.general_message == "Bonne lecture !"
    assert outcome.message == "B22 : Document réservé. B2 - Prêt d'une semaine. Bonne lecture !"


def test_renew_all_screen_messages_without_an_item_are_about_the_request() -> None:
    # No separator after the id, an id not among the unrenewed ones (A1 was renewed): general.
    outcome = mapping.renew_all(_66(("B2",), "B2x : autre", "A1 : prolongé", "Limite atteinte"))
    assert outcome.item_messages == ()
    assert outcome.general_message == "B2x : autre A1 : prolongé Limite atteinte"
    assert mapping.renew_all(_66(("B2",))).general_message is None


# ---- patron status flags -> blocks (yes and no for each flag)

_FLAG_BLOCKS = {
    "excessive_fines": (PatronBlock.FINES_OWED,),
    "excessive_fees": (PatronBlock.FINES_OWED,),
    "too_many_overdue": (PatronBlock.TOO_MANY_OVERDUES,),
    "charge_denied": (PatronBlock.ACCOUNT_SUSPENDED,),
    "renewal_denied": (PatronBlock.ACCOUNT_SUSPENDED,),
    "hold_denied": (PatronBlock.ACCOUNT_SUSPENDED,),
    "card_lost": (PatronBlock.ACCOUNT_SUSPENDED,),
    # Limits reached are not blocks of the account: the ILS refuses the one write it concerns.
    "recall_denied": (),
    "too_many_charged": (),
    "too_many_renewals": (),
    "too_many_claims_returned": (),
    "too_many_lost": (),
    "recall_overdue": (),
    "too_many_billed": (),
}


@pytest.mark.parametrize(("flag", "expected"), sorted(_FLAG_BLOCKS.items()))
def test_each_patron_status_flag_alone(flag: str, expected: tuple[PatronBlock, ...]) -> None:
    assert blocks(PatronStatusFlags(**{flag: True})) == expected


def test_good_standing_has_no_blocks() -> None:
    assert blocks(PatronStatusFlags()) == ()
    assert blocks(mapping.flags(" " * 14)) == () and blocks(mapping.flags("")) == ()


def test_denied_privileges_with_a_named_reason_are_that_reason_only() -> None:
    # An ACS denies charges *because* of the fines: FINES_OWED, not a suspension as well.
    fined = PatronStatusFlags(charge_denied=True, renewal_denied=True, hold_denied=True, excessive_fines=True)
    assert blocks(fined) == (PatronBlock.FINES_OWED,)
    both = PatronStatusFlags(excessive_fees=True, too_many_overdue=True)
    assert blocks(both) == (PatronBlock.FINES_OWED, PatronBlock.TOO_MANY_OVERDUES)
    # Positions as the spec numbers them: 11th fines, 7th overdue, 1st charge privileges denied.
    assert blocks(mapping.flags("Y" + " " * 13)) == (PatronBlock.ACCOUNT_SUSPENDED,)
    assert blocks(mapping.flags(" " * 6 + "Y" + " " * 7)) == (PatronBlock.TOO_MANY_OVERDUES,)
    assert blocks(mapping.flags(" " * 10 + "Y" + " " * 3)) == (PatronBlock.FINES_OWED,)
    assert blocks(mapping.flags("N" * 14)) == ()  # only "Y" means the condition holds


# ---- the 64 -> summary -> patron, counts and fees


def _64(**fields: object) -> m.PatronInformationResponse:
    base: dict[str, object] = {
        "patron_status": " " * 14,
        "language": "002",
        "transaction_date": NOW,
        "hold_items_count": 1,
        "overdue_items_count": 1,
        "charged_items_count": 7,
        "fine_items_count": 0,
        "recall_items_count": 0,
        "unavailable_holds_count": 2,
        "institution_id": "PARIS",
        "patron_identifier": "2900000001",
        "personal_name": "Camille Martin",
        "valid_patron": True,
    }
    return m.PatronInformationResponse(**(base | fields))  # type: ignore[arg-type]


def test_patron_of_the_64() -> None:
    summary = mapping.patron_summary(
        "2900000001", _64(email_address="camille.martin@example.org", home_phone_number="0102030405")
    )
    patron = patron_of(summary)
    assert (patron.id, patron.display_name, patron.email, patron.phone) == (
        "2900000001",
        "Camille Martin",
        "camille.martin@example.org",
        "0102030405",
    )
    # One personal name (AE): never split into a guessed first and last name.
    assert (patron.first_name, patron.last_name) == ("", "Camille Martin")
    assert patron.blocks == () and patron.mobile is None and patron.card_expires_on is None
    blocked = patron_of(mapping.patron_summary("2900000006", _64(patron_status=" " * 10 + "Y   ")))
    assert blocked.blocks == (PatronBlock.FINES_OWED,) and blocked.email is None


def test_counts_are_the_64s_and_blank_is_unknown_not_zero() -> None:
    summary = mapping.patron_summary("2900000001", _64())
    assert counts_of(summary) == AccountCounts(loans=7, overdue=1, holds=3)
    blank = mapping.patron_summary(
        "2900000001", _64(charged_items_count=None, overdue_items_count=0, unavailable_holds_count=None)
    )
    assert counts_of(blank) == AccountCounts(loans=None, overdue=0, holds=None)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12.50", 1250),
        ("12,5", 1250),
        ("0.00", 0),
        ("4", 400),
        ("€ 4.00", 400),
        ("-3.10", -310),
        ("", None),
        (None, None),
        ("n/a", None),
    ],
)
def test_fee_amount_bv_in_cents(text: str | None, cents: int | None) -> None:
    assert mapping.fee_cents(text) == cents


def test_fees_are_one_total_when_something_is_owed() -> None:
    owed = mapping.patron_summary(
        "2900000006", _64(patron_identifier="2900000006", fee_amount="12.50", currency_type="EUR")
    )
    assert fees_of(owed) == (Fee("2900000006:fees", 1250, "EUR", "total"),)
    assert fees_of(mapping.patron_summary("2900000001", _64(fee_amount="0.00"))) == ()
    assert fees_of(mapping.patron_summary("2900000001", _64())) == ()
    assert fees_of(mapping.patron_summary("2900000001", _64(fee_amount="-2.00"))) == ()  # a credit


@pytest.mark.parametrize(
    ("fields", "known"),
    [
        ({"fee_amount": "12.50", "currency_type": "EUR"}, True),
        ({"fee_amount": "0.00"}, True),  # nothing owed needs no currency
        ({"fee_amount": "-2.00"}, True),  # a credit: nothing owed
        ({}, False),  # no BV: the ILS does not say
        ({"fee_amount": "n/a", "currency_type": "EUR"}, False),  # unreadable
        ({"fee_amount": "12.50"}, False),  # owed, but in what currency (no BH)?
    ],
)
def test_whether_the_64_says_what_is_owed(fields: dict[str, str], known: bool) -> None:
    assert fees_known(mapping.patron_summary("2900000006", _64(**fields))) is known
