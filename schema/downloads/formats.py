"""The formats and contents a download can have, and what each format's file is called and typed.

Plain enums (the GraphQL enums of schema/downloads/types.py are these same classes), so the
tokens, the renderers and the route share them without importing Strawberry.
"""

from __future__ import annotations

from enum import Enum


class ExportFormat(Enum):
    """Formats of a list of records (a page of search results, a basket)."""

    PDF = "PDF"
    CSV = "CSV"
    HTML = "HTML"
    RIS = "RIS"


class SummaryFormat(Enum):
    """Formats of an account summary."""

    PDF = "PDF"
    CSV = "CSV"
    TSV = "TSV"


class SummaryContent(Enum):
    """What an account summary lists."""

    LOANS_AND_HOLDS = "LOANS_AND_HOLDS"
    LOANS_AND_HOLDS_WITH_DIGITAL = "LOANS_AND_HOLDS_WITH_DIGITAL"
    OVERDUE_PHYSICAL_LOANS = "OVERDUE_PHYSICAL_LOANS"


# Media type and file extension of each format (by value: both enums share PDF and CSV).
_FILE_TYPES: dict[str, tuple[str, str]] = {
    "PDF": ("application/pdf", "pdf"),
    "CSV": ("text/csv; charset=utf-8", "csv"),
    "TSV": ("text/tab-separated-values; charset=utf-8", "tsv"),
    "HTML": ("text/html; charset=utf-8", "html"),
    # The de facto type of RIS files (Zotero and reference managers open it).
    "RIS": ("application/x-research-info-systems", "ris"),
}


def content_type(format: ExportFormat | SummaryFormat) -> str:
    """The Content-Type of a file in this format."""
    return _FILE_TYPES[format.value][0]


def extension(format: ExportFormat | SummaryFormat) -> str:
    """The file-name extension of this format, without the dot."""
    return _FILE_TYPES[format.value][1]
