"""XML records of the SOAP service: database rows -> elements of the WSDL's complex types.

Owns the element names and order of Patron, Checkout, Hold, Fee, Item, Title and
Library (they follow the xs:sequence of each type in ils.wsdl). Values are set
as element text through `envelope.add`, never interpolated. No SQL here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date

from lxml import etree

from emulator.soap.envelope import add, ils

CURRENCY = "EUR"


def _blank_to_none(value: object) -> object | None:
    return None if value in (None, "") else value


def patron(parent: etree._Element, name: str, row: sqlite3.Row) -> etree._Element:
    element = etree.SubElement(parent, ils(name))
    add(element, "patronId", row["id"])
    add(element, "firstName", row["first_name"])
    add(element, "lastName", row["last_name"])
    add(element, "birthDate", _blank_to_none(row["birth_date"]))
    add(element, "email", _blank_to_none(row["email"]))
    add(element, "phone", _blank_to_none(row["phone"]))
    add(element, "mobile", _blank_to_none(row["mobile"]))
    add(element, "homeLibraryId", _blank_to_none(row["home_library"]))
    add(element, "cardExpiry", _blank_to_none(row["card_expires_on"]))
    for block in (row["blocks"] or "").split(","):
        add(element, "block", _blank_to_none(block.strip()))
    return element


def checkout(parent: etree._Element, row: sqlite3.Row, today: date) -> None:
    element = etree.SubElement(parent, ils("checkout"))
    add(element, "loanId", row["id"])
    add(element, "itemId", row["item_id"])
    add(element, "titleId", row["title_id"])
    add(element, "checkoutDate", str(row["checked_out_on"])[:10])
    add(element, "dueDate", str(row["due_date"])[:10])
    add(element, "renewalCount", row["renewal_count"])
    add(element, "loanType", row["loan_type"])
    add(element, "overdue", date.fromisoformat(str(row["due_date"])[:10]) < today)


def hold(parent: etree._Element, row: sqlite3.Row) -> None:
    element = etree.SubElement(parent, ils("hold"))
    add(element, "holdId", row["id"])
    add(element, "titleId", row["title_id"])
    add(element, "itemId", _blank_to_none(row["item_id"]))
    add(element, "status", row["status"])
    add(element, "pickupLibraryId", row["pickup_library"])
    add(element, "placedDate", str(row["placed_at"])[:10])
    deadline = _blank_to_none(row["pickup_deadline"])
    add(element, "pickupDeadline", None if deadline is None else str(deadline)[:10])
    add(element, "queuePosition", row["queue_position"])
    add(element, "queueLength", row["queue_length"])


def fee(parent: etree._Element, row: sqlite3.Row) -> None:
    element = etree.SubElement(parent, ils("fee"))
    add(element, "feeId", row["id"])
    add(element, "amountCents", row["amount_cents"])
    add(element, "currency", CURRENCY)
    add(element, "description", row["description"])


def item(parent: etree._Element, row: sqlite3.Row) -> None:
    element = etree.SubElement(parent, ils("item"))
    add(element, "itemId", row["id"])
    add(element, "titleId", row["title_id"])
    add(element, "libraryId", row["library_code"])
    add(element, "callNumber", _blank_to_none(row["call_number"]))
    add(element, "status", row["status"])
    due = _blank_to_none(row["due_date"])
    add(element, "dueDate", None if due is None else str(due)[:10])
    add(element, "holdQueueLength", row["queue_length"])


def title(
    parent: etree._Element,
    row: sqlite3.Row,
    item_ids: Iterable[str],
    items: Iterable[sqlite3.Row] = (),
) -> None:
    element = etree.SubElement(parent, ils("title"))
    add(element, "titleId", row["id"])
    add(element, "title", row["title"])
    for author in (row["authors"] or "").split(";"):
        add(element, "author", _blank_to_none(author.strip()))
    add(element, "publicationYear", row["publication_year"])
    add(element, "documentType", row["document_type"])
    add(element, "isbn", _blank_to_none(row["isbn"]))
    add(element, "publisher", _blank_to_none(row["publisher"]))
    add(element, "language", _blank_to_none(row["language"]))
    add(element, "digital", bool(row["is_digital"]))
    for item_id in item_ids:
        add(element, "itemId", item_id)
    for item_row in items:
        item(element, item_row)


def library(parent: etree._Element, row: sqlite3.Row) -> None:
    element = etree.SubElement(parent, ils("library"))
    add(element, "libraryId", row["code"])
    add(element, "name", row["name"])
    add(element, "address", _blank_to_none(row["address"]))
    add(element, "acceptsPickup", bool(row["accepts_pickup"]))
