"""The state behind FakeIls: the ILS's records in dictionaries, builders, and the look-ups over them.

Knows nothing of the port or of failures; FakeIls adds those. The builders are
what the demo seed and the tests use to add titles, copies, loans and holds.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from datetime import date, timedelta

from adapters.errors import IlsNotFound
from adapters.ils.models import (
    Account,
    AccountParts,
    DocumentType,
    Hold,
    HoldStatus,
    Item,
    ItemStatus,
    Library,
    Loan,
    LoanType,
    Patron,
    SearchQuery,
    Title,
)

RENEWAL_PERIOD = timedelta(days=28)


class IlsData:
    """Libraries, patrons, titles, items, loans and holds of a fake ILS."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.libraries: dict[str, Library] = {}
        self.patrons: dict[str, Patron] = {}
        self.titles: dict[str, Title] = {}
        self.items: dict[str, Item] = {}
        self.loans: dict[str, Loan] = {}
        self.holds: dict[str, Hold] = {}
        self._ids = itertools.count(1)

    # ---- builders (used by the demo seed and by tests)

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):05d}"

    def add_title(
        self, title: str, authors: Sequence[str] = (), kind: DocumentType = DocumentType.BOOK
    ) -> Title:
        digital = kind in (DocumentType.EBOOK, DocumentType.AUDIOBOOK)
        record = Title(self.next_id("T"), title, tuple(authors), 2020, kind, None, None, digital)
        self.titles[record.id] = record
        return record

    def add_item(
        self, title: Title, library: str, status: ItemStatus = ItemStatus.AVAILABLE, due: date | None = None
    ) -> Item:
        item = Item(self.next_id("I"), title.id, library, f"CN {title.title[:3]}", status, due, 0)
        self.items[item.id] = item
        self.titles[title.id] = dataclasses.replace(
            title, item_ids=(*self._title(title.id).item_ids, item.id)
        )
        return item

    def add_loan(
        self,
        patron_id: str,
        title: Title,
        *,
        due_in: int,
        renewals: int = 0,
        kind: LoanType = LoanType.STANDARD,
    ) -> Loan:
        library = "NUMERIQUE" if kind is LoanType.DIGITAL else "DURAS"
        due = self.today + timedelta(days=due_in)
        item = self.add_item(title, library, ItemStatus.CHECKED_OUT, due)
        loan = Loan(
            self.next_id("L"),
            patron_id,
            item.id,
            title.id,
            kind,
            self.today - timedelta(days=20),
            due,
            renewals,
            due < self.today,
        )
        self.loans[loan.id] = loan
        return loan

    def add_hold(
        self,
        patron_id: str,
        title: Title,
        pickup: str,
        status: HoldStatus = HoldStatus.WAITING,
        *,
        deadline_in: int | None = None,
    ) -> Hold:
        queue = sum(1 for hold in self.holds.values() if hold.title_id == title.id) + 1
        item_id = None
        if status is HoldStatus.AVAILABLE:
            item_id = self.add_item(title, pickup, ItemStatus.ON_HOLD_SHELF).id
        deadline = None if deadline_in is None else self.today + timedelta(days=deadline_in)
        waiting = status is HoldStatus.WAITING
        hold = Hold(
            self.next_id("H"),
            patron_id,
            title.id,
            item_id,
            status,
            pickup,
            self.today - timedelta(days=3),
            deadline,
            queue if waiting else None,
            queue if waiting else None,
        )
        self.holds[hold.id] = hold
        return hold

    def _patron(self, patron_id: str) -> Patron:
        if patron_id not in self.patrons:
            raise IlsNotFound("PATRON_NOT_FOUND", patron_id)
        return self.patrons[patron_id]

    def _title(self, title_id: str) -> Title:
        if title_id not in self.titles:
            raise IlsNotFound("TITLE_NOT_FOUND", title_id)
        return self.titles[title_id]

    def _item(self, item_id: str) -> Item:
        if item_id not in self.items:
            raise IlsNotFound("ITEM_NOT_FOUND", item_id)
        return self.items[item_id]

    def _item_with_queue(self, item_id: str) -> Item:
        item = self.items[item_id]
        queue = sum(1 for hold in self.holds.values() if hold.title_id == item.title_id)
        return dataclasses.replace(item, hold_queue_length=queue)

    def _loans_of(self, patron_id: str) -> list[Loan]:
        return [loan for loan in self.loans.values() if loan.patron_id == patron_id]

    def _holds_of(self, patron_id: str) -> list[Hold]:
        return [hold for hold in self.holds.values() if hold.patron_id == patron_id]

    def _account(self, patron_id: str, parts: AccountParts) -> Account | None:
        patron = self.patrons.get(patron_id)
        if patron is None:
            return None
        loans = tuple(self._loans_of(patron_id)) if parts.loans else ()
        holds = tuple(self._holds_of(patron_id)) if parts.holds else ()
        return Account(patron, loans, holds)

    def _renewable(self, loan: Loan) -> bool:
        held = any(hold.title_id == loan.title_id for hold in self.holds.values())
        return (
            loan.renewal_count < 2
            and loan.loan_type is LoanType.STANDARD
            and loan.due_date >= self.today
            and not held
            and not self.patrons[loan.patron_id].blocks
        )

    def _matches(self, title: Title, query: SearchQuery) -> bool:
        text = query.text.casefold()
        if text not in title.title.casefold() and not any(text in a.casefold() for a in title.authors):
            return False
        if query.document_types and title.document_type not in query.document_types:
            return False
        if query.sources and ("DIGITAL" if title.is_digital else "PHYSICAL") not in query.sources:
            return False
        libraries = {self.items[i].library_code for i in title.item_ids}
        return not query.library_codes or bool(libraries & set(query.library_codes))
