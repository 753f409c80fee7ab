"""The downloads' GraphQL types: `Download` and the enums ExportFormat, SummaryFormat, SummaryContent.

The GraphQL enums mirror the plain ones of schema/downloads/formats.py (same values) that
tokens and renderers use; `domain` converts.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TypeVar

import strawberry

from schema.downloads import formats

D = TypeVar("D", formats.ExportFormat, formats.SummaryFormat, formats.SummaryContent)


@strawberry.enum
class ExportFormat(Enum):
    PDF = "PDF"
    CSV = "CSV"
    HTML = "HTML"
    RIS = "RIS"


@strawberry.enum
class SummaryFormat(Enum):
    PDF = "PDF"
    CSV = "CSV"
    TSV = "TSV"


@strawberry.enum
class SummaryContent(Enum):
    LOANS_AND_HOLDS = strawberry.enum_value("LOANS_AND_HOLDS", description="Physical loans and holds.")
    LOANS_AND_HOLDS_WITH_DIGITAL = strawberry.enum_value(
        "LOANS_AND_HOLDS_WITH_DIGITAL", description="Physical and digital loans, and holds."
    )
    OVERDUE_PHYSICAL_LOANS = strawberry.enum_value(
        "OVERDUE_PHYSICAL_LOANS", description="Only physical loans that are overdue."
    )


def domain(kind: type[D], value: Enum) -> D:
    """The plain enum member with the same value as a GraphQL enum member."""
    return kind(value.value)


@strawberry.type
class Download:
    url: str = strawberry.field(
        description="A short-lived link to GET the file; it works without the session cookie."
    )
    filename: str
    content_type: str
    expires_at: datetime
