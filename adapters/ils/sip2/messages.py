"""SIP2 2.00 messages as typed, immutable values (no wire format here).

Owns: one frozen dataclass per supported message, named as in the spec, with its command
code in `code` and fields named in English. Fixed fields come first, in wire order, then the
variable fields. The wire layout (widths, two-letter field ids) lives only in `layout.py` and
`codec.py`; this module must never mention a field id, do I/O or validate values.

Conventions: dates are `datetime | None` (None = the 18-blank "no date"); a required variable
field is a `str` (sent even when empty); an optional one is `... | None` (None = absent);
repeatable fields (screen messages, item lists) are tuples. Flag strings that the spec defines
position by position (patron status, summary, supported messages) stay strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

_BLANK_STATUS = " " * 14
_BLANK_SUMMARY = " " * 10


@dataclass(frozen=True, kw_only=True)
class Message:
    """Base of every SIP2 message; `code` is the 2-digit command identifier."""

    code: ClassVar[str] = ""


@dataclass(frozen=True, kw_only=True)
class LoginRequest(Message):
    """93 Login (SC -> ACS)."""

    code: ClassVar[str] = "93"
    uid_algorithm: str = "0"
    pwd_algorithm: str = "0"
    login_user_id: str = ""
    login_password: str = ""
    location_code: str | None = None


@dataclass(frozen=True, kw_only=True)
class LoginResponse(Message):
    """94 Login Response (ACS -> SC)."""

    code: ClassVar[str] = "94"
    ok: bool = False


@dataclass(frozen=True, kw_only=True)
class SCStatus(Message):
    """99 SC Status (SC -> ACS)."""

    code: ClassVar[str] = "99"
    status_code: str = "0"
    max_print_width: int = 80
    protocol_version: str = "2.00"


@dataclass(frozen=True, kw_only=True)
class ACSStatus(Message):
    """98 ACS Status (ACS -> SC)."""

    code: ClassVar[str] = "98"
    online_status: bool = False
    checkin_ok: bool = False
    checkout_ok: bool = False
    acs_renewal_policy: bool = False
    status_update_ok: bool = False
    offline_ok: bool = False
    timeout_period: int = 999
    retries_allowed: int = 999
    date_time_sync: datetime | None = None
    protocol_version: str = "2.00"
    institution_id: str = ""
    library_name: str | None = None
    supported_messages: str = ""
    terminal_location: str | None = None
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PatronStatusRequest(Message):
    """23 Patron Status Request (SC -> ACS)."""

    code: ClassVar[str] = "23"
    language: str = "000"
    transaction_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    terminal_password: str = ""
    patron_password: str = ""


@dataclass(frozen=True, kw_only=True)
class PatronStatusResponse(Message):
    """24 Patron Status Response (ACS -> SC)."""

    code: ClassVar[str] = "24"
    patron_status: str = _BLANK_STATUS
    language: str = "000"
    transaction_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    personal_name: str = ""
    valid_patron: bool | None = None
    valid_patron_password: bool | None = None
    currency_type: str | None = None
    fee_amount: str | None = None
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PatronInformationRequest(Message):
    """63 Patron Information (SC -> ACS); `summary` picks the detailed item list."""

    code: ClassVar[str] = "63"
    language: str = "000"
    transaction_date: datetime | None = None
    summary: str = _BLANK_SUMMARY
    institution_id: str = ""
    patron_identifier: str = ""
    terminal_password: str | None = None
    patron_password: str | None = None
    start_item: int | None = None
    end_item: int | None = None


@dataclass(frozen=True, kw_only=True)
class PatronInformationResponse(Message):
    """64 Patron Information Response (ACS -> SC); counts are None when sent blank (unknown)."""

    code: ClassVar[str] = "64"
    patron_status: str = _BLANK_STATUS
    language: str = "000"
    transaction_date: datetime | None = None
    hold_items_count: int | None = None
    overdue_items_count: int | None = None
    charged_items_count: int | None = None
    fine_items_count: int | None = None
    recall_items_count: int | None = None
    unavailable_holds_count: int | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    personal_name: str = ""
    hold_items_limit: int | None = None
    overdue_items_limit: int | None = None
    charged_items_limit: int | None = None
    valid_patron: bool | None = None
    valid_patron_password: bool | None = None
    currency_type: str | None = None
    fee_amount: str | None = None
    fee_limit: str | None = None
    hold_items: tuple[str, ...] = ()
    overdue_items: tuple[str, ...] = ()
    charged_items: tuple[str, ...] = ()
    fine_items: tuple[str, ...] = ()
    recall_items: tuple[str, ...] = ()
    unavailable_hold_items: tuple[str, ...] = ()
    home_address: str | None = None
    email_address: str | None = None
    home_phone_number: str | None = None
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ItemInformationRequest(Message):
    """17 Item Information (SC -> ACS)."""

    code: ClassVar[str] = "17"
    transaction_date: datetime | None = None
    institution_id: str = ""
    item_identifier: str = ""
    terminal_password: str | None = None


@dataclass(frozen=True, kw_only=True)
class ItemInformationResponse(Message):
    """18 Item Information Response (ACS -> SC); `due_date` is free text (spec: any format)."""

    code: ClassVar[str] = "18"
    circulation_status: str = "01"
    security_marker: str = "00"
    fee_type: str = "01"
    transaction_date: datetime | None = None
    hold_queue_length: int | None = None
    due_date: str | None = None
    recall_date: datetime | None = None
    hold_pickup_date: datetime | None = None
    item_identifier: str = ""
    title_identifier: str = ""
    owner: str | None = None
    currency_type: str | None = None
    fee_amount: str | None = None
    media_type: str | None = None
    permanent_location: str | None = None
    current_location: str | None = None
    item_properties: str | None = None
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RenewRequest(Message):
    """29 Renew (SC -> ACS); send at least one of item_identifier / title_identifier."""

    code: ClassVar[str] = "29"
    third_party_allowed: bool = False
    no_block: bool = False
    transaction_date: datetime | None = None
    nb_due_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    patron_password: str | None = None
    item_identifier: str | None = None
    title_identifier: str | None = None
    terminal_password: str | None = None
    item_properties: str | None = None
    fee_acknowledged: bool | None = None


@dataclass(frozen=True, kw_only=True)
class RenewResponse(Message):
    """30 Renew Response (ACS -> SC); magnetic_media/desensitize None = unknown (U)."""

    code: ClassVar[str] = "30"
    ok: bool = False
    renewal_ok: bool = False
    magnetic_media: bool | None = None
    desensitize: bool | None = None
    transaction_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    item_identifier: str = ""
    title_identifier: str = ""
    due_date: str = ""
    fee_type: str | None = None
    security_inhibit: bool | None = None
    currency_type: str | None = None
    fee_amount: str | None = None
    media_type: str | None = None
    item_properties: str | None = None
    transaction_id: str | None = None
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RenewAllRequest(Message):
    """65 Renew All (SC -> ACS)."""

    code: ClassVar[str] = "65"
    transaction_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    patron_password: str | None = None
    terminal_password: str | None = None
    fee_acknowledged: bool | None = None


@dataclass(frozen=True, kw_only=True)
class RenewAllResponse(Message):
    """66 Renew All Response (ACS -> SC)."""

    code: ClassVar[str] = "66"
    ok: bool = False
    renewed_count: int = 0
    unrenewed_count: int = 0
    transaction_date: datetime | None = None
    institution_id: str = ""
    renewed_items: tuple[str, ...] = ()
    unrenewed_items: tuple[str, ...] = ()
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class HoldRequest(Message):
    """15 Hold (SC -> ACS); hold_mode is "+" add, "-" delete, "*" change."""

    code: ClassVar[str] = "15"
    hold_mode: str = "+"
    transaction_date: datetime | None = None
    expiration_date: datetime | None = None
    pickup_location: str | None = None
    hold_type: str | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    patron_password: str | None = None
    item_identifier: str | None = None
    title_identifier: str | None = None
    terminal_password: str | None = None
    fee_acknowledged: bool | None = None


@dataclass(frozen=True, kw_only=True)
class HoldResponse(Message):
    """16 Hold Response (ACS -> SC)."""

    code: ClassVar[str] = "16"
    ok: bool = False
    available: bool = False
    transaction_date: datetime | None = None
    expiration_date: datetime | None = None
    queue_position: int | None = None
    pickup_location: str | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    item_identifier: str | None = None
    title_identifier: str | None = None
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class EndPatronSessionRequest(Message):
    """35 End Patron Session (SC -> ACS)."""

    code: ClassVar[str] = "35"
    transaction_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    terminal_password: str | None = None
    patron_password: str | None = None


@dataclass(frozen=True, kw_only=True)
class EndSessionResponse(Message):
    """36 End Session Response (ACS -> SC)."""

    code: ClassVar[str] = "36"
    end_session: bool = False
    transaction_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CheckinRequest(Message):
    """09 Checkin (SC -> ACS)."""

    code: ClassVar[str] = "09"
    no_block: bool = False
    transaction_date: datetime | None = None
    return_date: datetime | None = None
    current_location: str = ""
    institution_id: str = ""
    item_identifier: str = ""
    terminal_password: str = ""
    item_properties: str | None = None
    cancel: bool | None = None


@dataclass(frozen=True, kw_only=True)
class CheckinResponse(Message):
    """10 Checkin Response (ACS -> SC)."""

    code: ClassVar[str] = "10"
    ok: bool = False
    resensitize: bool = False
    magnetic_media: bool | None = None
    alert: bool = False
    transaction_date: datetime | None = None
    institution_id: str = ""
    item_identifier: str = ""
    permanent_location: str = ""
    title_identifier: str | None = None
    sort_bin: str | None = None
    patron_identifier: str | None = None
    media_type: str | None = None
    item_properties: str | None = None
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CheckoutRequest(Message):
    """11 Checkout (SC -> ACS)."""

    code: ClassVar[str] = "11"
    sc_renewal_policy: bool = False
    no_block: bool = False
    transaction_date: datetime | None = None
    nb_due_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    item_identifier: str = ""
    terminal_password: str = ""
    item_properties: str | None = None
    patron_password: str | None = None
    fee_acknowledged: bool | None = None
    cancel: bool | None = None


@dataclass(frozen=True, kw_only=True)
class CheckoutResponse(Message):
    """12 Checkout Response (ACS -> SC)."""

    code: ClassVar[str] = "12"
    ok: bool = False
    renewal_ok: bool = False
    magnetic_media: bool | None = None
    desensitize: bool | None = None
    transaction_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    item_identifier: str = ""
    title_identifier: str = ""
    due_date: str = ""
    fee_type: str | None = None
    security_inhibit: bool | None = None
    currency_type: str | None = None
    fee_amount: str | None = None
    media_type: str | None = None
    item_properties: str | None = None
    transaction_id: str | None = None
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class BlockPatron(Message):
    """01 Block Patron (SC -> ACS); the spec's answer is a 24 Patron Status Response."""

    code: ClassVar[str] = "01"
    card_retained: bool = False
    transaction_date: datetime | None = None
    institution_id: str = ""
    blocked_card_message: str = ""
    patron_identifier: str = ""
    terminal_password: str = ""


