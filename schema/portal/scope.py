"""`SearchScope`, a stored scope as GraphQL shows it, and the check of library codes a patron gives.

Owns reading a `CatalogueScope` back (libraries resolved through the libraries loader) and
naming the codes no library of the network has. Never decides whether a search uses a
scope (schema/catalogue/scope.py does).
"""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from adapters.store.port import CatalogueScope
from schema.catalogue.enums import CatalogueSource, DocumentType
from schema.catalogue.types import Library
from schema.context import Info


@strawberry.type(description="Where a search looks: an empty list places no restriction of that kind.")
class SearchScope:
    scope: strawberry.Private[CatalogueScope]

    @strawberry.field
    async def libraries(self, info: Info) -> list[Library]:
        # A library the network no longer has is left out rather than failing the field.
        found = await info.context.loaders.libraries.load_many(list(self.scope.library_codes))
        return [Library.from_domain(library) for library in found if library is not None]

    @strawberry.field
    def document_types(self) -> list[DocumentType]:
        return [DocumentType(kind.value) for kind in self.scope.document_types]

    @strawberry.field
    def sources(self) -> list[CatalogueSource]:
        return [CatalogueSource(source.value) for source in self.scope.sources]


async def unknown_library_codes(info: Info, codes: Sequence[str]) -> list[str]:
    """The codes among `codes` that no library of the network has, in their order."""
    if not codes:
        return []
    known = {library.code for library in await info.context.loaders.library_directory.all()}
    return [code for code in codes if code not in known]
