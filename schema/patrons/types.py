"""The Patron GraphQL type (a federation entity keyed by card number) and its enums.

Every field but `id` checks the viewer (schema/patrons/permissions.py): an
accepted share shows name, blocks, loans, holds and fees owed; contact details, card and
shares are for the patron and staff. `resolve_reference` applies the same
check as `Query.patron`, so federation is no way around it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar, cast

import strawberry

from adapters.ils import models
from schema.catalogue.types import Library, load_library
from schema.circulation.rules import is_overdue
from schema.circulation.types import Hold, Loan
from schema.context import Info
from schema.downloads.summary_export import summary_download
from schema.downloads.types import Download, SummaryContent, SummaryFormat
from schema.errors import Forbidden
from schema.fields import described
from schema.known import LIBRARY_BY_CODE, within
from schema.patrons.money import Money, fees_owed, fees_owed_known
from schema.patrons.permissions import Capability, known_access, require_access
from schema.patrons.prefetch import load_account_for, settle_holds, settle_loans
from schema.portal.patron_fields import PortalFields
from schema.selection import own_selection

if TYPE_CHECKING:
    from schema.sharing.types import SharedAccount, ShareRequest

R = TypeVar("R")

SharedAccountRef = Annotated["SharedAccount", strawberry.lazy("schema.sharing.types")]
ShareRequestRef = Annotated["ShareRequest", strawberry.lazy("schema.sharing.types")]


@strawberry.enum
class PatronBlock(Enum):
    CARD_EXPIRED = "CARD_EXPIRED"
    FINES_OWED = "FINES_OWED"
    ACCOUNT_SUSPENDED = "ACCOUNT_SUSPENDED"
    TOO_MANY_OVERDUES = "TOO_MANY_OVERDUES"


@strawberry.enum
class LoanFilter(Enum):
    ALL = "ALL"
    PHYSICAL = "PHYSICAL"
    DIGITAL = "DIGITAL"
    OVERDUE = "OVERDUE"


def filter_loans(loans: tuple[models.Loan, ...], which: LoanFilter, today: date) -> list[models.Loan]:
    """The loans a LoanFilter keeps, in the ILS's order."""
    return [loan for loan in loans if _kept(loan, which, today)]


def _kept(loan: models.Loan, which: LoanFilter, today: date) -> bool:
    digital = loan.loan_type is models.LoanType.DIGITAL
    if which is LoanFilter.PHYSICAL:
        return not digital
    if which is LoanFilter.DIGITAL:
        return digital
    if which is LoanFilter.OVERDUE:
        return is_overdue(loan, today)
    return True


async def load_visible_patron(info: Info, patron_id: str) -> Patron | None:
    """The patron if the viewer may see it (FORBIDDEN otherwise, before any ILS call); None if unknown."""
    await require_access(info, patron_id, Capability.VIEW_CIRCULATION)
    account = await load_account_for(info, patron_id)
    return None if account is None else Patron(account=account)


