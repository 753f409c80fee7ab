"""What the schema may ask of the portal store: one repository per concept, gathered in `PortalStore`.

Owns the domain values the store keeps (sessions, shares, idempotency records) and the
protocol of each repository. The SQLAlchemy repositories implement them (one module per
concept: `shares.py`, `idempotency.py`, `sessions.py`); `sql.py` assembles the SQL store.
Tests build a `PortalStore` over fakes that subclass these protocols.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from adapters.ils.models import CatalogueSource, DocumentType

if TYPE_CHECKING:
    from adapters.store.share_port import (
        ShareEventRepository,
        ShareRefusal,
        ShareRequestRepository,
    )


class ShareScope(StrEnum):
    """What an accepted share lets its viewer do with the owner's account."""

    # See the loans and holds.
    VIEW = "VIEW"
    # See them and renew the loans (what the portal has always done).
    VIEW_AND_RENEW = "VIEW_AND_RENEW"


@dataclass(frozen=True, slots=True)
class Share:
    """An accepted share: `viewer_id` may see `owner_id`'s loans and holds (and renew them if the scope says).

    `expires_at` None: until revoked. A share past its end is treated as revoked
    (schema/access.py decides with the clock).
    """

    id: str
    owner_id: str
    viewer_id: str
    since: datetime
    scope: ShareScope = ShareScope.VIEW_AND_RENEW
    expires_at: datetime | None = None
    # The request it was accepted from, if any (adapters/store/share_port.py).
    request_id: str | None = None


class ShareRepository(Protocol):
    async def seen_by(self, viewer_id: str) -> list[Share]:
        """Accepted shares whose viewer is `viewer_id` (the accounts it may see), oldest first."""
        ...

    async def of_owner(self, owner_id: str) -> list[Share]:
        """Accepted shares whose owner is `owner_id` (who may see it), oldest first."""
        ...

    async def create(
        self,
        owner_id: str,
        viewer_id: str,
        *,
        scope: ShareScope = ShareScope.VIEW_AND_RENEW,
        expires_at: datetime | None = None,
    ) -> Share:
        """Record an accepted share; an existing share between the two is returned as it is."""
        ...

    async def by_id(self, share_id: str) -> Share | None: ...

    async def accept(
        self,
        request_id: str,
        owner_id: str,
        *,
        scope: ShareScope,
        expires_at: datetime | None,
        now: datetime,
        token_hash: str | None = None,
    ) -> Share | ShareRefusal:
        """One transaction: the pending, unexpired request of `owner_id`'s (whose token hash is
        `token_hash`, when given; the token is then used up) becomes ACCEPTED and its share is made
        (or, when one exists already between the two, given this scope and end), with the events."""
        ...

    async def revoke(self, share_id: str, patron_id: str, now: datetime) -> Share | ShareRefusal:
        """End a share of which `patron_id` is the owner or the viewer (REVOKED event, actor by side)."""
        ...

    async def change(
        self, share_id: str, owner_id: str, scope: ShareScope, expires_at: datetime | None, now: datetime
    ) -> Share | ShareRefusal:
        """The owner gives a share another scope or end (SCOPE_CHANGED event)."""
        ...

    async def end_expired(self, now: datetime) -> list[Share]:
        """Shares past their end are ended as if revoked, each with an EXPIRED event; those ended."""
        ...


#: The result of an idempotency claim whose request is still under way (never a JSON result).
PENDING = ""


class IdempotencyRepository(Protocol):
    async def result(self, key: str, patron_id: str) -> str | None:
        """The recorded result (opaque JSON) of a request with this key, PENDING, or None."""
        ...

    async def claim(self, key: str, patron_id: str) -> str | None:
        """Claim the key atomically: None when this caller now owns it, else what is recorded
        (PENDING while the first request is under way)."""
        ...

    async def complete(self, key: str, patron_id: str, result: str) -> None:
        """Record the owner's definitive result; every later claim gets it."""
        ...

    async def release(self, key: str, patron_id: str) -> None:
        """Give up a claim with nothing definitive to record (a retry then starts anew)."""
        ...


