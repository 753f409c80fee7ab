"""Where a catalogue search looks: the `scope` argument, the viewer's preferences, the port's query.

Owns the choice of scope for one search (an explicit `scope` argument, even empty or null,
replaces the signed-in viewer's search preferences; without it the preferences apply) and
the translation into the port's `SearchQuery`. Never validates library codes against the
ILS (an unknown code simply finds nothing); refuses only what the ILS's search cannot take.
"""

from __future__ import annotations

import strawberry

from adapters.ils import models
from adapters.store.port import CatalogueScope
from schema.catalogue.enums import CatalogueSource, DocumentType
from schema.context import Info
from schema.errors import BadUserInput
from schema.inputs import is_plausible_id, is_sendable_text

# The ILS's searchCatalog takes at most 50 library codes (the network has nine libraries).
MAX_SCOPE_LIBRARIES = 50

EVERYWHERE = CatalogueScope()


@strawberry.input
class SearchScopeInput:
    library_codes: list[strawberry.ID] | None = None
    document_types: list[DocumentType] | None = None
    sources: list[CatalogueSource] | None = None


def scope_of(given: SearchScopeInput | None) -> CatalogueScope:
    """The scope an explicit argument describes (None or empty lists: no restriction), repeats dropped."""
    if given is None or given is strawberry.UNSET:
        return EVERYWHERE
    # Repeats change nothing in a scope, but count against the ILS's limits: drop them.
    return CatalogueScope(
        library_codes=tuple(dict.fromkeys(str(code) for code in given.library_codes or ())),
        document_types=tuple(dict.fromkeys(models.DocumentType(k.value) for k in given.document_types or ())),
        sources=tuple(dict.fromkeys(models.CatalogueSource(s.value) for s in given.sources or ())),
    )


async def scope_for_search(info: Info, given: SearchScopeInput | None) -> CatalogueScope:
    """The explicit scope when the argument is present (even null or empty), else the viewer's preferences."""
    if given is not strawberry.UNSET:
        return scope_of(given)
    viewer = info.context.viewer
    if viewer is None or viewer.patron_id is None:
        return EVERYWHERE
    preferences = await info.context.loaders.search_preferences.load(viewer.patron_id)
    return preferences or EVERYWHERE


def search_query(text: str, scope: CatalogueScope, offset: int, limit: int) -> models.SearchQuery:
    """The port's SearchQuery for a text and a scope.

    BAD_USER_INPUT for what the ILS's search cannot take: a text too long or with control
    characters, more than MAX_SCOPE_LIBRARIES library codes, or a code no library can have.
    """
    if not is_sendable_text(text) or len(scope.library_codes) > MAX_SCOPE_LIBRARIES:
        raise BadUserInput("INVALID_SEARCH")
    if not all(is_plausible_id(code) for code in scope.library_codes):
        raise BadUserInput("INVALID_SEARCH")
    return models.SearchQuery(
        text=text,
        library_codes=scope.library_codes,
        document_types=scope.document_types,
        sources=scope.sources,
        offset=offset,
        limit=limit,
    )
