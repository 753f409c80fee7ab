"""The per-request DataLoaders, one named field per kind of object.

Owns their assembly: `create_loaders` must run inside the running event loop,
once per request (a loader caches for the life of the request only). Each loader
makes one batch call into the ILS port (or one query into the portal store) per tick,
answers in key order, and lets one failing key fail alone. Cross-request caching of reference data lives in
`schema.cache`; circulation data is never cached across requests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from aiodataloader import DataLoader

from adapters.ils.models import Account, AccountParts, Item, Library, Title
from adapters.ils.port import IlsPort
from adapters.store.port import AlertSubscription, Basket, CatalogueScope, PortalStore, SavedSearch
from schema.cache import MemoryReferenceCache, ReferenceCache
from schema.catalogue.loaders import (
    LibraryDirectory,
    load_items_by_id,
    load_libraries_by_code,
    load_titles_by_id,
)
from schema.inputs import is_plausible_id
from schema.patrons.loaders import ACCOUNT_PARTS, WITH_FEES, load_accounts_by_patron_id
from schema.portal.loaders import (
    load_alert_subscriptions,
    load_baskets,
    load_saved_searches,
    load_search_preferences,
)
from schema.sharing.loaders import ShareDirectory

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Loaders:
    accounts: DataLoader[str, Account | None]
    # The same accounts with their fees (asked of the ILS only when `Patron.feesOwed` is selected);
    # what it loads also answers `accounts`, and clearing `accounts` clears it.
    accounts_with_fees: DataLoader[str, Account | None]
    items: DataLoader[str, Item | None]
    titles: DataLoader[str, Title | None]
    libraries: DataLoader[str, Library | None]
    library_directory: LibraryDirectory
    shares: ShareDirectory
    search_preferences: DataLoader[str, CatalogueScope | None]
    baskets: DataLoader[str, list[Basket]]
    saved_searches: DataLoader[str, list[SavedSearch]]
    alert_subscriptions: DataLoader[str, list[AlertSubscription]]


def create_loaders(ils: IlsPort, store: PortalStore, caches: ReferenceCache | None = None) -> Loaders:
    """Fresh loaders for one request over the ILS and the portal store.

    `caches` is the process-wide reference cache (a private one if None).
    """
    cache = caches if caches is not None else MemoryReferenceCache()
    directory = LibraryDirectory(ils, cache)
    items: DataLoader[str, Item | None] = DataLoader(_plausible_only(partial(load_items_by_id, ils)))
    titles: DataLoader[str, Title | None] = DataLoader(
        _plausible_only(partial(load_titles_by_id, ils, cache))
    )

    accounts: DataLoader[str, Account | None]

    async def load_accounts(
        patron_ids: list[str], parts: AccountParts = ACCOUNT_PARTS
    ) -> list[Account | None]:
        found = await _plausible_only(partial(load_accounts_by_patron_id, ils, parts=parts))(patron_ids)
        # Copies and records the ILS described with an account (SIP2 alone: its 18 answers)
        # answer the item and record loaders of this request: no second round trip for them.
        for patron_id, account in zip(patron_ids, found, strict=True):
            for item in account.items if account else ():
                items.prime(item.id, item)
            for title in account.titles if account else ():
                titles.prime(title.id, title)
            if parts.fees:
                accounts.prime(patron_id, account)  # an account with its fees is the account too
        return found

    with_fees: DataLoader[str, Account | None] = DataLoader(partial(load_accounts, parts=WITH_FEES))
    accounts = _AccountLoader(load_accounts, with_fees)
    return Loaders(
        accounts=accounts,
        accounts_with_fees=with_fees,
        items=items,
        titles=titles,
        libraries=DataLoader(partial(load_libraries_by_code, directory)),
        library_directory=directory,
        shares=ShareDirectory(store.shares),
        search_preferences=DataLoader(partial(load_search_preferences, store)),
        baskets=DataLoader(partial(load_baskets, store)),
        saved_searches=DataLoader(partial(load_saved_searches, store)),
        alert_subscriptions=DataLoader(partial(load_alert_subscriptions, store)),
    )


class _AccountLoader(DataLoader[str, Account | None]):
    """The accounts loader: clearing an account (a mutation changed it) clears its copy with fees too."""

    def __init__(
        self,
        load: Callable[[list[str]], Coroutine[Any, Any, list[Account | None]]],
        with_fees: DataLoader[str, Account | None],
    ) -> None:
        super().__init__(load)
        self._with_fees = with_fees

    def clear(self, key: str) -> _AccountLoader:
        self._with_fees.clear(key)
        return super().clear(key)


def _plausible_only(
    load: Callable[[Sequence[str]], Awaitable[list[V | None]]],
) -> Callable[[list[str]], Coroutine[Any, Any, list[V | None]]]:
    """`load` for the ids the ILS could know; None, without asking, for ids no ILS record has.

    Ids come from clients (record(id:), placeHold, a staff patron(id:)); one the ILS's
    protocol cannot carry would fail the whole batch, other keys included.
    """

    async def batch(keys: list[str]) -> list[V | None]:
        plausible = [key for key in keys if is_plausible_id(key)]
        found = dict(zip(plausible, await load(plausible), strict=True)) if plausible else {}
        return [found.get(key) for key in keys]

    return batch
