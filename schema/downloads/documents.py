"""What a download shows, as domain values: the renderers' only input.

Owns the documents (a list of records; an account summary with one section per account)
and what every file states (the network, the patron, the day, the language). Built by
schema/downloads/assemble.py from the ILS's data once access is decided; never holds
anything the viewer may not see, and never formats text (the renderers do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from adapters.ils.models import Hold, Library, Loan, Title
from schema.downloads.formats import SummaryContent


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What every file says about itself."""

    network: str
    # Who the file is for (the viewer's name); None for an anonymous search.
    patron_name: str | None
    produced_on: date
    language: str


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """A record of a list, with the link to it."""

    title: Title
    url: str


@dataclass(frozen=True, slots=True)
class RecordList:
    """A page of search results (`heading` is the search text) or a basket (`heading` is its name)."""

    info: DocumentInfo
    is_basket: bool
    heading: str
    records: tuple[RecordEntry, ...]


@dataclass(frozen=True, slots=True)
class LoanLine:
    loan: Loan
    title: Title | None
    # The library of the copy on loan.
    library: Library | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class HoldLine:
    hold: Hold
    title: Title | None
    pickup_library: Library | None


@dataclass(frozen=True, slots=True)
class AccountSection:
    """One account of a summary: its card number, its holder's name, its loans and holds."""

    card_number: str
    name: str
    loans: tuple[LoanLine, ...]
    holds: tuple[HoldLine, ...]


@dataclass(frozen=True, slots=True)
class AccountSummary:
    info: DocumentInfo
    content: SummaryContent
    sections: tuple[AccountSection, ...]