@dataclass(frozen=True, slots=True)
class CatalogueScope:
    """Where a catalogue search looks; an empty tuple places no restriction of that kind."""

    library_codes: tuple[str, ...] = ()
    document_types: tuple[DocumentType, ...] = ()
    sources: tuple[CatalogueSource, ...] = ()


class SearchPreferencesRepository(Protocol):
    async def of_patrons(self, patron_ids: Sequence[str]) -> list[CatalogueScope | None]:
        """Each patron's search preferences, in key order (None: never set). One query."""
        ...

    async def save(self, patron_id: str, scope: CatalogueScope) -> CatalogueScope:
        """Replace the patron's search preferences (created on first save)."""
        ...


class PortalRefusal(StrEnum):
    """Why the store refused a change of portal data (it then changed nothing)."""

    NOT_FOUND = "NOT_FOUND"
    NAME_TAKEN = "NAME_TAKEN"
    TOO_MANY = "TOO_MANY"
    TOO_MANY_RECORDS = "TOO_MANY_RECORDS"


@dataclass(frozen=True, slots=True)
class Basket:
    """A patron's named list of catalogue records, in the order they were added."""

    id: str
    patron_id: str
    name: str
    record_ids: tuple[str, ...]
    created_at: datetime
    updated_at: datetime


class BasketRepository(Protocol):
    """Baskets of one patron at a time; every change is one transaction, refused whole or applied whole.

    Names are unique per patron whatever their case (`NAME_TAKEN`); `max_baskets` and
    `max_records` are checked inside the transaction, serialized per patron, so concurrent
    requests cannot exceed them. A basket of another patron is `NOT_FOUND`.
    """

    async def of_patrons(self, patron_ids: Sequence[str]) -> list[list[Basket]]:
        """Each patron's baskets (oldest first) with their records, in key order. One query."""
        ...

    async def create(
        self, patron_id: str, name: str, record_ids: Sequence[str], *, max_baskets: int, max_records: int
    ) -> Basket | PortalRefusal: ...

    async def rename(self, patron_id: str, basket_id: str, name: str) -> Basket | PortalRefusal: ...

    async def delete(self, patron_id: str, basket_id: str) -> bool:
        """True if the patron had that basket (it is gone with its records)."""
        ...

    async def add(
        self, patron_id: str, basket_id: str, record_ids: Sequence[str], *, max_records: int
    ) -> Basket | PortalRefusal:
        """Append the records not in the basket yet (a record is kept once)."""
        ...

    async def remove(
        self, patron_id: str, basket_id: str, record_ids: Sequence[str]
    ) -> Basket | PortalRefusal:
        """Take the records out (ids not in the basket are ignored)."""
        ...


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A patron's named search: the text and the scope it runs with."""

    id: str
    patron_id: str
    name: str
    query: str
    scope: CatalogueScope
    created_at: datetime


class SavedSearchRepository(Protocol):
    """Saved searches of one patron at a time; names unique whatever the case, at most `max_saved`."""

    async def of_patrons(self, patron_ids: Sequence[str]) -> list[list[SavedSearch]]:
        """Each patron's saved searches (oldest first), in key order. One query."""
        ...

    async def create(
        self, patron_id: str, name: str, query: str, scope: CatalogueScope, *, max_saved: int
    ) -> SavedSearch | PortalRefusal: ...

    async def rename(
        self, patron_id: str, saved_search_id: str, name: str
    ) -> SavedSearch | PortalRefusal: ...

    async def delete(self, patron_id: str, saved_search_id: str) -> bool:
        """True if the patron had that saved search."""
        ...


@dataclass(frozen=True, slots=True)
class AlertList:
    """A new-arrivals alert list a librarian proposes for one library.

    `checked_on`: the day of the last successful digest run; the next run asks the ILS for
    what arrived since that day (since the list's creation before any run).
    """

    id: str
    library_code: str
    title: str
    description: str | None
    created_at: datetime
    retired_at: datetime | None = None
    checked_on: date | None = None


