"""Domain dataclasses passed between the ILS adapters and the schema.

They speak the library's language (loans, holds, titles), never SIP2 field ids or
SOAP element names. Frozen, so a loader's cached value cannot be changed by a caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class LoanType(StrEnum):
    STANDARD = "STANDARD"
    ONE_WEEK = "ONE_WEEK"
    DIGITAL = "DIGITAL"
    # The ILS does not say (SIP2 carries no loan type): the ILS decides at renewal.
    UNKNOWN = "UNKNOWN"


class HoldStatus(StrEnum):
    WAITING = "WAITING"
    IN_TRANSIT = "IN_TRANSIT"
    AVAILABLE = "AVAILABLE"


class ItemStatus(StrEnum):
    AVAILABLE = "AVAILABLE"
    CHECKED_OUT = "CHECKED_OUT"
    IN_TRANSIT = "IN_TRANSIT"
    ON_HOLD_SHELF = "ON_HOLD_SHELF"
    MISSING = "MISSING"
    IN_PROCESSING = "IN_PROCESSING"


class DocumentType(StrEnum):
    BOOK = "BOOK"
    COMIC = "COMIC"
    DVD = "DVD"
    MUSIC_CD = "MUSIC_CD"
    MAGAZINE = "MAGAZINE"
    EBOOK = "EBOOK"
    AUDIOBOOK = "AUDIOBOOK"
    GAME = "GAME"
    SCORE = "SCORE"
    OTHER = "OTHER"


class PatronBlock(StrEnum):
    CARD_EXPIRED = "CARD_EXPIRED"
    FINES_OWED = "FINES_OWED"
    ACCOUNT_SUSPENDED = "ACCOUNT_SUSPENDED"
    TOO_MANY_OVERDUES = "TOO_MANY_OVERDUES"


class CatalogueSource(StrEnum):
    PHYSICAL = "PHYSICAL"
    DIGITAL = "DIGITAL"


@dataclass(frozen=True, slots=True)
class Library:
    code: str
    name: str
    address: str | None
    accepts_pickup: bool


@dataclass(frozen=True, slots=True)
class Patron:
    """A patron record. `id` is the library card number."""

    id: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    mobile: str | None
    home_library_code: str | None
    card_expires_on: date | None
    blocks: tuple[PatronBlock, ...] = ()
    # Personal data: kept out of repr so it never reaches a log line by accident.
    birth_date: date | None = field(default=None, repr=False)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class Loan:
    id: str
    patron_id: str
    item_id: str
    title_id: str
    loan_type: LoanType
    checked_out_on: date | None
    due_date: date
    renewal_count: int | None  # None: the ILS does not say (SIP2)
    overdue: bool


@dataclass(frozen=True, slots=True)
class Hold:
    id: str
    patron_id: str
    title_id: str
    item_id: str | None
    status: HoldStatus
    pickup_library_code: str
    placed_on: date | None
    pickup_deadline: date | None
    queue_position: int | None
    queue_length: int | None
    # False when the ILS does not say where (SIP2): `pickup_library_code` is then the institution's.
    pickup_library_known: bool = True


@dataclass(frozen=True, slots=True)
class Fee:
    id: str
    amount_cents: int
    currency: str
    description: str


@dataclass(frozen=True, slots=True)
class AccountCounts:
    """What the ILS counts on the account (SIP2 64's count fields); None where it does not say."""

    loans: int | None
    overdue: int | None
    holds: int | None


@dataclass(frozen=True, slots=True)
class Account:
    """A patron with what lookupAccounts was asked to include (empty tuples otherwise)."""

    patron: Patron
    loans: tuple[Loan, ...] = ()
    holds: tuple[Hold, ...] = ()
    fees: tuple[Fee, ...] = ()
    # Copies and records the ILS described along with the account (SIP2-only: its 18 answers);
    # empty when they are looked up on their own (SOAP).
    items: tuple[Item, ...] = ()
    titles: tuple[Title, ...] = ()
    # The ILS's own counts (SIP2-only); None: count the lists above (SOAP lists everything).
    counts: AccountCounts | None = None
    # False when fees were asked for and the ILS did not say what is owed (a SIP2 64 without a
    # readable BV, or an amount owed without its currency BH); `fees` is then empty.
    fees_known: bool = True


@dataclass(frozen=True, slots=True)
class AccountParts:
    """Include flags for an account look-up (Symphony-style includeFields)."""

    loans: bool = True
    holds: bool = True
    fees: bool = False


@dataclass(frozen=True, slots=True)
class Title:
    """A bibliographic record ("Record" in the GraphQL contract)."""

    id: str
    title: str
    authors: tuple[str, ...]
    publication_year: int | None
    document_type: DocumentType
    isbn: str | None
    publisher: str | None
    is_digital: bool
    item_ids: tuple[str, ...] = ()
    # The language of the text as an ISO 639-2/B code ("fre"), when the ILS says.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A copy, identified by its barcode."""

    id: str
    title_id: str
    library_code: str
    call_number: str | None
    status: ItemStatus
    due_date: date | None
    hold_queue_length: int


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str
    library_codes: tuple[str, ...] = ()
    document_types: tuple[DocumentType, ...] = ()
    sources: tuple[CatalogueSource, ...] = ()
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    titles: tuple[Title, ...]


# ---- outcomes of SIP2 operations (expected refusals are data, not exceptions)


@dataclass(frozen=True, slots=True)
class Authentication:
    """What 63/64 said about a card number and password (BL, CQ, AE)."""

    patron_id: str
    valid_patron: bool
    valid_password: bool
    display_name: str

    @property
    def ok(self) -> bool:
        return self.valid_patron and self.valid_password


@dataclass(frozen=True, slots=True)
class PatronStatusFlags:
    """The 14 patron-status flags of 24/64, by name."""

    charge_denied: bool = False
    renewal_denied: bool = False
    recall_denied: bool = False
    hold_denied: bool = False
    card_lost: bool = False
    too_many_charged: bool = False
    too_many_overdue: bool = False
    too_many_renewals: bool = False
    too_many_claims_returned: bool = False
    too_many_lost: bool = False
    excessive_fines: bool = False
    excessive_fees: bool = False
    recall_overdue: bool = False
    too_many_billed: bool = False


@dataclass(frozen=True, slots=True)
class PatronSummary:
    """Patron information (63/64): counts, and the item ids of the list that was asked for."""

    patron_id: str
    display_name: str
    valid_patron: bool
    valid_password: bool | None
    flags: PatronStatusFlags
    # None: the ACS sent the count blank (unknown), which is not 0.
    hold_count: int | None
    overdue_count: int | None
    charged_count: int | None
    fine_count: int | None
    recall_count: int | None
    unavailable_hold_count: int | None
    email: str | None
    phone: str | None
    hold_items: tuple[str, ...] = ()
    overdue_items: tuple[str, ...] = ()
    charged_items: tuple[str, ...] = ()
    fine_items: tuple[str, ...] = ()
    recall_items: tuple[str, ...] = ()
    unavailable_hold_items: tuple[str, ...] = ()
    screen_messages: tuple[str, ...] = ()
    # Fines and fees outstanding (BV) in cents of `currency` (BH); None when not said or unreadable.
    fee_amount_cents: int | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class ItemInformation:
    """Item information (17/18)."""

    item_id: str
    status: ItemStatus
    title: str
    due_date: date | None
    hold_queue_length: int
    permanent_library_code: str | None
    current_library_code: str | None
    media_type: str | None
    screen_messages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RenewalOutcome:
    """Renew (29/30): `ok` with the new due date, or refused with the ILS's message."""

    ok: bool
    item_id: str
    title: str
    due_date: date | None
    message: str | None


@dataclass(frozen=True, slots=True)
class RenewAllOutcome:
    """Renew all (65/66): item ids renewed and not renewed."""

    ok: bool
    renewed_item_ids: tuple[str, ...]
    unrenewed_item_ids: tuple[str, ...]
    message: str | None
    # (item id, the ILS's words about it): screen messages that name an unrenewed item.
    item_messages: tuple[tuple[str, str], ...] = ()
    # The screen messages that name no item: what the ILS said about the whole request.
    general_message: str | None = None


@dataclass(frozen=True, slots=True)
class HoldOutcome:
    """Hold (15/16) for both placing (+) and cancelling (-)."""

    ok: bool
    available: bool
    title_id: str | None
    item_id: str | None
    queue_position: int | None
    pickup_library_code: str | None
    message: str | None


@dataclass(frozen=True, slots=True)
class CirculationOutcome:
    """Check-in (09/10) or check-out (11/12)."""

    ok: bool
    item_id: str
    title: str | None
    due_date: date | None
    patron_id: str | None
    message: str | None
    alert: bool = False


@dataclass(frozen=True, slots=True)
class DependencyHealth:
    name: str
    ok: bool
    detail: str = ""
    # The protocol's circuit breaker ("closed", "open", "half_open"); None without one.
    breaker: str | None = None
