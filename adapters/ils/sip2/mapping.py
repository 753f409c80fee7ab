"""Between SIP2 messages and the domain: one request builder and one reader per message.

Owns every decision about which SIP2 field carries which domain value (e.g. a hold is placed
with mode "+", the title id in AJ, hold type 2, the pickup library in BS) and how a response
becomes a domain dataclass. Pure functions: no I/O, no logging, no clock (`now` is given).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from adapters.errors import IlsNotFound
from adapters.ils import models as d
from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.codec import FieldValueError, parse_sip2_date

# 63 summary positions (spec): which detailed list the ACS returns.
SUMMARY_LISTS = {"hold": 0, "overdue": 1, "charged": 2, "fine": 3, "recall": 4, "unavailable_hold": 5}
# 18 circulation status -> our item status; "01 other" and unknown codes count as in processing.
_ITEM_STATUS = {
    "02": d.ItemStatus.IN_PROCESSING,
    "03": d.ItemStatus.AVAILABLE,
    "04": d.ItemStatus.CHECKED_OUT,
    "05": d.ItemStatus.CHECKED_OUT,
    "06": d.ItemStatus.IN_PROCESSING,
    "07": d.ItemStatus.CHECKED_OUT,
    "08": d.ItemStatus.ON_HOLD_SHELF,
    "09": d.ItemStatus.IN_PROCESSING,
    "10": d.ItemStatus.IN_TRANSIT,
    "11": d.ItemStatus.MISSING,
    "12": d.ItemStatus.MISSING,
    "13": d.ItemStatus.MISSING,
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# A number in BV's free text (the fee amount).
_AMOUNT = re.compile(r"-?\d+(?:[.,]\d+)?")
# After an item id at the start of a 66 screen message: the separator before its reason.
_ITEM_MESSAGE = re.compile(r"\s*[:\-\u2013]\s*")


def due_date(text: str | None) -> date | None:
    """AH is free text (spec): read a SIP2 date or an ISO date, else None."""
    if not text:
        return None
    parsed = parse_sip2_date(text[:18]) if len(text) >= 18 else None
    if parsed is not None:
        return parsed.date()
    match = _ISO_DATE.match(text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _message(screen_messages: tuple[str, ...]) -> str | None:
    return " ".join(screen_messages) or None


def flags(patron_status: str) -> d.PatronStatusFlags:
    """The 14 patron-status positions of 24/64, a `Y` meaning the condition holds."""
    on = [char == "Y" for char in patron_status.ljust(14)[:14]]
    return d.PatronStatusFlags(*on)


# ---- 63 / 64


def authenticate_request(
    institution: str, card: str, password: str, now: datetime, *, terminal_password: str | None = None
) -> m.PatronInformationRequest:
    return m.PatronInformationRequest(
        transaction_date=now,
        institution_id=institution,
        patron_identifier=card,
        terminal_password=terminal_password,
        patron_password=password,
    )


def authentication(card: str, response: m.PatronInformationResponse) -> d.Authentication:
    return d.Authentication(
        patron_id=response.patron_identifier or card,
        valid_patron=response.valid_patron is True,
        valid_password=response.valid_patron_password is True,
        display_name=response.personal_name,
    )


def summary_request(
    institution: str,
    patron_id: str,
    list_name: str | None,
    start: int,
    end: int,
    now: datetime,
    *,
    terminal_password: str | None = None,
) -> m.PatronInformationRequest:
    summary = [" "] * 10
    if list_name is not None:
        if list_name not in SUMMARY_LISTS:
            raise FieldValueError("63", "summary", f"unknown list {list_name!r}")
        summary[SUMMARY_LISTS[list_name]] = "Y"
    return m.PatronInformationRequest(
        transaction_date=now,
        summary="".join(summary),
        institution_id=institution,
        patron_identifier=patron_id,
        terminal_password=terminal_password,
        start_item=start if list_name else None,
        end_item=end if list_name else None,
    )


def patron_summary(patron_id: str, r: m.PatronInformationResponse) -> d.PatronSummary:
    return d.PatronSummary(
        patron_id=r.patron_identifier or patron_id,
        display_name=r.personal_name,
        valid_patron=r.valid_patron is True,
        valid_password=r.valid_patron_password,
        flags=flags(r.patron_status),
        hold_count=r.hold_items_count,
        overdue_count=r.overdue_items_count,
        charged_count=r.charged_items_count,
        fine_count=r.fine_items_count,
        recall_count=r.recall_items_count,
        unavailable_hold_count=r.unavailable_holds_count,
        email=r.email_address,
        phone=r.home_phone_number,
        hold_items=r.hold_items,
        overdue_items=r.overdue_items,
        charged_items=r.charged_items,
        fine_items=r.fine_items,
        recall_items=r.recall_items,
        unavailable_hold_items=r.unavailable_hold_items,
        screen_messages=r.screen_messages,
        fee_amount_cents=fee_cents(r.fee_amount),
        currency=r.currency_type or None,
    )


def fee_cents(text: str | None) -> int | None:
    """BV is free text (spec: "the amount of fines and fees"): "12.50", "12,50", "-3", "€ 4.00".
    None when absent or not a number; a value the ACS writes negative (owed, for some) is kept."""
    match = _AMOUNT.search(text or "")
    if match is None:
        return None
    try:
        amount = Decimal(match[0].replace(",", "."))
    except InvalidOperation:
        return None
    return int((amount * 100).to_integral_value(ROUND_HALF_UP))


# ---- 17 / 18


def item_request(
    institution: str, item_id: str, now: datetime, *, terminal_password: str | None = None
) -> m.ItemInformationRequest:
    return m.ItemInformationRequest(
        transaction_date=now,
        institution_id=institution,
        item_identifier=item_id,
        terminal_password=terminal_password,
    )


def item_information(item_id: str, r: m.ItemInformationResponse) -> d.ItemInformation:
    if not r.title_identifier:
        # AJ is required in 18: an ACS that cannot name the title does not know the item.
        raise IlsNotFound("unknown_item", _message(r.screen_messages) or item_id)
    return d.ItemInformation(
        item_id=r.item_identifier or item_id,
        status=_ITEM_STATUS.get(r.circulation_status, d.ItemStatus.IN_PROCESSING),
        title=r.title_identifier,
        due_date=due_date(r.due_date),
        hold_queue_length=r.hold_queue_length or 0,
        permanent_library_code=r.permanent_location or None,
        current_library_code=r.current_location or None,
        media_type=r.media_type,
        screen_messages=r.screen_messages,
    )


# ---- 29 / 30, 65 / 66


def renew_request(
    institution: str, patron_id: str, item_id: str, now: datetime, *, terminal_password: str | None = None
) -> m.RenewRequest:
    return m.RenewRequest(
        transaction_date=now,
        institution_id=institution,
        patron_identifier=patron_id,
        item_identifier=item_id,
        terminal_password=terminal_password,
    )


def renewal(item_id: str, r: m.RenewResponse) -> d.RenewalOutcome:
    return d.RenewalOutcome(
        ok=r.ok,
        item_id=r.item_identifier or item_id,
        title=r.title_identifier,
        due_date=due_date(r.due_date) if r.ok else None,
        message=_message(r.screen_messages),
    )


def renew_all_request(
    institution: str, patron_id: str, now: datetime, *, terminal_password: str | None = None
) -> m.RenewAllRequest:
    return m.RenewAllRequest(
        transaction_date=now,
        institution_id=institution,
        patron_identifier=patron_id,
        terminal_password=terminal_password,
    )


def renew_all(r: m.RenewAllResponse) -> d.RenewAllOutcome:
    named, general = _item_messages(r.unrenewed_items, r.screen_messages)
    return d.RenewAllOutcome(
        ok=r.ok,
        renewed_item_ids=r.renewed_items,
        unrenewed_item_ids=r.unrenewed_items,
        message=_message(r.screen_messages),
        item_messages=named,
        general_message=_message(general),
    )


def _item_messages(
    item_ids: tuple[str, ...], screen_messages: tuple[str, ...]
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Split 66 screen messages (AF) into those that start with an unrenewed item id and a
    separator ("<barcode> : reason", "<barcode> - reason") and the rest. SIP2 gives AF no
    structure: a message that does not name an item is about the whole request."""
    named: list[tuple[str, str]] = []
    general: list[str] = []
    for text in screen_messages:
        for item_id in item_ids:
            separator = _ITEM_MESSAGE.match(text, len(item_id)) if text.startswith(item_id) else None
            if separator is not None:
                named.append((item_id, text[separator.end() :].strip()))
                break
        else:
            general.append(text)
    return tuple(named), tuple(general)


