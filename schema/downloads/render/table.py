"""Documents as tables of text: the rows every tabular format (CSV, TSV, PDF, HTML) writes.

Owns which columns each document has, in which order, and how each value reads (labels in
the file's language, dates by a given formatter). One row per record, loan or hold. Pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from adapters.ils.models import HoldStatus, Title
from schema.downloads.documents import AccountSection, AccountSummary, HoldLine, LoanLine, RecordList
from schema.downloads.render.labels import Labels

DateText = Callable[[date], str]


@dataclass(frozen=True, slots=True)
class Table:
    """A caption, the column names and the rows (as many cells as columns); `links` per row, if any."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # The URL each row's first cell links to (HTML), or None.
    links: tuple[str, ...] | None = None


def iso_day(value: date) -> str:
    """Dates in data files: ISO 8601, which every spreadsheet reads as a date."""
    return value.isoformat()


def _authors(title: Title | None) -> str:
    return "; ".join(title.authors) if title else ""


def record_table(document: RecordList, labels: Labels, *, with_links: bool = True) -> Table:
    """One row per record: title, authors, year, type, ISBN, publisher (and the link)."""
    columns = [
        labels("col_title"),
        labels("col_authors"),
        labels("col_year"),
        labels("col_type"),
        labels("col_isbn"),
        labels("col_publisher"),
    ]
    if with_links:
        columns.append(labels("col_link"))
    rows = []
    for entry in document.records:
        title = entry.title
        row = [
            title.title,
            _authors(title),
            "" if title.publication_year is None else str(title.publication_year),
            labels.document_type(title.document_type),
            title.isbn or "",
            title.publisher or "",
        ]
        if with_links:
            row.append(entry.url)
        rows.append(tuple(row))
    return Table(
        caption=list_heading(document, labels),
        columns=tuple(columns),
        rows=tuple(rows),
        links=tuple(entry.url for entry in document.records),
    )


def list_heading(document: RecordList, labels: Labels) -> str:
    """ "Panier « … »" or "Résultats de recherche : « … »"."""
    if document.is_basket:
        return labels("basket_title", name=document.heading)
    return labels("search_title", text=document.heading)


def summary_columns(labels: Labels) -> tuple[str, ...]:
    """The columns of one account's lines."""
    return (
        labels("col_kind"),
        labels("col_title"),
        labels("col_authors"),
        labels("col_type"),
        labels("col_library"),
        labels("col_date"),
        labels("col_status"),
        labels("col_renewals"),
    )


def _loan_row(line: LoanLine, labels: Labels, day: DateText) -> tuple[str, ...]:
    loan, title = line.loan, line.title
    return (
        labels.loan_type(loan.loan_type),
        title.title if title else "",
        _authors(title),
        labels.document_type(title.document_type) if title else "",
        line.library.name if line.library else "",
        day(loan.due_date),
        labels("overdue") if line.overdue else "",
        "" if loan.renewal_count is None else str(loan.renewal_count),
    )


def _hold_row(line: HoldLine, labels: Labels, day: DateText) -> tuple[str, ...]:
    hold, title = line.hold, line.title
    status = labels.hold_status(hold.status)
    if hold.status is HoldStatus.WAITING and hold.queue_position is not None:
        status = labels("queue", position=hold.queue_position)
    return (
        labels.hold(),
        title.title if title else "",
        _authors(title),
        labels.document_type(title.document_type) if title else "",
        line.pickup_library.name if line.pickup_library else "",
        "" if hold.pickup_deadline is None else day(hold.pickup_deadline),
        status,
        "",
    )


def section_rows(section: AccountSection, labels: Labels, day: DateText) -> tuple[tuple[str, ...], ...]:
    """One row per loan, then one per hold, of one account."""
    loans = (_loan_row(line, labels, day) for line in section.loans)
    holds = (_hold_row(line, labels, day) for line in section.holds)
    return (*loans, *holds)


def section_table(section: AccountSection, labels: Labels, day: DateText) -> Table:
    """One account's lines under its heading (PDF and HTML: one table per account)."""
    return Table(
        caption=labels("account_heading", name=section.name, card=section.card_number),
        columns=summary_columns(labels),
        rows=section_rows(section, labels, day),
    )


def summary_table(document: AccountSummary, labels: Labels) -> Table:
    """Every account's lines in one table, each row naming its account (CSV and TSV)."""
    rows = tuple(
        (section.card_number, section.name, *row)
        for section in document.sections
        for row in section_rows(section, labels, iso_day)
    )
    return Table(
        caption=labels("summary_title"),
        columns=(labels("col_card"), labels("col_patron"), *summary_columns(labels)),
        rows=rows,
    )
