"""Cursor pagination of catalogue search results: RecordConnection, RecordEdge, PageInfo and the cursors.

A cursor is an opaque token for a position in the ILS's result list. Never
trusts a cursor: a malformed one is BAD_USER_INPUT, not a crash.
"""

from __future__ import annotations

import base64
import binascii

import strawberry

from adapters.ils.models import SearchResult
from schema.catalogue.types import Record
from schema.errors import BadUserInput

_PREFIX = "offset:"
MAX_PAGE_SIZE = 100


def encode_cursor(offset: int) -> str:
    """The cursor that points just after the result at position `offset` (0-based)."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The offset of the first result after `cursor` (0 without one)."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise BadUserInput("INVALID_CURSOR") from error
    number = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not number.isdigit():
        raise BadUserInput("INVALID_CURSOR")
    return int(number) + 1


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
    total_count: int
    edges: list[RecordEdge]
    page_info: PageInfo

    @classmethod
    def from_result(cls, result: SearchResult, offset: int) -> RecordConnection:
        edges = [
            RecordEdge(cursor=encode_cursor(offset + index), node=Record.of(title))
            for index, title in enumerate(result.titles)
        ]
        return cls(
            total_count=result.total,
            edges=edges,
            page_info=PageInfo(
                has_next_page=offset + len(edges) < result.total,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
