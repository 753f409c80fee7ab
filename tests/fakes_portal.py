"""In-memory test doubles of the portal-data repositories: preferences, baskets, saved searches, alerts.

Each subclasses its port (adapters/store/port.py) and keeps the SQL repository's rules
(names folded, limits, a record or title kept once), so schema tests over them mean the same.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from adapters.store.port import (
    AlertDigest,
    AlertDigestRepository,
    AlertList,
    AlertListRepository,
    AlertSubscription,
    AlertSubscriptionRepository,
    Basket,
    BasketRepository,
    CatalogueScope,
    PortalRefusal,
    SavedSearch,
    SavedSearchRepository,
    SearchPreferencesRepository,
)

DEMO_NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class FakeSearchPreferences(SearchPreferencesRepository):
    """Search preferences in memory; counts the batch reads."""

    def __init__(self) -> None:
        self.rows: dict[str, CatalogueScope] = {}
        self.calls: Counter[str] = Counter()

    async def of_patrons(self, patron_ids: Sequence[str]) -> list[CatalogueScope | None]:
        self.calls["of_patrons"] += 1
        return [self.rows.get(patron_id) for patron_id in patron_ids]

    async def save(self, patron_id: str, scope: CatalogueScope) -> CatalogueScope:
        self.calls["save"] += 1
        self.rows[patron_id] = scope
        return scope


class FakeBaskets(BasketRepository):
    """Baskets in memory, with the SQL repository's rules (names folded, limits, one copy per record)."""

    def __init__(self) -> None:
        self.rows: dict[str, Basket] = {}
        self.calls: Counter[str] = Counter()
        self._clock = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    async def of_patrons(self, patron_ids: Sequence[str]) -> list[list[Basket]]:
        self.calls["of_patrons"] += 1
        return [[b for b in self.rows.values() if b.patron_id == patron_id] for patron_id in patron_ids]

    async def create(
        self, patron_id: str, name: str, record_ids: Sequence[str], *, max_baskets: int, max_records: int
    ) -> Basket | PortalRefusal:
        records = tuple(dict.fromkeys(record_ids))
        mine = [b for b in self.rows.values() if b.patron_id == patron_id]
        if len(records) > max_records:
            return PortalRefusal.TOO_MANY_RECORDS
        if len(mine) >= max_baskets:
            return PortalRefusal.TOO_MANY
        if any(b.name.casefold() == name.casefold() for b in mine):
            return PortalRefusal.NAME_TAKEN
        basket = Basket(f"B{len(self.rows) + 1}", patron_id, name, records, self._clock, self._clock)
        self.rows[basket.id] = basket
        return basket

    async def rename(self, patron_id: str, basket_id: str, name: str) -> Basket | PortalRefusal:
        basket = self.rows.get(basket_id)
        if basket is None or basket.patron_id != patron_id:
            return PortalRefusal.NOT_FOUND
        mine = [b for b in self.rows.values() if b.patron_id == patron_id and b.id != basket_id]
        if any(b.name.casefold() == name.casefold() for b in mine):
            return PortalRefusal.NAME_TAKEN
        self.rows[basket_id] = dataclasses.replace(basket, name=name)
        return self.rows[basket_id]

    async def delete(self, patron_id: str, basket_id: str) -> bool:
        basket = self.rows.get(basket_id)
        if basket is None or basket.patron_id != patron_id:
            return False
        del self.rows[basket_id]
        return True

    async def add(
        self, patron_id: str, basket_id: str, record_ids: Sequence[str], *, max_records: int
    ) -> Basket | PortalRefusal:
        basket = self.rows.get(basket_id)
        if basket is None or basket.patron_id != patron_id:
            return PortalRefusal.NOT_FOUND
        records = tuple(dict.fromkeys((*basket.record_ids, *record_ids)))
        if len(records) > max_records:
            return PortalRefusal.TOO_MANY_RECORDS
        self.rows[basket_id] = dataclasses.replace(basket, record_ids=records)
        return self.rows[basket_id]

    async def remove(
        self, patron_id: str, basket_id: str, record_ids: Sequence[str]
    ) -> Basket | PortalRefusal:
        basket = self.rows.get(basket_id)
        if basket is None or basket.patron_id != patron_id:
            return PortalRefusal.NOT_FOUND
        kept = tuple(r for r in basket.record_ids if r not in set(record_ids))
        self.rows[basket_id] = dataclasses.replace(basket, record_ids=kept)
        return self.rows[basket_id]


