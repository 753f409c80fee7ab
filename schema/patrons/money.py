"""The Money GraphQL type and what a patron owes in total (`Patron.feesOwed`).

Owns the total of an account's fees, a pure function of the domain's `Account`: both
profiles can say it truthfully (SOAP lists fees one by one, each with its currency; a SIP2
64 gives one total, BV, and its currency, BH), so the contract gets the total, never
per-fee rows SIP2 cannot itemize. Never asks the ILS (the loaders do).
"""

from __future__ import annotations

import strawberry

from adapters.ils.models import Account


@strawberry.type(description="An amount of money.")
class Money:
    amount: str = strawberry.field(description='Decimal, two places, e.g. "12.50".')
    currency: str = strawberry.field(description='ISO 4217 code, e.g. "EUR".')

    @classmethod
    def of_cents(cls, cents: int, currency: str) -> Money:
        """`cents` of `currency` as a decimal amount ("-" first when negative)."""
        sign = "-" if cents < 0 else ""
        whole, part = divmod(abs(cents), 100)
        return cls(amount=f"{sign}{whole}.{part:02d}", currency=currency)


def fees_owed(account: Account) -> Money | None:
    """The account's fees in total; None when nothing is owed or it is not known (`fees_owed_known`)."""
    if not fees_owed_known(account):
        return None
    total = sum(fee.amount_cents for fee in account.fees)
    return Money.of_cents(total, account.fees[0].currency) if total > 0 else None


def fees_owed_known(account: Account) -> bool:
    """Whether the ILS said what the account owes in one currency (fees in several have no one total)."""
    currencies = {fee.currency for fee in account.fees}
    return account.fees_known and (not currencies or (len(currencies) == 1 and "" not in currencies))
