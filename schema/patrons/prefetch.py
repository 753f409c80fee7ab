"""Loading a Patron's account together with everything its selection will need, as early as possible.

Owns the dashboard's critical path. `load_account_for`: the accounts of the patron
and of the share owners its selection reaches go out in ONE accounts batch, and as
soon as they arrive the items, records and library list their loans and holds will
show are requested in the same tick (one batch per kind); without it each waits for
the field that needs it, a level of ILS round trips later. `settle_loans` /
`settle_holds`: a list field waits once for that data, so its entries' fields answer
synchronously (schema/ready.py). Loads only what the selection asks for; never
authorizes (callers do) and never prefetches owners of shares the viewer may not list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from strawberry.types.nodes import Selection

from adapters.ils.models import Account, Hold, Loan
from schema.access import active_shares
from schema.context import Info
from schema.known import LIBRARY_BY_CODE, HoldKnown, LoanKnown, within
from schema.loaders import Loaders
from schema.patrons.permissions import Capability, may_access
from schema.ready import settle
from schema.selection import asks, descend, own_selection, prefetch

# Where a Patron's selection reaches the shared accounts' owners.
OWNERS = ("sharedAccounts", "owner")
# The fields of a Patron that read its account's fees.
FEES = ("feesOwed", "feesOwedKnown")


@dataclass(frozen=True, slots=True)
class AccountNeeds:
    """Which ILS data the fields selected on one Patron will ask for."""

    loan_items: bool = False
    loan_titles: bool = False
    hold_items: bool = False
    hold_titles: bool = False
    libraries: bool = False

    @classmethod
    def of(cls, patron: Sequence[Selection]) -> AccountNeeds:
        """Read from the sub-selection of a field of type Patron; what the account itself
        answers (schema/known.py) needs nothing."""
        loans, holds = descend(patron, "loans"), descend(patron, "holds")
        loan, hold = LoanKnown.of(loans), HoldKnown.of(holds)
        return cls(
            loan_items=_loan_items(loans, loan),
            loan_titles=_loan_titles(loans, loan),
            hold_items=asks(holds, "item") and not hold.item,
            hold_titles=asks(holds, "record") and not hold.record,
            libraries=not within(descend(patron, "homeLibrary"), LIBRARY_BY_CODE)
            or (asks(loans, "item", "library") and not (loan.item or loan.library))
            or (asks(holds, "pickupLibrary") and not hold.pickup_library)
            or asks(holds, "item", "library"),
        )


def _loan_items(loans: Sequence[Selection], known: LoanKnown) -> bool:
    # A loan's renewability reads its item's hold queue.
    return asks(loans, "renewability") or (asks(loans, "item") and not known.item)


def _loan_titles(loans: Sequence[Selection], known: LoanKnown) -> bool:
    return asks(loans, "item", "record") and not (known.item or known.record)


def prefetch_account(loaders: Loaders, account: Account, needs: AccountNeeds) -> None:
    """Ask the loaders now for what `needs` says the account's fields will load (never awaits)."""
    item_ids = [loan.item_id for loan in account.loans] if needs.loan_items else []
    title_ids = [loan.title_id for loan in account.loans] if needs.loan_titles else []
    if needs.hold_items:
        item_ids += [hold.item_id for hold in account.holds if hold.item_id is not None]
    if needs.hold_titles:
        title_ids += [hold.title_id for hold in account.holds]
    if item_ids:
        prefetch(loaders.items.load_many(item_ids))
    if title_ids:
        prefetch(loaders.titles.load_many(title_ids))
    if needs.libraries:
        # The library list is one call whatever the codes: start it with the other batches.
        prefetch(asyncio.ensure_future(loaders.library_directory.all()))


async def load_account_for(info: Info, patron_id: str) -> Account | None:
    """The account of `patron_id` (already authorized), with what the current field's selection needs."""
    selection = own_selection(info)
    owners = await _share_owners(info, patron_id, selection)
    loaders = info.context.loaders
    # Fees are asked of the ILS only for a selection that shows them, and then for the whole
    # batch: one look-up, not one with fees and one without.
    fees = _asks_fees(selection) or _asks_fees(descend(selection, *OWNERS))
    loader = loaders.accounts_with_fees if fees else loaders.accounts
    accounts = await loader.load_many([patron_id, *owners])
    account, owned = accounts[0], accounts[1:]
    if account is not None:
        prefetch_account(loaders, account, AccountNeeds.of(selection))
    owner_needs = AccountNeeds.of(descend(selection, *OWNERS))
    for shared in owned:
        if shared is not None:
            prefetch_account(loaders, shared, owner_needs)
    return account


def _asks_fees(patron: Sequence[Selection]) -> bool:
    return any(asks(patron, name) for name in FEES)


async def _share_owners(info: Info, patron_id: str, selection: Sequence[Selection]) -> list[str]:
    """Owners of the shares `patron_id` sees, when the selection reaches them and the viewer may list them."""
    if not descend(selection, *OWNERS) or not await may_access(info, patron_id, Capability.VIEW_PERSONAL):
        return []
    shares = active_shares(await info.context.loaders.shares.seen_by(patron_id), info.context.now)
    return [share.owner_id for share in shares if share.owner_id != patron_id]


async def settle_loans(info: Info, loans: Sequence[Loan]) -> LoanKnown:
    """Wait for the items, records and libraries the loans' selection shows (see schema/ready.py);
    what the loans themselves answer is not loaded."""
    selection, loaders = own_selection(info), info.context.loaders
    # The same needs as AccountNeeds.of, seen from the loans field.
    known = LoanKnown.of(selection)
    need_items = _loan_items(selection, known)
    items = loaders.items.load_many([loan.item_id for loan in loans] if need_items else [])
    need_titles = _loan_titles(selection, known)
    titles = loaders.titles.load_many([loan.title_id for loan in loans] if need_titles else [])
    await settle([items, titles])
    need_libraries = asks(selection, "item", "library") and not (known.item or known.library)
    if need_libraries and items.exception() is None:
        codes = [item.library_code for item in items.result() if item is not None]
        await settle([loaders.libraries.load_many(codes)])
    return known


async def settle_holds(info: Info, holds: Sequence[Hold]) -> HoldKnown:
    """Wait for the records, copies and pickup libraries the holds' selection shows (see schema/ready.py);
    what the holds themselves answer is not loaded."""
    selection, loaders = own_selection(info), info.context.loaders
    known = HoldKnown.of(selection)
    waits: list[asyncio.Future[Any]] = []
    if asks(selection, "record") and not known.record:
        waits.append(loaders.titles.load_many([hold.title_id for hold in holds]))
    if asks(selection, "pickupLibrary") and not known.pickup_library:
        codes = [hold.pickup_library_code for hold in holds if hold.pickup_library_code is not None]
        waits.append(loaders.libraries.load_many(codes))
    if asks(selection, "item") and not known.item:
        waits.append(loaders.items.load_many([hold.item_id for hold in holds if hold.item_id is not None]))
    await settle(waits)
    return known
