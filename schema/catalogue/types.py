"""The catalogue's GraphQL types: Library (a federation entity), Item, Record and its holdability.

Every field that needs data asks a loader; holdability asks the portal rules.
Catalogue data is public: no field here reveals a patron's data except
`Record.holdability`, which is computed for the viewer alone.
"""

from __future__ import annotations

from datetime import date

import strawberry

from adapters.ils import models
from schema.catalogue.enums import DocumentType, HoldBlock, ItemStatus
from schema.circulation.rules import holdability
from schema.context import Info
from schema.errors import NotFound
from schema.fields import described


@strawberry.federation.type(keys=["code"])
class Library:
    code: strawberry.ID
    name: str
    address: str | None
    accepts_pickup: bool

    @classmethod
    def from_domain(cls, library: models.Library) -> Library:
        return cls(
            code=strawberry.ID(library.code),
            name=library.name,
            address=library.address,
            accepts_pickup=library.accepts_pickup,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, code: strawberry.ID) -> Library | None:
        """Federation entity reference: libraries are public."""
        return await load_library(info, str(code))


async def load_library(info: Info, code: str) -> Library | None:
    """The library with this code, or None."""
    library = await info.context.loaders.libraries.load(code)
    return None if library is None else Library.from_domain(library)


async def require_library(info: Info, code: str) -> Library:
    """The library with this code; NOT_FOUND when the ILS does not know it."""
    library = await load_library(info, code)
    if library is None:
        raise NotFound()
    return library


async def require_record(info: Info, title_id: str) -> Record:
    """The record with this id; NOT_FOUND when the ILS does not know it."""
    title = await info.context.loaders.titles.load(title_id)
    if title is None:
        raise NotFound()
    return Record(data=title)


async def load_items(info: Info, item_ids: tuple[str, ...]) -> list[models.Item]:
    """The known items among `item_ids`, in order."""
    return [item for item in await info.context.loaders.items.load_many(item_ids) if item is not None]


@strawberry.type
class Item:
    item: strawberry.Private[models.Item]

    @described("Item barcode.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.item.id)

    @strawberry.field
    async def record(self, info: Info) -> Record:
        return await require_record(info, self.item.title_id)

    @strawberry.field
    async def library(self, info: Info) -> Library:
        return await require_library(info, self.item.library_code)

    @strawberry.field
    def call_number(self) -> str | None:
        return self.item.call_number

    @strawberry.field
    def status(self) -> ItemStatus:
        return ItemStatus(self.item.status.value)

    @described("Due date while CHECKED_OUT.")
    def due_date(self) -> date | None:
        return self.item.due_date

    @strawberry.field
    def hold_queue_length(self) -> int:
        return self.item.hold_queue_length


@strawberry.type
class Holdability:
    holdable: bool
    reasons: list[HoldBlock]


@strawberry.type
class Record:
    data: strawberry.Private[models.Title]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.data.id)

    @strawberry.field
    def title(self) -> str:
        return self.data.title

    @strawberry.field
    def authors(self) -> list[str]:
        return list(self.data.authors)

    @strawberry.field
    def publication_year(self) -> int | None:
        return self.data.publication_year

    @strawberry.field
    def document_type(self) -> DocumentType:
        return DocumentType(self.data.document_type.value)

    @strawberry.field
    def isbn(self) -> str | None:
        return self.data.isbn

    @strawberry.field
    def publisher(self) -> str | None:
        return self.data.publisher

    @strawberry.field
    def is_digital(self) -> bool:
        return self.data.is_digital

    @described("Where to find it: every copy with its library and status.")
    async def items(self, info: Info) -> list[Item]:
        return [Item(item=item) for item in await load_items(info, self.data.item_ids)]

    @strawberry.field
    async def available_count(self, info: Info) -> int:
        items = await load_items(info, self.data.item_ids)
        return sum(1 for item in items if item.status is models.ItemStatus.AVAILABLE)

    @described("Whether the viewer could reserve it now, and if not, every reason why not.")
    async def holdability(self, info: Info) -> Holdability:
        items = await load_items(info, self.data.item_ids)
        viewer = info.context.viewer
        account = None
        if viewer is not None and viewer.patron_id is not None:
            account = await info.context.loaders.accounts.load(viewer.patron_id)
        decision = holdability(
            self.data,
            items,
            account.patron if account else None,
            account.holds if account else (),
            account.loans if account else (),
            None,
            info.context.today,
        )
        return Holdability(
            holdable=decision.allowed, reasons=[HoldBlock(reason.value) for reason in decision.reasons]
        )
