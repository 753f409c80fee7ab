"""Cursor pagination of catalogue search results: RecordConnection, RecordEdge, PageInfo and the cursors.

A cursor is an opaque token for a position in the ILS's result list. Never
trusts a cursor: a malformed one is BAD_USER_INPUT, not a crash.
"""

from __future__ import annotations

import base64
import binascii

import strawberry

from adapters.ils.models import SearchQuery, SearchResult
from schema.catalogue.types import Record
from schema.downloads.search_export import export_search_page
from schema.downloads.types import Download
from schema.errors import BadUserInput

_PREFIX = "offset:"
MAX_PAGE_SIZE = 100
# Deeper than any person pages; bounds what a forged cursor can ask of the ILS (whose offset
# is a nonNegativeInteger that SQL cannot hold beyond 2**63 - 1).
MAX_OFFSET = 100_000
# A cursor we issued is a few dozen characters; a longer one is forged.
_MAX_CURSOR_LENGTH = 64


def encode_cursor(offset: int) -> str:
    """The cursor that points just after the result at position `offset` (0-based)."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The offset of the first result after `cursor` (0 without one)."""
    if not cursor:
        return 0
    if len(cursor) > _MAX_CURSOR_LENGTH:
        raise BadUserInput("INVALID_CURSOR")
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise BadUserInput("INVALID_CURSOR") from error
    number = text.removeprefix(_PREFIX)
    # ASCII digits only: str.isdigit() also accepts "²" or "٣", which int() refuses or reads.
    if not text.startswith(_PREFIX) or not (number.isascii() and number.isdigit()):
        raise BadUserInput("INVALID_CURSOR")
    offset = int(number) + 1
    if offset > MAX_OFFSET:
        raise BadUserInput("INVALID_CURSOR")
    return offset


def check_page_size(first: int) -> int:
    """`first` between 1 and MAX_PAGE_SIZE, else BAD_USER_INPUT."""
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise BadUserInput("INVALID_PAGE_SIZE", maximum=MAX_PAGE_SIZE)
    return first


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class RecordEdge:
    cursor: str
    node: Record


@strawberry.type
class RecordConnection:
    # The search as it ran (effective scope, offset, limit): what an export runs again.
    query: strawberry.Private[SearchQuery]
    total_count: int
    edges: list[RecordEdge]
    page_info: PageInfo
    export: Download = strawberry.field(
        resolver=export_search_page, description="A download of this page of results."
    )

    @classmethod
    def from_result(cls, result: SearchResult, query: SearchQuery) -> RecordConnection:
        """The page of `result` that `query` asked for (its offset places the cursors)."""
        offset = query.offset
        edges = [
            RecordEdge(cursor=encode_cursor(offset + index), node=Record.of(title))
            for index, title in enumerate(result.titles)
        ]
        return cls(
            query=query,
            total_count=result.total,
            edges=edges,
            page_info=PageInfo(
                # Never promise a page whose cursor decode_cursor would refuse.
                has_next_page=offset + len(edges) < min(result.total, MAX_OFFSET + 1),
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