# ---- 15 / 16


def hold_request(
    institution: str,
    patron_id: str,
    title_id: str,
    pickup: str | None,
    now: datetime,
    *,
    place: bool,
    item_id: str | None = None,
    by: str = "title",
    terminal_password: str | None = None,
) -> m.HoldRequest:
    """15 by title id (AJ) or, for ACSs that find the title from a copy (Koha, Evergreen), by item.

    By item, the copy goes in AB and the title id stays in AJ: those ACSs read `AB || AJ`, so
    without a known copy the ILS itself decides about the title id and says why it refuses.
    """
    return m.HoldRequest(
        hold_mode="+" if place else "-",
        transaction_date=now,
        pickup_location=pickup,
        hold_type="2",  # any copy of the title, even when a copy names it
        institution_id=institution,
        patron_identifier=patron_id,
        item_identifier=item_id if by == "item" else None,
        title_identifier=title_id,
        terminal_password=terminal_password,
    )


def hold(title_id: str, r: m.HoldResponse) -> d.HoldOutcome:
    # In responses AJ may be the title's text, so the outcome keeps the id we asked about.
    return d.HoldOutcome(
        ok=r.ok,
        available=r.available,
        title_id=title_id,
        item_id=r.item_identifier or None,
        queue_position=r.queue_position,
        pickup_library_code=r.pickup_location or None,
        message=_message(r.screen_messages),
    )