class FakeSavedSearches(SavedSearchRepository):
    """Saved searches in memory, names folded and the limit checked like the SQL repository."""

    def __init__(self) -> None:
        self.rows: dict[str, SavedSearch] = {}

    async def of_patrons(self, patron_ids: Sequence[str]) -> list[list[SavedSearch]]:
        return [[s for s in self.rows.values() if s.patron_id == patron_id] for patron_id in patron_ids]

    async def create(
        self, patron_id: str, name: str, query: str, scope: CatalogueScope, *, max_saved: int
    ) -> SavedSearch | PortalRefusal:
        mine = [s for s in self.rows.values() if s.patron_id == patron_id]
        if len(mine) >= max_saved:
            return PortalRefusal.TOO_MANY
        if any(s.name.casefold() == name.casefold() for s in mine):
            return PortalRefusal.NAME_TAKEN
        saved = SavedSearch(f"Q{len(self.rows) + 1}", patron_id, name, query, scope, DEMO_NOW)
        self.rows[saved.id] = saved
        return saved

    async def rename(self, patron_id: str, saved_search_id: str, name: str) -> SavedSearch | PortalRefusal:
        saved = self.rows.get(saved_search_id)
        if saved is None or saved.patron_id != patron_id:
            return PortalRefusal.NOT_FOUND
        others = [s for s in self.rows.values() if s.patron_id == patron_id and s.id != saved_search_id]
        if any(s.name.casefold() == name.casefold() for s in others):
            return PortalRefusal.NAME_TAKEN
        self.rows[saved_search_id] = dataclasses.replace(saved, name=name)
        return self.rows[saved_search_id]

    async def delete(self, patron_id: str, saved_search_id: str) -> bool:
        saved = self.rows.get(saved_search_id)
        if saved is None or saved.patron_id != patron_id:
            return False
        del self.rows[saved_search_id]
        return True


class FakeAlertLists(AlertListRepository):
    """Alert lists in memory."""

    def __init__(self) -> None:
        self.rows: dict[str, AlertList] = {}

    async def active(self) -> list[AlertList]:
        return sorted((a for a in self.rows.values() if a.retired_at is None), key=lambda a: a.library_code)

    async def by_ids(self, alert_ids: Sequence[str]) -> list[AlertList | None]:
        return [self.rows.get(alert_id) for alert_id in alert_ids]

    async def libraries_with_lists(self) -> set[str]:
        return {a.library_code for a in self.rows.values()}

    async def create(
        self, library_code: str, title: str, description: str | None, *, alert_id: str | None = None
    ) -> AlertList:
        if alert_id in self.rows:
            return self.rows[alert_id]
        alert = AlertList(alert_id or f"A{len(self.rows) + 1}", library_code, title, description, DEMO_NOW)
        self.rows[alert.id] = alert
        return alert

    async def update(self, alert_id: str, title: str, description: str | None) -> AlertList | None:
        alert = self.rows.get(alert_id)
        if alert is None or alert.retired_at is not None:
            return None
        self.rows[alert_id] = dataclasses.replace(alert, title=title, description=description)
        return self.rows[alert_id]

    async def retire(self, alert_id: str) -> AlertList | None:
        alert = self.rows.get(alert_id)
        if alert is None or alert.retired_at is not None:
            return None
        self.rows[alert_id] = dataclasses.replace(alert, retired_at=DEMO_NOW)
        return self.rows[alert_id]

    async def mark_checked(self, alert_id: str, on: date) -> None:
        self.rows[alert_id] = dataclasses.replace(self.rows[alert_id], checked_on=on)


class FakeAlertSubscriptions(AlertSubscriptionRepository):
    """Subscriptions in memory, keyed by (alert, patron)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], AlertSubscription] = {}

    async def of_patrons(self, patron_ids: Sequence[str]) -> list[list[AlertSubscription]]:
        return [[s for s in self.rows.values() if s.patron_id == patron_id] for patron_id in patron_ids]

    async def of_alerts(self, alert_ids: Sequence[str]) -> list[AlertSubscription]:
        return [s for s in self.rows.values() if s.alert_id in set(alert_ids)]

    async def subscribe(self, patron_id: str, alert_id: str, language: str) -> None:
        self.rows[(alert_id, patron_id)] = AlertSubscription(alert_id, patron_id, language, DEMO_NOW)

    async def unsubscribe(self, patron_id: str, alert_id: str) -> None:
        self.rows.pop((alert_id, patron_id), None)


class FakeAlertDigests(AlertDigestRepository):
    """Digests in memory; a title is recorded once per patron."""

    def __init__(self) -> None:
        self.rows: dict[str, AlertDigest] = {}
        self.sent: dict[str, set[str]] = {}

    async def sent_titles(self, patron_ids: Sequence[str]) -> dict[str, set[str]]:
        return {p: set(self.sent[p]) for p in patron_ids if p in self.sent}

    async def record(
        self, patron_id: str, language: str, content: dict[str, Any], title_ids: Sequence[str]
    ) -> AlertDigest | None:
        if self.sent.get(patron_id, set()) & set(title_ids):
            return None
        digest = AlertDigest(f"D{len(self.rows) + 1}", patron_id, language, content, DEMO_NOW)
        self.rows[digest.id] = digest
        self.sent.setdefault(patron_id, set()).update(title_ids)
        return digest

    async def unqueued(self) -> list[AlertDigest]:
        return [d for d in self.rows.values() if d.queued_at is None]

    async def mark_queued(self, digest_id: str, at: datetime) -> None:
        self.rows[digest_id] = dataclasses.replace(self.rows[digest_id], queued_at=at)