@strawberry.federation.type(keys=["id"])
class Patron(PortalFields):
    account: strawberry.Private[models.Account]

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Patron | None:
        """Federation entity reference: the same authorization as Query.patron."""
        return await load_visible_patron(info, str(id))

    async def _allowed(self, info: Info, capability: Capability) -> models.Patron:
        await require_access(info, self.account.patron.id, capability)
        return self.account.patron

    def _answer(self, info: Info, capability: Capability, build: Callable[[models.Patron], R]) -> R:
        """`build(patron)` now when the viewer's access is already decided (FORBIDDEN raised now),
        else an awaitable of it (graphql-core awaits it; see schema/ready.py).

        The decision is made once per request (the viewer's shares are read once), so the
        plain fields below are sync resolvers: no coroutine per field.
        """
        allowed = known_access(info, self.account.patron.id, capability)
        if allowed is None:
            return cast(R, self._answer_later(info, capability, build))
        if not allowed:
            raise Forbidden()
        return build(self.account.patron)

    async def _answer_later(
        self, info: Info, capability: Capability, build: Callable[[models.Patron], R]
    ) -> R:
        return build(await self._allowed(info, capability))

    @described("Library card number.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.account.patron.id)

    @strawberry.field
    def first_name(self, info: Info) -> str:
        return self._answer(info, Capability.VIEW_CIRCULATION, lambda patron: patron.first_name)

    @strawberry.field
    def last_name(self, info: Info) -> str:
        return self._answer(info, Capability.VIEW_CIRCULATION, lambda patron: patron.last_name)

    @strawberry.field
    def display_name(self, info: Info) -> str:
        return self._answer(info, Capability.VIEW_CIRCULATION, lambda patron: patron.display_name)

    @strawberry.field
    def email(self, info: Info) -> str | None:
        return self._answer(info, Capability.VIEW_PERSONAL, lambda patron: patron.email)

    @strawberry.field
    def phone(self, info: Info) -> str | None:
        return self._answer(info, Capability.VIEW_PERSONAL, lambda patron: patron.phone)

    @strawberry.field
    def mobile(self, info: Info) -> str | None:
        return self._answer(info, Capability.VIEW_PERSONAL, lambda patron: patron.mobile)

    @strawberry.field
    async def home_library(self, info: Info) -> Library | None:
        code = (await self._allowed(info, Capability.VIEW_CIRCULATION)).home_library_code
        if code is None:
            return None
        if within(own_selection(info), LIBRARY_BY_CODE):
            return Library.known(code)  # the patron carries the code: no look-up
        return await load_library(info, code)

    @strawberry.field
    def card_expires_on(self, info: Info) -> date | None:
        return self._answer(info, Capability.VIEW_PERSONAL, lambda patron: patron.card_expires_on)

    @described("Why the account may not borrow, renew or reserve; empty when in good standing.")
    def blocks(self, info: Info) -> list[PatronBlock]:
        return self._answer(
            info,
            Capability.VIEW_CIRCULATION,
            lambda patron: [PatronBlock(block.value) for block in patron.blocks],
        )

    @strawberry.field
    async def loans(self, info: Info, filter: LoanFilter | None = LoanFilter.ALL) -> list[Loan]:
        patron = await self._allowed(info, Capability.VIEW_CIRCULATION)
        kept = filter_loans(self.account.loans, filter or LoanFilter.ALL, info.context.today)
        known = await settle_loans(info, kept)
        return [Loan.of(loan, patron, info.context.today, known) for loan in kept]

    @strawberry.field
    async def holds(self, info: Info) -> list[Hold]:
        await self._allowed(info, Capability.VIEW_CIRCULATION)
        known = await settle_holds(info, self.account.holds)
        return [Hold.of(hold, known) for hold in self.account.holds]

    # The ILS's own counts when it gives them (SIP2 64: a loan it lists but cannot describe
    # still counts), else the lists counted.

    @strawberry.field
    def loan_count(self, info: Info) -> int:
        counted = self._counted("loans")
        return self._answer(
            info,
            Capability.VIEW_CIRCULATION,
            lambda _: len(self.account.loans) if counted is None else counted,
        )

    @strawberry.field
    def overdue_count(self, info: Info) -> int:
        counted = self._counted("overdue")
        return self._answer(
            info,
            Capability.VIEW_CIRCULATION,
            lambda _: (
                len(filter_loans(self.account.loans, LoanFilter.OVERDUE, info.context.today))
                if counted is None
                else counted
            ),
        )

    @strawberry.field
    def hold_count(self, info: Info) -> int:
        counted = self._counted("holds")
        return self._answer(
            info,
            Capability.VIEW_CIRCULATION,
            lambda _: len(self.account.holds) if counted is None else counted,
        )

    def _counted(self, what: Literal["loans", "overdue", "holds"]) -> int | None:
        counts = self.account.counts
        return None if counts is None else getattr(counts, what)

    @described(
        "What the patron owes in fines and fees, in total, as the library system says it; null when\n"
        "nothing is owed or the library system does not say (feesOwedKnown is then false): a SIP2-only\n"
        "library system gives one total (its BV and BH) or none, never the fees one by one."
    )
    async def fees_owed(self, info: Info) -> Money | None:
        return fees_owed(await self._fees(info))

    @described(
        "False when the library system does not say what the patron owes (feesOwed is then null):\n"
        "a SIP2-only one that sends no amount or no currency, or fees in several currencies."
    )
    async def fees_owed_known(self, info: Info) -> bool:
        return fees_owed_known(await self._fees(info))

    async def _fees(self, info: Info) -> models.Account:
        """The account with its fees (already loaded with them when the selection asked: see prefetch)."""
        await self._allowed(info, Capability.VIEW_CIRCULATION)
        account = await info.context.loaders.accounts_with_fees.load(self.account.patron.id)
        return replace(self.account, fees_known=False) if account is None else account

    @described("Accounts this patron may see (accepted shares) and the requests it sent.")
    async def shared_accounts(self, info: Info) -> list[SharedAccountRef]:
        from schema.sharing.types import shared_accounts_seen_by  # sharing builds on patrons

        patron = await self._allowed(info, Capability.VIEW_PERSONAL)
        return await shared_accounts_seen_by(info, patron.id)

    @described("Who may see this account (accepted shares).")
    async def shared_with(self, info: Info) -> list[SharedAccountRef]:
        from schema.sharing.types import shared_with

        patron = await self._allowed(info, Capability.VIEW_PERSONAL)
        return await shared_with(info, patron.id)

    @described("Requests from other patrons to see this account, awaiting an answer.")
    async def incoming_share_requests(self, info: Info) -> list[ShareRequestRef]:
        from schema.sharing.types import requests_to

        patron = await self._allowed(info, Capability.VIEW_PERSONAL)
        return await requests_to(info, patron.id, pending_only=True)

    @described(
        "Every request to see this account, answered or not, newest first, with its history\n"
        "(what a share that ended leaves behind)."
    )
    async def received_share_requests(self, info: Info) -> list[ShareRequestRef]:
        from schema.sharing.types import requests_to

        patron = await self._allowed(info, Capability.VIEW_PERSONAL)
        return await requests_to(info, patron.id, pending_only=False)

    @described("The requests this patron sent to see other accounts, newest first, with their history.")
    async def sent_share_requests(self, info: Info) -> list[ShareRequestRef]:
        from schema.sharing.types import requests_from

        patron = await self._allowed(info, Capability.VIEW_PERSONAL)
        return await requests_from(info, patron.id)

    @described(
        "A compact download of loans and holds: this account and, when listed in\n"
        "`accountIds`, accounts shared with it."
    )
    async def account_summary(
        self,
        info: Info,
        format: SummaryFormat,
        content: SummaryContent | None = SummaryContent.LOANS_AND_HOLDS,
        account_ids: list[strawberry.ID] | None = strawberry.UNSET,
    ) -> Download:
        return await summary_download(info, self.account.patron.id, format, content, account_ids)
