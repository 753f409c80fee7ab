"""The per-request DataLoaders, one named field per kind of object.

Owns their assembly: `create_loaders` must run inside the running event loop,
once per request (a loader caches for the life of the request only). Each loader
makes one batch call into the ILS port per tick, answers in key order, and lets
one failing key fail alone. Cross-request caching of reference data lives in
`schema.cache`; circulation data is never cached across requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from aiodataloader import DataLoader

from adapters.ils.models import Account, Item, Library, Title
from adapters.ils.port import IlsPort
from schema.cache import MemoryReferenceCache, ReferenceCache
from schema.catalogue.loaders import (
    LibraryDirectory,
    load_items_by_id,
    load_libraries_by_code,
    load_titles_by_id,
)
from schema.patrons.loaders import load_accounts_by_patron_id
from schema.sharing.loaders import ShareDirectory


@dataclass(frozen=True, slots=True)
class Loaders:
    accounts: DataLoader[str, Account | None]
    items: DataLoader[str, Item | None]
    titles: DataLoader[str, Title | None]
    libraries: DataLoader[str, Library | None]
    library_directory: LibraryDirectory
    shares: ShareDirectory


def create_loaders(ils: IlsPort, caches: ReferenceCache | None = None) -> Loaders:
    """Fresh loaders for one request; `caches` is the process-wide reference cache (a private one if None)."""
    cache = caches if caches is not None else MemoryReferenceCache()
    directory = LibraryDirectory(ils, cache)
    return Loaders(
        accounts=DataLoader(partial(load_accounts_by_patron_id, ils)),
        items=DataLoader(partial(load_items_by_id, ils)),
        titles=DataLoader(partial(load_titles_by_id, ils, cache)),
        libraries=DataLoader(partial(load_libraries_by_code, directory)),
        library_directory=directory,
        shares=ShareDirectory(),
    )