class AlertListRepository(Protocol):
    async def active(self) -> list[AlertList]:
        """The lists not retired, by library code then age. One query."""
        ...

    async def by_ids(self, alert_ids: Sequence[str]) -> list[AlertList | None]:
        """Lists in key order (retired ones included); None for an unknown id."""
        ...

    async def libraries_with_lists(self) -> set[str]:
        """Codes of the libraries that have or had a list (retired ones count: never re-seeded)."""
        ...

    async def create(
        self, library_code: str, title: str, description: str | None, *, alert_id: str | None = None
    ) -> AlertList:
        """A new list; with `alert_id` given and taken already, the existing list (seeding runs twice)."""
        ...

    async def update(self, alert_id: str, title: str, description: str | None) -> AlertList | None:
        """None when there is no active list with that id."""
        ...

    async def retire(self, alert_id: str) -> AlertList | None:
        """None when there is no active list with that id."""
        ...

    async def mark_checked(self, alert_id: str, on: date) -> None:
        """Record a successful digest run of the list."""
        ...


@dataclass(frozen=True, slots=True)
class AlertSubscription:
    alert_id: str
    patron_id: str
    # The language the patron subscribed in: their digest's language.
    language: str
    since: datetime


class AlertSubscriptionRepository(Protocol):
    async def of_patrons(self, patron_ids: Sequence[str]) -> list[list[AlertSubscription]]:
        """Each patron's subscriptions (oldest first), in key order. One query."""
        ...

    async def of_alerts(self, alert_ids: Sequence[str]) -> list[AlertSubscription]:
        """Every subscription to these lists."""
        ...

    async def subscribe(self, patron_id: str, alert_id: str, language: str) -> None:
        """Idempotent: subscribing again keeps one subscription (its language updated)."""
        ...

    async def unsubscribe(self, patron_id: str, alert_id: str) -> None:
        """Idempotent."""
        ...


@dataclass(frozen=True, slots=True)
class AlertDigest:
    """One e-mail of new arrivals recorded for a patron: `content` is what the message shows."""

    id: str
    patron_id: str
    language: str
    content: dict[str, Any]
    created_at: datetime
    queued_at: datetime | None = None


class AlertDigestRepository(Protocol):
    """What was sent to whom: a title is recorded once per patron, with the digest that carries it."""

    async def sent_titles(self, patron_ids: Sequence[str]) -> dict[str, set[str]]:
        """The title ids already recorded for each patron (absent: none). One query."""
        ...

    async def record(
        self, patron_id: str, language: str, content: dict[str, Any], title_ids: Sequence[str]
    ) -> AlertDigest | None:
        """The digest and its titles in one transaction; None (nothing recorded) when one of the
        titles was recorded for the patron meanwhile (another run)."""
        ...

    async def unqueued(self) -> list[AlertDigest]:
        """Digests recorded but not yet handed to the mailer, oldest first."""
        ...

    async def mark_queued(self, digest_id: str, at: datetime) -> None: ...


@dataclass(frozen=True, slots=True)
class PortalStore:
    """The portal store, one repository per concept (what the schema's context carries)."""

    shares: ShareRepository
    idempotency: IdempotencyRepository
    search_preferences: SearchPreferencesRepository
    baskets: BasketRepository
    saved_searches: SavedSearchRepository
    alert_lists: AlertListRepository
    alert_subscriptions: AlertSubscriptionRepository
    alert_digests: AlertDigestRepository
    share_requests: ShareRequestRepository
    share_events: ShareEventRepository


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A signed-in session as stored: the token itself is never stored, only its keyed hash."""

    id: str
    patron_id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


class SessionStore(Protocol):
    """Server-side sessions, looked up by the keyed hash of their token."""

    async def create_session(
        self, token_hash: str, patron_id: str, now: datetime, expires_at: datetime
    ) -> SessionRecord:
        """Record a new session (absolute expiry `expires_at`)."""
        ...

    async def find_session(self, token_hash: str) -> SessionRecord | None:
        """The session with that token hash, if any (expiry is the caller's decision)."""
        ...

    async def touch_session(self, session_id: str, now: datetime) -> None:
        """Record activity (for the idle expiry)."""
        ...

    async def delete_session(self, token_hash: str) -> bool:
        """End a session; True if one was ended."""
        ...

    async def delete_sessions_before(self, now: datetime, idle_since: datetime) -> int:
        """Purge sessions past their absolute expiry or idle since `idle_since`; how many."""
        ...