# ---- 09 / 10, 11 / 12, 35 / 36


def checkin_request(
    institution: str, item_id: str, library_code: str, now: datetime, *, terminal_password: str | None = None
) -> m.CheckinRequest:
    return m.CheckinRequest(
        transaction_date=now,
        return_date=now,
        current_location=library_code,
        institution_id=institution,
        item_identifier=item_id,
        terminal_password=terminal_password or "",
    )


def checkin(item_id: str, r: m.CheckinResponse) -> d.CirculationOutcome:
    return d.CirculationOutcome(
        ok=r.ok,
        item_id=r.item_identifier or item_id,
        title=r.title_identifier or None,
        due_date=None,
        patron_id=r.patron_identifier or None,
        message=_message(r.screen_messages),
        alert=r.alert,
    )


def checkout_request(
    institution: str, patron_id: str, item_id: str, now: datetime, *, terminal_password: str | None = None
) -> m.CheckoutRequest:
    return m.CheckoutRequest(
        transaction_date=now,
        institution_id=institution,
        patron_identifier=patron_id,
        item_identifier=item_id,
        terminal_password=terminal_password or "",
    )


def checkout(item_id: str, r: m.CheckoutResponse) -> d.CirculationOutcome:
    return d.CirculationOutcome(
        ok=r.ok,
        item_id=r.item_identifier or item_id,
        title=r.title_identifier or None,
        due_date=due_date(r.due_date) if r.ok else None,
        patron_id=r.patron_identifier or None,
        message=_message(r.screen_messages),
    )


def end_session_request(
    institution: str, patron_id: str, now: datetime, *, terminal_password: str | None = None
) -> m.EndPatronSessionRequest:
    return m.EndPatronSessionRequest(
        transaction_date=now,
        institution_id=institution,
        patron_identifier=patron_id,
        terminal_password=terminal_password,
    )
