"""zeep answers of the ILS's SOAP service -> domain dataclasses (adapters/ils/models.py).

Owns the element-name-to-field mapping of every record in the WSDL (Patron,
Checkout, Hold, Fee, Account, Item, Title, Library). zeep values arrive untyped;
anything that does not fit the domain (an unknown enum value, a missing id)
raises PeerProtocolError, never a bare KeyError or ValueError. No I/O here.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from adapters.errors import PeerProtocolError
from adapters.ils.models import (
    Account,
    AccountParts,
    DocumentType,
    Fee,
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

E = TypeVar("E", bound=StrEnum)


def as_list(value: Any) -> list[Any]:
    """zeep gives a list for repeated elements, the value for one, None for none."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _required(value: Any, name: str) -> str:
    text = _text(value)
    if text is None:
        raise PeerProtocolError(f"soap: {name} missing in answer")
    return text


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise PeerProtocolError("soap: not a date")


def _int(value: Any, default: int | None = None) -> int | None:
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise PeerProtocolError("soap: not an integer") from error


def _enum(kind: type[E], value: Any) -> E:
    try:
        return kind(str(value))
    except ValueError as error:
        raise PeerProtocolError(f"soap: unexpected {kind.__name__} value") from error


def patron(record: Any) -> Patron:
    return Patron(
        id=_required(record.patronId, "patronId"),
        first_name=str(record.firstName or ""),
        last_name=str(record.lastName or ""),
        email=_text(record.email),
        phone=_text(record.phone),
        mobile=_text(record.mobile),
        home_library_code=_text(record.homeLibraryId),
        card_expires_on=_date(record.cardExpiry),
        blocks=tuple(_enum(PatronBlock, block) for block in as_list(record.block)),
        birth_date=_date(record.birthDate),
    )


def loan(patron_id: str, record: Any) -> Loan:
    due = _date(record.dueDate)
    if due is None:
        raise PeerProtocolError("soap: checkout without a due date")
    return Loan(
        id=_required(record.loanId, "loanId"),
        patron_id=patron_id,
        item_id=_required(record.itemId, "itemId"),
        title_id=_required(record.titleId, "titleId"),
        loan_type=_enum(LoanType, record.loanType),
        checked_out_on=_date(record.checkoutDate),
        due_date=due,
        renewal_count=_int(record.renewalCount, 0) or 0,
        overdue=bool(record.overdue),
    )


def hold(patron_id: str, record: Any) -> Hold:
    return Hold(
        id=_required(record.holdId, "holdId"),
        patron_id=patron_id,
        title_id=_required(record.titleId, "titleId"),
        item_id=_text(record.itemId),
        status=_enum(HoldStatus, record.status),
        pickup_library_code=_required(record.pickupLibraryId, "pickupLibraryId"),
        placed_on=_date(record.placedDate),
        pickup_deadline=_date(record.pickupDeadline),
        queue_position=_int(record.queuePosition),
        queue_length=_int(record.queueLength),
    )


def fee(record: Any) -> Fee:
    return Fee(
        id=_required(record.feeId, "feeId"),
        amount_cents=_int(record.amountCents, 0) or 0,
        currency=str(record.currency or "EUR"),
        description=str(record.description or ""),
    )


def account(record: Any, parts: AccountParts) -> Account:
    """An Account with the parts that were asked for (others stay empty)."""
    owner = patron(record.patron)
    return Account(
        patron=owner,
        loans=tuple(loan(owner.id, row) for row in as_list(record.checkout)) if parts.loans else (),
        holds=tuple(hold(owner.id, row) for row in as_list(record.hold)) if parts.holds else (),
        fees=tuple(fee(row) for row in as_list(record.fee)) if parts.fees else (),
    )


def item(record: Any) -> Item:
    return Item(
        id=_required(record.itemId, "itemId"),
        title_id=_required(record.titleId, "titleId"),
        library_code=_required(record.libraryId, "libraryId"),
        call_number=_text(record.callNumber),
        status=_enum(ItemStatus, record.status),
        due_date=_date(record.dueDate),
        hold_queue_length=_int(record.holdQueueLength, 0) or 0,
    )


def title(record: Any) -> Title:
    return Title(
        id=_required(record.titleId, "titleId"),
        title=str(record.title or ""),
        authors=tuple(str(author) for author in as_list(record.author)),
        publication_year=_int(record.publicationYear),
        document_type=_enum(DocumentType, record.documentType),
        isbn=_text(record.isbn),
        publisher=_text(record.publisher),
        is_digital=bool(record.digital),
        item_ids=tuple(str(item_id) for item_id in as_list(record.itemId)),
        language=_text(record.language),
    )


def library(record: Any) -> Library:
    return Library(
        code=_required(record.libraryId, "libraryId"),
        name=str(record.name or ""),
        address=_text(record.address),
        accepts_pickup=bool(record.acceptsPickup),
    )
