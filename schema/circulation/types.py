"""The circulation GraphQL types: Loan (with its renewability) and Hold (with cancellable).

Built from an account the viewer was allowed to see; the fields ask loaders for
items, records and libraries, and the portal rules for decisions.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from adapters.ils import models
from schema.catalogue.types import Item, Library, Record, require_library, require_record
from schema.circulation.enums import HoldStatus, LoanType, RenewalBlock
from schema.circulation.ids import encode_ref
from schema.circulation.rules import is_cancellable, is_overdue, renewability, renewals_left
from schema.context import Info
from schema.errors import NotFound
from schema.fields import described
from schema.selection import prefetch, selects

if TYPE_CHECKING:
    from schema.patrons.types import Patron

PatronRef = Annotated["Patron", strawberry.lazy("schema.patrons.types")]


async def load_patron(info: Info, patron_id: str) -> Patron:
    """The Patron type of an account already reached through an allowed path."""
    from schema.patrons.types import Patron  # a cycle by nature: a patron has loans, a loan has a patron

    account = await info.context.loaders.accounts.load(patron_id)
    if account is None:
        raise NotFound()
    return Patron(account=account)


async def require_item(info: Info, item_id: str) -> models.Item:
    """The item with this barcode; NOT_FOUND when the ILS does not know it."""
    item = await info.context.loaders.items.load(item_id)
    if item is None:
        raise NotFound()
    return item


async def renewal_decision(info: Info, loan: models.Loan, patron: models.Patron) -> tuple[RenewalBlock, ...]:
    """Every reason the portal rules give against renewing `loan` now (holds by others from its item)."""
    item = await info.context.loaders.items.load(loan.item_id)
    held_by_others = item is not None and item.hold_queue_length > 0
    decision = renewability(loan, patron, held_by_others, info.context.today)
    return tuple(RenewalBlock(reason.value) for reason in decision.reasons)


@strawberry.type
class Renewability:
    renewable: bool
    reasons: list[RenewalBlock]


@strawberry.type
class Loan:
    loan: strawberry.Private[models.Loan]
    owner: strawberry.Private[models.Patron]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_ref(self.loan.patron_id, self.loan.id))

    @strawberry.field
    async def patron(self, info: Info) -> PatronRef:
        return await load_patron(info, self.loan.patron_id)

    @strawberry.field
    async def item(self, info: Info) -> Item:
        if selects(info, "record"):
            # The loan knows its title: load it with the items rather than one level later.
            prefetch(info.context.loaders.titles.load(self.loan.title_id))
        return Item(item=await require_item(info, self.loan.item_id))

    @strawberry.field
    def loan_type(self) -> LoanType:
        return LoanType(self.loan.loan_type.value)

    @strawberry.field
    def checked_out_on(self) -> date | None:
        return self.loan.checked_out_on

    @strawberry.field
    def due_date(self) -> date:
        return self.loan.due_date

    @strawberry.field
    def is_overdue(self, info: Info) -> bool:
        return is_overdue(self.loan, info.context.today)

    @strawberry.field
    def renewal_count(self) -> int:
        return self.loan.renewal_count

    @described("2 minus renewalCount, never below 0.")
    def renewals_left(self) -> int:
        return renewals_left(self.loan)

    @described("Whether renewLoans would renew it now, and if not, every reason why not.")
    async def renewability(self, info: Info) -> Renewability:
        reasons = await renewal_decision(info, self.loan, self.owner)
        return Renewability(renewable=not reasons, reasons=list(reasons))


@strawberry.type
class Hold:
    hold: strawberry.Private[models.Hold]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_ref(self.hold.patron_id, self.hold.id))

    @strawberry.field
    async def patron(self, info: Info) -> PatronRef:
        return await load_patron(info, self.hold.patron_id)

    @strawberry.field
    async def record(self, info: Info) -> Record:
        return await require_record(info, self.hold.title_id)

    @described("The copy set aside, once there is one.")
    async def item(self, info: Info) -> Item | None:
        if self.hold.item_id is None:
            return None
        item = await info.context.loaders.items.load(self.hold.item_id)
        return None if item is None else Item(item=item)

    @strawberry.field
    async def pickup_library(self, info: Info) -> Library:
        return await require_library(info, self.hold.pickup_library_code)

    @strawberry.field
    def status(self) -> HoldStatus:
        return HoldStatus(self.hold.status.value)

    @described("Place in the queue while WAITING (1 = next).")
    def queue_position(self) -> int | None:
        return self.hold.queue_position

    @strawberry.field
    def placed_on(self) -> date | None:
        return self.hold.placed_on

    @described("Last day to collect it while AVAILABLE.")
    def pickup_deadline(self) -> date | None:
        return self.hold.pickup_deadline

    @strawberry.field
    def cancellable(self) -> bool:
        return is_cancellable(self.hold)
