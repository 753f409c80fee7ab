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
from schema.ready import when_ready


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
    def known(cls, code: str) -> Library:
        """A library answered from a code its parent carries: only `code` may be read (the caller
        checked the selection against known.LIBRARY_BY_CODE). The other attributes are absent, so
        reading one is an error, never a wrong value."""
        library = object.__new__(cls)
        library.code = strawberry.ID(code)
        return library

    @classmethod
    async def resolve_reference(cls, info: Info, code: strawberry.ID) -> Library | None:
        """Federation entity reference: libraries are public."""
        return await load_library(info, str(code))


async def load_library(info: Info, code: str) -> Library | None:
    """The library with this code, or None."""
    library = await info.context.loaders.libraries.load(code)
    return None if library is None else Library.from_domain(library)


def library_found(library: models.Library | None) -> Library:
    """The Library type of a loaded library; NOT_FOUND when the ILS did not know it."""
    if library is None:
        raise NotFound()
    return Library.from_domain(library)


def record_found(title: models.Title | None) -> Record:
    """The Record type of a loaded title; NOT_FOUND when the ILS did not know it."""
    if title is None:
        raise NotFound()
    return Record.of(title)


def require_library(info: Info, code: str) -> Library:
    """The library with this code (synchronously once loaded, see schema/ready.py); NOT_FOUND if unknown."""
    return when_ready(info.context.loaders.libraries.load(code), library_found)


def require_record(info: Info, title_id: str) -> Record:
    """The record with this id (synchronously once loaded, see schema/ready.py); NOT_FOUND if unknown."""
    return when_ready(info.context.loaders.titles.load(title_id), record_found)


async def load_items(info: Info, item_ids: tuple[str, ...]) -> list[models.Item]:
    """The known items among `item_ids`, in order."""
    return [item for item in await info.context.loaders.items.load_many(item_ids) if item is not None]


def _item_record(root: Item, info: Info) -> Record:
    if root.record_known:
        return Record.known(root.title_id)
    return require_record(info, root.title_id)


def _item_library(root: Item, info: Info) -> Library:
    if root.library_known:
        return Library.known(root.item.library_code)
    return require_library(info, root.item.library_code)


@strawberry.type
class Item:
    # Plain attributes, not resolvers: Strawberry resolves them without per-field overhead.
    item: strawberry.Private[models.Item]
    title_id: strawberry.Private[str]
    # The selection asks only `record { id }` / `library { code }`: answered from the
    # item's own ids, no look-up (schema/known.py).
    record_known: strawberry.Private[bool]
    library_known: strawberry.Private[bool]
    id: strawberry.ID = strawberry.field(description="Item barcode.")
    record: Record = strawberry.field(resolver=_item_record)
    library: Library = strawberry.field(resolver=_item_library)
    call_number: str | None
    status: ItemStatus
    due_date: date | None = strawberry.field(description="Due date while CHECKED_OUT.")
    hold_queue_length: int

    @classmethod
    def of(cls, item: models.Item, *, record_known: bool = False, library_known: bool = False) -> Item:
        return cls(
            item=item,
            title_id=item.title_id,
            record_known=record_known,
            library_known=library_known,
            id=strawberry.ID(item.id),
            call_number=item.call_number,
            status=ItemStatus(item.status.value),
            due_date=item.due_date,
            hold_queue_length=item.hold_queue_length,
        )

    @classmethod
    def known(cls, item_id: str, title_id: str) -> Item:
        """A copy answered from a loan's or hold's ids: only `id` and `record { id }` may be read
        (the caller checked the selection against known.ITEM_BY_IDS). The other attributes are
        absent, so reading one is an error, never a wrong value."""
        item = object.__new__(cls)
        item.id, item.title_id, item.record_known = strawberry.ID(item_id), title_id, True
        return item


@strawberry.type
class Holdability:
    holdable: bool
    reasons: list[HoldBlock]


@strawberry.type
class Record:
    # Plain attributes, not resolvers: Strawberry resolves them without per-field overhead.
    data: strawberry.Private[models.Title]
    id: strawberry.ID
    title: str
    authors: list[str]
    publication_year: int | None
    document_type: DocumentType
    isbn: str | None
    publisher: str | None
    is_digital: bool

    @classmethod
    def of(cls, title: models.Title) -> Record:
        return cls(
            data=title,
            id=strawberry.ID(title.id),
            title=title.title,
            authors=list(title.authors),
            publication_year=title.publication_year,
            document_type=DocumentType(title.document_type.value),
            isbn=title.isbn,
            publisher=title.publisher,
            is_digital=title.is_digital,
        )

    @classmethod
    def known(cls, title_id: str) -> Record:
        """A record answered from an id its parent carries: only `id` may be read (the caller
        checked the selection against known.RECORD_BY_ID). The other attributes are absent, so
        reading one is an error, never a wrong value."""
        record = object.__new__(cls)
        record.id = strawberry.ID(title_id)
        return record

    @described("Where to find it: every copy with its library and status.")
    async def items(self, info: Info) -> list[Item]:
        return [Item.of(item) for item in await load_items(info, self.data.item_ids)]

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
