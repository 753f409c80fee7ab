"""The catalogue's queries: search (with scope and cursor pagination), record, libraries, library.

Search results prime the per-request titles loader so a page's records are not
fetched twice. Without a `scope`, search covers the whole catalogue until
search preferences exist; an explicit scope, even empty, is used as given.
"""

from __future__ import annotations

import strawberry

from adapters.ils import models
from schema.catalogue.enums import CatalogueSource, DocumentType
from schema.catalogue.pagination import RecordConnection, check_page_size, decode_cursor
from schema.catalogue.types import Library, Record, load_library
from schema.context import Info
from schema.errors import BadUserInput
from schema.fields import described
from schema.inputs import is_plausible_id, is_sendable_text

# The ILS's searchCatalog takes at most 50 library codes (the network has nine libraries).
MAX_SCOPE_LIBRARIES = 50


@strawberry.input
class SearchScopeInput:
    library_codes: list[strawberry.ID] | None = None
    document_types: list[DocumentType] | None = None
    sources: list[CatalogueSource] | None = None


def search_query(text: str, scope: SearchScopeInput | None, offset: int, limit: int) -> models.SearchQuery:
    """The port's SearchQuery for a text and an explicit scope (None or empty lists: no restriction).

    BAD_USER_INPUT for what the ILS's search cannot take: a text too long or with control
    characters, more than MAX_SCOPE_LIBRARIES library codes, or a code no library can have.
    """
    # UNSET (argument not given) is falsy, like None.
    scope = scope or SearchScopeInput()
    # Repeats change nothing in a scope, but count against the ILS's limits: drop them.
    codes = tuple(dict.fromkeys(str(code) for code in scope.library_codes or ()))
    kinds = dict.fromkeys(scope.document_types or ())
    sources = dict.fromkeys(scope.sources or ())
    if not is_sendable_text(text) or len(codes) > MAX_SCOPE_LIBRARIES:
        raise BadUserInput("INVALID_SEARCH")
    if not all(is_plausible_id(code) for code in codes):
        raise BadUserInput("INVALID_SEARCH")
    return models.SearchQuery(
        text=text,
        library_codes=codes,
        document_types=tuple(models.DocumentType(kind.value) for kind in kinds),
        sources=tuple(models.CatalogueSource(source.value) for source in sources),
        offset=offset,
        limit=limit,
    )


@strawberry.type
class CatalogueQuery:
    @described(
        "Catalogue search. Without `scope`, the signed-in viewer's search preferences\n"
        "apply; anonymous searches see the whole catalogue."
    )
    async def search(
        self,
        info: Info,
        query: str,
        scope: SearchScopeInput | None = strawberry.UNSET,
        first: int | None = 20,
        after: str | None = strawberry.UNSET,
    ) -> RecordConnection:
        limit = check_page_size(20 if first is None else first)
        offset = decode_cursor(after)
        result = await info.context.ils.search(search_query(query, scope, offset, limit))
        for title in result.titles:
            info.context.loaders.titles.prime(title.id, title)
        return RecordConnection.from_result(result, offset)

    @strawberry.field
    async def record(self, info: Info, id: strawberry.ID) -> Record | None:
        title = await info.context.loaders.titles.load(str(id))
        return None if title is None else Record.of(title)

    @strawberry.field
    async def libraries(self, info: Info) -> list[Library]:
        return [
            Library.from_domain(library) for library in await info.context.loaders.library_directory.all()
        ]

    @strawberry.field
    async def library(self, info: Info, code: strawberry.ID) -> Library | None:
        return await load_library(info, str(code))