@dataclass(frozen=True, kw_only=True)
class ItemStatusUpdate(Message):
    """19 Item Status Update (SC -> ACS): store new item properties."""

    code: ClassVar[str] = "19"
    transaction_date: datetime | None = None
    institution_id: str = ""
    item_identifier: str = ""
    terminal_password: str | None = None
    item_properties: str = ""


@dataclass(frozen=True, kw_only=True)
class ItemStatusUpdateResponse(Message):
    """20 Item Status Update Response (ACS -> SC)."""

    code: ClassVar[str] = "20"
    item_properties_ok: bool = False
    transaction_date: datetime | None = None
    item_identifier: str = ""
    title_identifier: str | None = None
    item_properties: str | None = None
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PatronEnable(Message):
    """25 Patron Enable (SC -> ACS): re-enable a blocked card."""

    code: ClassVar[str] = "25"
    transaction_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    terminal_password: str | None = None
    patron_password: str | None = None


@dataclass(frozen=True, kw_only=True)
class PatronEnableResponse(Message):
    """26 Patron Enable Response (ACS -> SC)."""

    code: ClassVar[str] = "26"
    patron_status: str = _BLANK_STATUS
    language: str = "000"
    transaction_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    personal_name: str = ""
    valid_patron: bool | None = None
    valid_patron_password: bool | None = None
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class FeePaid(Message):
    """37 Fee Paid (SC -> ACS); fee type 01-09, payment type 00 cash, 01 VISA, 02 credit card."""

    code: ClassVar[str] = "37"
    transaction_date: datetime | None = None
    fee_type: str = "01"
    payment_type: str = "00"
    currency_type: str = "EUR"
    fee_amount: str = ""
    institution_id: str = ""
    patron_identifier: str = ""
    terminal_password: str | None = None
    patron_password: str | None = None
    fee_identifier: str | None = None
    transaction_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class FeePaidResponse(Message):
    """38 Fee Paid Response (ACS -> SC)."""

    code: ClassVar[str] = "38"
    payment_accepted: bool = False
    transaction_date: datetime | None = None
    institution_id: str = ""
    patron_identifier: str = ""
    transaction_id: str | None = None
    screen_messages: tuple[str, ...] = ()
    print_lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RequestSCResend(Message):
    """96 Request SC Resend (ACS -> SC): no fields, never an AY."""

    code: ClassVar[str] = "96"


@dataclass(frozen=True, kw_only=True)
class RequestACSResend(Message):
    """97 Request ACS Resend (SC -> ACS): no fields, never an AY."""

    code: ClassVar[str] = "97"
