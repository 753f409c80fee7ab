"""The circulation GraphQL types: Loan (with its renewability) and Hold (with cancellable).

Built from an account the viewer was allowed to see; the fields ask loaders for
items, records and libraries, and the portal rules for decisions.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import TYPE_CHECKING, Annotated, cast

import strawberry

from adapters.ils import models
from schema.catalogue.types import Item, Library, Record, require_library, require_record
from schema.circulation.enums import HoldStatus, LoanType, RenewalBlock
from schema.circulation.ids import encode_ref
from schema.circulation.rules import is_cancellable, is_overdue, renewability, renewals_left
from schema.context import Info
from schema.errors import NotFound
from schema.known import HoldKnown, LoanKnown
from schema.ready import when_ready
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


def item_found(item: models.Item | None, known: LoanKnown = LoanKnown()) -> Item:
    """The Item type of a loaded item; NOT_FOUND when the ILS did not know it."""
    if item is None:
        raise NotFound()
    return Item.of(item, record_known=known.record, library_known=known.library)


def decide_renewal(
    loan: models.Loan, patron: models.Patron, item: models.Item | None, today: date
) -> tuple[RenewalBlock, ...]:
    """Every reason the portal rules give against renewing `loan` (holds by others from its item)."""
    held_by_others = item is not None and item.hold_queue_length > 0
    decision = renewability(loan, patron, held_by_others, today)
    return tuple(RenewalBlock(reason.value) for reason in decision.reasons)


async def renewal_decision(info: Info, loan: models.Loan, patron: models.Patron) -> tuple[RenewalBlock, ...]:
    """`decide_renewal` with the loan's item from the loader."""
    item = await info.context.loaders.items.load(loan.item_id)
    return decide_renewal(loan, patron, item, info.context.today)


@strawberry.type
class Renewability:
    renewable: bool
    reasons: list[RenewalBlock]


def _loan_patron(root: Loan, info: Info) -> Awaitable[Patron]:
    return load_patron(info, root.loan.patron_id)


def _loan_item(root: Loan, info: Info) -> Item:
    known = root.known
    if known.item:
        return Item.known(root.loan.item_id, root.loan.title_id)
    item = info.context.loaders.items.load(root.loan.item_id)
    if not item.done() and not known.record and selects(info, "record"):
        # Not prefetched with an account (e.g. a mutation's payload): the loan knows its
        # title, so load it with the item rather than one level later.
        prefetch(info.context.loaders.titles.load(root.loan.title_id))
    return when_ready(item, lambda found: item_found(found, known))


def _loan_renewability(root: Loan, info: Info) -> Renewability:
    def decide(item: models.Item | None) -> Renewability:
        reasons = decide_renewal(root.loan, root.owner, item, info.context.today)
        return Renewability(renewable=not reasons, reasons=list(reasons))

    return when_ready(info.context.loaders.items.load(root.loan.item_id), decide)


@strawberry.type
class Loan:
    # Values are plain attributes (computed by `of`), not resolvers: Strawberry resolves them
    # without per-field overhead; only the fields that load something have resolvers.
    loan: strawberry.Private[models.Loan]
    owner: strawberry.Private[models.Patron]
    # What the selection asks that the loan itself answers (schema/known.py).
    known: strawberry.Private[LoanKnown]
    id: strawberry.ID
    patron: PatronRef = strawberry.field(resolver=_loan_patron)
    item: Item = strawberry.field(resolver=_loan_item)
    loan_type: LoanType
    checked_out_on: date | None
    due_date: date
    is_overdue: bool
    renewal_count: int
    renewals_left: int = strawberry.field(description="2 minus renewalCount, never below 0.")
    renewal_count_known: bool = strawberry.field(
        description=(
            "False when the library system does not tell renewals (SIP2-only): renewalCount is then 0,"
            " renewalsLeft the portal's maximum, and the library system decides at renewal."
        )
    )
    renewability: Renewability = strawberry.field(
        resolver=_loan_renewability,
        description="Whether renewLoans would renew it now, and if not, every reason why not.",
    )

    @classmethod
    def of(cls, loan: models.Loan, owner: models.Patron, today: date, known: LoanKnown = LoanKnown()) -> Loan:
        return cls(
            loan=loan,
            owner=owner,
            known=known,
            id=strawberry.ID(encode_ref(loan.patron_id, loan.id)),
            loan_type=LoanType(loan.loan_type.value),
            checked_out_on=loan.checked_out_on,
            due_date=loan.due_date,
            is_overdue=is_overdue(loan, today),
            renewal_count=loan.renewal_count or 0,
            renewals_left=renewals_left(loan),
            renewal_count_known=loan.renewal_count is not None,
        )


def _hold_patron(root: Hold, info: Info) -> Awaitable[Patron]:
    return load_patron(info, root.hold.patron_id)


def _hold_record(root: Hold, info: Info) -> Record:
    if root.known.record:
        return Record.known(root.hold.title_id)
    return require_record(info, root.hold.title_id)


def _hold_item(root: Hold, info: Info) -> Item | None:
    item_id = root.hold.item_id
    if item_id is None:
        return None
    if root.known.item:
        return Item.known(item_id, root.hold.title_id)
    # An awaitable typed as the field's type: graphql-core awaits it (see schema/ready.py).
    return cast("Item | None", _load_hold_item(info, item_id))


async def _load_hold_item(info: Info, item_id: str) -> Item | None:
    item = await info.context.loaders.items.load(item_id)
    return None if item is None else Item.of(item)


def _hold_pickup_library(root: Hold, info: Info) -> Library:
    code = root.hold.pickup_library_code
    if root.known.pickup_library:
        return Library.known(code)
    return require_library(info, code)


@strawberry.type
class Hold:
    # Plain attributes computed by `of`, as for Loan.
    hold: strawberry.Private[models.Hold]
    known: strawberry.Private[HoldKnown]
    id: strawberry.ID
    patron: PatronRef = strawberry.field(resolver=_hold_patron)
    record: Record = strawberry.field(resolver=_hold_record)
    item: Item | None = strawberry.field(
        resolver=_hold_item, description="The copy set aside, once there is one."
    )
    pickup_library: Library = strawberry.field(resolver=_hold_pickup_library)
    pickup_library_known: bool = strawberry.field(
        description=(
            "False when the library system does not say where the hold waits (SIP2-only):"
            " pickupLibrary is then the institution as a whole."
        )
    )
    status: HoldStatus
    queue_position: int | None = strawberry.field(description="Place in the queue while WAITING (1 = next).")
    placed_on: date | None
    pickup_deadline: date | None = strawberry.field(description="Last day to collect it while AVAILABLE.")
    cancellable: bool

    @classmethod
    def of(cls, hold: models.Hold, known: HoldKnown = HoldKnown()) -> Hold:
        return cls(
            hold=hold,
            known=known,
            id=strawberry.ID(encode_ref(hold.patron_id, hold.id)),
            status=HoldStatus(hold.status.value),
            queue_position=hold.queue_position,
            placed_on=hold.placed_on,
            pickup_deadline=hold.pickup_deadline,
            cancellable=is_cancellable(hold),
            pickup_library_known=hold.pickup_library_known,
        )
