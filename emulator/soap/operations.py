"""The SOAP operations: request element -> queries -> response element.

Owns what each operation of ils.wsdl means: batch look-ups answer the ids that
exist, in request order, once each (unknown ids are absent); single-object
operations on unknown ids raise a Client fault with a code; contact details are
validated before they are written. Requests reach a handler already validated
against the WSDL's schema (app.py). Handlers are synchronous and run in a worker
thread with their own connection. No HTTP, no fault injection here.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date

from lxml import etree

from emulator.soap import queries, records
from emulator.soap.envelope import SoapFault, add, ils, text, texts

Db = sqlite3.Connection
Element = etree._Element
Handler = Callable[[Db, Element, date], Element]

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{5,19}$")


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _flag(element: etree._Element, name: str, default: bool) -> bool:
    value = text(element, name)
    if value is None:
        return default
    return value.strip() in ("true", "1")


def _int(element: etree._Element, name: str, default: int) -> int:
    value = text(element, name)
    return default if value is None else int(value.strip())


def _response(operation: str) -> etree._Element:
    return etree.Element(ils(f"{operation}Response"))


# ---- patrons


def lookup_patrons(connection: Db, request: Element, today: date) -> Element:
    email = text(request, "email")
    card = text(request, "cardNumber")
    if email is not None:
        rows = queries.patrons_by_email(connection, email) if email.strip() else []
    else:
        rows = queries.patrons_by_ids(connection, [(card or "").strip()])
    response = _response("lookupPatrons")
    for row in rows:
        records.patron(response, "patron", row)
    return response


def lookup_accounts(connection: Db, request: Element, today: date) -> Element:
    ids = _unique([value.strip() for value in texts(request, "patronId")])
    patrons = {row["id"]: row for row in queries.patrons_by_ids(connection, ids)}
    found = [patron_id for patron_id in ids if patron_id in patrons]
    loans = queries.loans_of(connection, found) if found and _flag(request, "includeCheckouts", True) else []
    holds = queries.holds_of(connection, found) if found and _flag(request, "includeHolds", True) else []
    fees = queries.fees_of(connection, found) if found and _flag(request, "includeFees", False) else []
    response = _response("lookupAccounts")
    for patron_id in found:
        account = etree.SubElement(response, ils("account"))
        records.patron(account, "patron", patrons[patron_id])
        for loan in loans:
            if loan["patron_id"] == patron_id:
                records.checkout(account, loan, today)
        for hold in holds:
            if hold["patron_id"] == patron_id:
                records.hold(account, hold)
        for fee in fees:
            if fee["patron_id"] == patron_id:
                records.fee(account, fee)
    return response


def _contact_changes(request: etree._Element) -> dict[str, str | None]:
    """Absent element: unchanged; empty element: removed; otherwise validated."""
    changes: dict[str, str | None] = {}
    for name, pattern, code in (
        ("email", _EMAIL, "INVALID_EMAIL"),
        ("phone", _PHONE, "INVALID_PHONE"),
        ("mobile", _PHONE, "INVALID_PHONE"),
    ):
        value = text(request, name)
        if value is None:
            continue
        value = value.strip()
        if value and not pattern.fullmatch(value):
            raise SoapFault(code, f"{name} is not valid")
        changes[name] = value or None
    return changes


def update_contact_info(connection: Db, request: Element, today: date) -> Element:
    patron_id = (text(request, "patronId") or "").strip()
    changes = _contact_changes(request)
    if not queries.update_contact(connection, patron_id, changes):
        raise SoapFault("UNKNOWN_PATRON", "no patron with that id")
    response = _response("updateContactInfo")
    for row in queries.patrons_by_ids(connection, [patron_id]):
        records.patron(response, "patron", row)
    return response


# ---- catalogue


def _titles(
    connection: sqlite3.Connection, parent: etree._Element, rows: Sequence[sqlite3.Row], *, with_items: bool
) -> None:
    title_ids = [row["id"] for row in rows]
    if not title_ids:
        return
    item_ids = queries.item_ids_of_titles(connection, title_ids)
    items: dict[str, list[sqlite3.Row]] = {}
    if with_items:
        for item_row in queries.items_of_titles(connection, title_ids):
            items.setdefault(item_row["title_id"], []).append(item_row)
    for row in rows:
        records.title(parent, row, item_ids.get(row["id"], []), items.get(row["id"], []))


def lookup_titles(connection: Db, request: Element, today: date) -> Element:
    ids = _unique([value.strip() for value in texts(request, "titleId")])
    by_id = {row["id"]: row for row in queries.titles_by_ids(connection, ids)}
    response = _response("lookupTitles")
    rows = [by_id[title_id] for title_id in ids if title_id in by_id]
    _titles(connection, response, rows, with_items=_flag(request, "includeItems", False))
    return response


def lookup_items(connection: Db, request: Element, today: date) -> Element:
    ids = _unique([value.strip() for value in texts(request, "itemId")])
    by_id = {row["id"]: row for row in queries.items_by_ids(connection, ids)}
    response = _response("lookupItems")
    for item_id in ids:
        if item_id in by_id:
            records.item(response, by_id[item_id])
    return response


def search_catalog(connection: Db, request: Element, today: date) -> Element:
    sources = set(texts(request, "source"))
    digital = None if len(sources) != 1 else "DIGITAL" in sources
    total, rows = queries.search_titles(
        connection,
        text=text(request, "query") or "",
        library_ids=_unique(texts(request, "libraryId")),
        document_types=_unique(texts(request, "documentType")),
        digital=digital,
        offset=_int(request, "offset", 0),
        limit=_int(request, "limit", 20),
    )
    response = _response("searchCatalog")
    add(response, "total", total)
    _titles(connection, response, rows, with_items=False)
    return response


def lookup_new_arrivals(connection: Db, request: Element, today: date) -> Element:
    library_id = (text(request, "libraryId") or "").strip()
    if not queries.library_exists(connection, library_id):
        raise SoapFault("UNKNOWN_LIBRARY", "no library with that id")
    since = date.fromisoformat((text(request, "since") or "").strip()[:10])
    rows = queries.new_arrivals(connection, library_id, since, _int(request, "limit", 20))
    response = _response("lookupNewArrivals")
    _titles(connection, response, rows, with_items=False)
    return response


# ---- reference data and liveness


def lookup_libraries(connection: Db, request: Element, today: date) -> Element:
    response = _response("lookupLibraries")
    for row in queries.libraries(connection):
        records.library(response, row)
    return response


def ping(connection: Db, request: Element, today: date) -> Element:
    response = _response("ping")
    add(response, "today", today.isoformat())
    return response


OPERATIONS: dict[str, Handler] = {
    "lookupPatrons": lookup_patrons,
    "lookupAccounts": lookup_accounts,
    "updateContactInfo": update_contact_info,
    "lookupTitles": lookup_titles,
    "lookupItems": lookup_items,
    "searchCatalog": search_catalog,
    "lookupLibraries": lookup_libraries,
    "lookupNewArrivals": lookup_new_arrivals,
    "ping": ping,
}
