"""The catalogue's GraphQL enums: the domain enums of `adapters.ils.models`, and the hold refusals."""

from __future__ import annotations

from enum import Enum

import strawberry

from adapters.ils.models import CatalogueSource, DocumentType, ItemStatus

# The domain enums are served as they are: registering them gives them their GraphQL definition.
strawberry.enum(ItemStatus)
strawberry.enum(DocumentType)
strawberry.enum(
    CatalogueSource,
    description=(
        "Where a search looks: the physical collections, the digital library, or both (empty = both)."
    ),
)


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


__all__ = ["CatalogueSource", "DocumentType", "HoldBlock", "ItemStatus"]
