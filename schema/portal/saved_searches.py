"""`SavedSearch` as GraphQL shows it (and re-runs it), its payload, and what its mutations share.

Owns the type (a stored `adapters.store.port.SavedSearch` kept as `saved`) and `results`,
which runs the search again now with the same cursor pagination as `Query.search`
(schema/catalogue/pagination.py). Never reads the store itself (loaders do).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import strawberry

from adapters.store import port
from schema.catalogue.pagination import RecordConnection, check_page_size, decode_cursor
from schema.catalogue.queries import run_search
from schema.catalogue.scope import search_query
from schema.context import Info
from schema.fields import described
from schema.payload import UserError, user_error
from schema.portal.rules import MAX_SAVED_SEARCHES, saved_search_refusal
from schema.portal.scope import SearchScope

_FIELDS = {"SAVED_SEARCH_NOT_FOUND": ["savedSearchId"], "SAVED_SEARCH_NAME_TAKEN": ["name"]}


@strawberry.type(description="A search the patron kept: its text and scope, to run again at will.")
class SavedSearch:
    saved: strawberry.Private[port.SavedSearch]
    id: strawberry.ID
    name: str
    query: str
    created_at: datetime

    @classmethod
    def of(cls, saved: port.SavedSearch) -> SavedSearch:
        return cls(
            saved=saved,
            id=strawberry.ID(saved.id),
            name=saved.name,
            query=saved.query,
            created_at=saved.created_at,
        )

    @described("The scope the search runs with (kept with it: later changes of preferences do not alter it).")
    def scope(self) -> SearchScope:
        return SearchScope(scope=self.saved.scope)

    @described("Runs the search again, now.")
    async def results(
        self, info: Info, first: int | None = 20, after: str | None = strawberry.UNSET
    ) -> RecordConnection:
        limit = check_page_size(20 if first is None else first)
        offset = decode_cursor(after)
        return await run_search(info, search_query(self.saved.query, self.saved.scope, offset, limit), offset)


@strawberry.type
class SavedSearchPayload:
    saved_search: SavedSearch | None
    errors: list[UserError]


def refused(
    info: Info, code: str, field: Sequence[str] | None = None, **params: object
) -> SavedSearchPayload:
    """A payload with one UserError and no saved search (nothing was changed)."""
    return SavedSearchPayload(
        saved_search=None, errors=[user_error(code, info.context.language, field, **params)]
    )


def answer(
    info: Info, patron_id: str, result: port.SavedSearch | port.PortalRefusal, name: str
) -> SavedSearchPayload:
    """The payload of the store's answer; the patron's saved searches are read again by later fields."""
    if isinstance(result, port.PortalRefusal):
        code = saved_search_refusal(result)
        return refused(info, code, _FIELDS.get(code), name=name, maximum=MAX_SAVED_SEARCHES)
    info.context.loaders.saved_searches.clear(patron_id)
    return SavedSearchPayload(saved_search=SavedSearch.of(result), errors=[])
