"""Search preferences as GraphQL shows and takes them: `SearchPreferences`, its input and payload.

Owns the types and the merge of an input into the stored preferences (a list replaces
that kind of restriction, an empty list removes it, an absent or null field keeps it).
Never reads the store itself (loaders do) and never decides access.
"""

from __future__ import annotations

import strawberry

from adapters.ils import models
from adapters.store.port import CatalogueScope
from schema.catalogue.enums import CatalogueSource, DocumentType
from schema.payload import UserError
from schema.portal.scope import SearchScope


@strawberry.type(description="The scope a patron's searches use when they give none.")
class SearchPreferences:
    scope: SearchScope

    @classmethod
    def of(cls, scope: CatalogueScope) -> SearchPreferences:
        return cls(scope=SearchScope(scope=scope))


@strawberry.input
class SearchPreferencesInput:
    library_codes: list[strawberry.ID] | None = strawberry.field(
        default=None, description="An empty list removes that restriction."
    )
    document_types: list[DocumentType] | None = strawberry.field(
        default=None, description="An empty list removes that restriction."
    )
    sources: list[CatalogueSource] | None = strawberry.field(
        default=None, description="An empty list removes that restriction."
    )


@strawberry.type
class SearchPreferencesPayload:
    preferences: SearchPreferences | None
    errors: list[UserError]


def merged(current: CatalogueScope, change: SearchPreferencesInput) -> CatalogueScope:
    """`current` with each kind the input gives replaced (repeats dropped); the others kept."""
    codes = current.library_codes
    if change.library_codes is not None:
        codes = tuple(dict.fromkeys(str(code) for code in change.library_codes))
    kinds = current.document_types
    if change.document_types is not None:
        kinds = tuple(dict.fromkeys(models.DocumentType(kind.value) for kind in change.document_types))
    sources = current.sources
    if change.sources is not None:
        sources = tuple(dict.fromkeys(models.CatalogueSource(source.value) for source in change.sources))
    return CatalogueScope(library_codes=codes, document_types=kinds, sources=sources)
