"""Patron.feesOwed / feesOwedKnown: the total the ILS says is owed, as Money; null when nothing
is owed or the ILS does not say; behind the account's access rule; asked of the ILS only when
the field is selected (the dashboard's look-ups stay without fees)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pytest

from adapters.ils.models import Account, AccountParts, Fee
from schema.loaders import create_loaders
from schema.patrons.money import Money, fees_owed, fees_owed_known
from tests.contract_files import operation
from tests.fakes import FakeIls, demo_store
from tests.fakes_demo import CAMILLE, HUGO, LEO, NADIA
from tests.unit.schema_harness import STAFF, Harness, as_patron, codes

FEES = "query($id: ID!) { patron(id: $id) { id feesOwed { amount currency } feesOwedKnown } }"
NADIAS_FEES = (Fee("F1", 1000, "EUR", "Retards"), Fee("F2", 250, "EUR", "Carte perdue"))


class FakeFeesIls(FakeIls):
    """Nadia owes 12.50 EUR in two fees; every look-up's parts are recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[AccountParts] = []

    async def get_accounts(
        self, patron_ids: Sequence[str], parts: AccountParts = AccountParts()
    ) -> list[Account | None]:
        self.parts.append(parts)
        found = await super().get_accounts(patron_ids, parts)
        return [
            a
            if a is None or not parts.fees or a.patron.id != NADIA
            else dataclasses.replace(a, fees=NADIAS_FEES)
            for a in found
        ]


def _account(*fees: Fee, known: bool = True) -> Account:
    patron = FakeIls().patrons[NADIA]
    return Account(patron=patron, fees=fees, fees_known=known)


@pytest.mark.parametrize(
    ("cents", "amount"), [(1250, "12.50"), (5, "0.05"), (100000, "1000.00"), (-310, "-3.10"), (0, "0.00")]
)
def test_money_is_a_two_place_decimal(cents: int, amount: str) -> None:
    assert Money.of_cents(cents, "EUR") == Money(amount=amount, currency="EUR")


def test_the_fees_owed_are_their_total_in_their_currency() -> None:
    account = _account(*NADIAS_FEES)
    assert fees_owed(account) == Money(amount="12.50", currency="EUR") and fees_owed_known(account)


@pytest.mark.parametrize(
    ("account", "known"),
    [
        pytest.param(_account(), True, id="nothing owed"),
        pytest.param(
            _account(Fee("F1", 300, "EUR", "x"), Fee("F2", -300, "EUR", "avoir")), True, id="paid off"
        ),
        pytest.param(_account(known=False), False, id="the ILS does not say (SIP2 64 without BV)"),
        pytest.param(_account(Fee("F1", 300, "", "x")), False, id="no currency"),
        pytest.param(
            _account(Fee("F1", 300, "EUR", "x"), Fee("F2", 100, "CHF", "y")), False, id="two currencies"
        ),
    ],
)
def test_no_money_when_nothing_is_owed_or_it_is_not_known(account: Account, known: bool) -> None:
    assert fees_owed(account) is None
    assert fees_owed_known(account) is known


async def test_a_patron_reads_their_fees_in_the_same_single_account_look_up() -> None:
    harness = Harness(ils=FakeFeesIls())
    data = await harness.data(
        "{ me { feesOwed { amount currency } feesOwedKnown loans { id } } }", viewer=as_patron(NADIA)
    )
    assert data["me"]["feesOwed"] == {"amount": "12.50", "currency": "EUR"} and data["me"]["feesOwedKnown"]
    assert harness.ils.parts == [AccountParts(loans=True, holds=True, fees=True)]  # one call, fees included


async def test_an_account_without_fees_gives_null_and_known() -> None:
    data = await Harness(ils=FakeFeesIls()).data(FEES, {"id": CAMILLE}, viewer=STAFF)
    assert data["patron"] == {"id": CAMILLE, "feesOwed": None, "feesOwedKnown": True}


async def test_the_dashboard_does_not_ask_the_ils_for_fees() -> None:
    harness = Harness(ils=FakeFeesIls())
    await harness.data(operation("dashboard"), viewer=as_patron(CAMILLE))
    assert harness.ils.parts and not any(parts.fees for parts in harness.ils.parts)


async def test_share_owners_fees_come_with_their_accounts_batch() -> None:
    harness = Harness(ils=FakeFeesIls())
    document = "{ me { id sharedAccounts { owner { id feesOwedKnown } } } }"
    data = await harness.data(document, viewer=as_patron(CAMILLE))
    assert data["me"]["sharedAccounts"] == [{"owner": {"id": LEO, "feesOwedKnown": True}}]
    # Camille's and Léo's accounts in one batch, with their fees.
    assert harness.ils.parts == [AccountParts(loans=True, holds=True, fees=True)]
    assert harness.ils.batches["get_accounts"] == [[CAMILLE, LEO]]


async def test_an_accepted_share_shows_the_fees_like_the_loans() -> None:
    data = await Harness(ils=FakeFeesIls()).data(FEES, {"id": LEO}, viewer=as_patron(CAMILLE))
    assert data["patron"]["feesOwedKnown"] is True


@pytest.mark.parametrize("field", ["feesOwed { amount }", "feesOwedKnown"])
async def test_no_right_to_the_account_no_fees(field: str) -> None:
    harness = Harness(ils=FakeFeesIls())
    result = await harness.run(
        f"query($id: ID!) {{ patron(id: $id) {{ {field} }} }}", {"id": NADIA}, viewer=as_patron(HUGO)
    )
    assert codes(result) == ["FORBIDDEN"] and result.data == {"patron": None}
    assert harness.ils.parts == []  # refused before any ILS call


async def test_a_patron_reached_without_fees_loads_them_when_asked() -> None:
    """A Patron built from an account loaded without fees (a loan's patron, a mutation's payload)."""
    harness = Harness(ils=FakeFeesIls())
    data = await harness.data("{ me { loans { patron { feesOwed { amount } } } } }", viewer=as_patron(NADIA))
    assert data["me"]["loans"] == [{"patron": {"feesOwed": {"amount": "12.50"}}}]
    assert [parts.fees for parts in harness.ils.parts] == [False, True]


async def test_clearing_an_account_after_a_write_clears_its_copy_with_fees() -> None:
    ils = FakeFeesIls()
    loaders = create_loaders(ils, demo_store())
    first = await loaders.accounts_with_fees.load(NADIA)
    assert await loaders.accounts.load(NADIA) is first  # the copy with fees answers both
    loaders.accounts.clear(NADIA)  # what a mutation does to the account it changed
    assert await loaders.accounts_with_fees.load(NADIA) is not first
    assert [parts.fees for parts in ils.parts] == [True, True]
