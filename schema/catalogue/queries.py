"""The catalogue's queries: search (with scope and cursor pagination), record, libraries, library.

Search results prime the per-request titles loader so a page's records are not
fetched twice. Without a `scope` argument the signed-in viewer's search preferences
apply; an explicit scope, even empty or null, is used as given (schema/catalogue/scope.py).
"""

from __future__ import annotations

import strawberry

from adapters.ils import models
from schema.catalogue.pagination import RecordConnection, check_page_size, decode_cursor
from schema.catalogue.scope import SearchScopeInput, scope_for_search, search_query
from schema.catalogue.types import Library, Record, load_library
from schema.context import Info
from schema.fields import described

__all__ = ["CatalogueQuery", "SearchScopeInput", "run_search"]


async def run_search(info: Info, query: models.SearchQuery, offset: int) -> RecordConnection:
    """One page of results from the ILS; its records prime the titles loader (not fetched again)."""
    result = await info.context.ils.search(query)
    for title in result.titles:
        info.context.loaders.titles.prime(title.id, title)
    return RecordConnection.from_result(result, query)


@strawberry.type
class CatalogueQuery:
    @described(
        "Catalogue search. Without `scope`, the signed-in viewer's search preferences\n"
        "apply; anonymous searches see the whole catalogue. An explicit `scope`, even\n"
        "`{}` or null, replaces the preferences for this search (so a page can offer\n"
        '"search everywhere"); within it, an absent or empty list places no restriction.'
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
        where = await scope_for_search(info, scope)
        return await run_search(info, search_query(query, where, offset, limit), offset)

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
