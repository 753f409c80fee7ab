"""The catalogue's GraphQL enums, value for value the domain enums of `adapters.ils.models`."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum
class ItemStatus(Enum):
    AVAILABLE = "AVAILABLE"
    CHECKED_OUT = "CHECKED_OUT"
    IN_TRANSIT = "IN_TRANSIT"
    ON_HOLD_SHELF = "ON_HOLD_SHELF"
    MISSING = "MISSING"
    IN_PROCESSING = "IN_PROCESSING"


@strawberry.enum
class DocumentType(Enum):
    BOOK = "BOOK"
    COMIC = "COMIC"
    DVD = "DVD"
    MUSIC_CD = "MUSIC_CD"
    MAGAZINE = "MAGAZINE"
    EBOOK = "EBOOK"
    AUDIOBOOK = "AUDIOBOOK"
    GAME = "GAME"
    SCORE = "SCORE"
    OTHER = "OTHER"


@strawberry.enum(
    description=(
        "Where a search looks: the physical collections, the digital library, or both (empty = both)."
    )
)
class CatalogueSource(Enum):
    PHYSICAL = "PHYSICAL"
    DIGITAL = "DIGITAL"


@strawberry.enum
class HoldBlock(Enum):
    AVAILABLE_ON_SHELF = strawberry.enum_value(
        "AVAILABLE_ON_SHELF", description="Only titles whose copies are all checked out may be reserved."
    )
    NO_COPIES = "NO_COPIES"
    DIGITAL_DOCUMENT = "DIGITAL_DOCUMENT"
    MAX_HOLDS_REACHED = "MAX_HOLDS_REACHED"
    ALREADY_HELD = "ALREADY_HELD"
    ALREADY_ON_LOAN = "ALREADY_ON_LOAN"
    PATRON_BLOCKED = "PATRON_BLOCKED"
    NOT_SIGNED_IN = "NOT_SIGNED_IN"
    INVALID_PICKUP_LIBRARY = "INVALID_PICKUP_LIBRARY"
    ILS_REFUSED = "ILS_REFUSED"
