"""The portal store over SQL: every repository on one session factory and one clock.

Owns the assembly only; each repository lives in its own module.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.alert_digests import SqlAlertDigestRepository
from adapters.store.alert_lists import SqlAlertListRepository
from adapters.store.alert_subscriptions import SqlAlertSubscriptionRepository
from adapters.store.baskets import SqlBasketRepository
from adapters.store.idempotency import SqlIdempotencyRepository
from adapters.store.port import PortalStore
from adapters.store.saved_searches import SqlSavedSearchRepository
from adapters.store.search_preferences import SqlSearchPreferencesRepository
from adapters.store.share_events import SqlShareEventRepository
from adapters.store.share_requests import SqlShareRequestRepository
from adapters.store.shares import SqlShareRepository


def _utc_now() -> datetime:
    return datetime.now(UTC)


def sql_store(
    sessions: async_sessionmaker[AsyncSession],
    *,
    clock: Callable[[], datetime] = _utc_now,
    cache_seconds: float = 0.0,
) -> PortalStore:
    """The PortalStore of a migrated database."""
    return PortalStore(
        shares=SqlShareRepository(sessions, clock, cache_seconds=cache_seconds),
        idempotency=SqlIdempotencyRepository(sessions, clock),
        search_preferences=SqlSearchPreferencesRepository(sessions, clock),
        baskets=SqlBasketRepository(sessions, clock),
        saved_searches=SqlSavedSearchRepository(sessions, clock),
        alert_lists=SqlAlertListRepository(sessions, clock),
        alert_subscriptions=SqlAlertSubscriptionRepository(sessions, clock),
        alert_digests=SqlAlertDigestRepository(sessions, clock),
        share_requests=SqlShareRequestRepository(sessions, clock),
        share_events=SqlShareEventRepository(sessions),
    )
