"""The alert repositories on SQLite and PostgreSQL: lists, subscriptions, digests recorded once per title."""

from __future__ import annotations

from datetime import UTC, date, datetime

from adapters.store.alert_digests import SqlAlertDigestRepository
from adapters.store.alert_lists import SqlAlertListRepository
from adapters.store.alert_subscriptions import SqlAlertSubscriptionRepository
from adapters.store.database import Database
from tests.integration.store_db import database

__all__ = ["database"]

CAMILLE, INES = "2900000001", "2900000003"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


async def test_lists_are_created_edited_and_retired(database: Database) -> None:
    lists = SqlAlertListRepository(database.sessions, lambda: NOW)
    duras = await lists.create("DURAS", "Nouveautés Duras", None)
    sagan = await lists.create("SAGAN", "BD à Sagan", "Les bandes dessinées")

    edited = await lists.update(duras.id, "Romans à Duras", "Les romans")
    assert edited is not None and (edited.title, edited.description) == ("Romans à Duras", "Les romans")
    retired = await lists.retire(sagan.id)
    assert retired is not None and retired.retired_at == NOW
    assert await lists.retire(sagan.id) is None and await lists.update(sagan.id, "x", None) is None
    assert await lists.active() == [edited]
    assert await lists.by_ids([sagan.id, "nope"]) == [retired, None]
    assert await lists.libraries_with_lists() == {"DURAS", "SAGAN"}
    await lists.mark_checked(duras.id, date(2026, 12, 1))
    assert (await lists.active())[0].checked_on == date(2026, 12, 1)


async def test_subscriptions_are_idempotent(database: Database) -> None:
    lists = SqlAlertListRepository(database.sessions, lambda: NOW)
    subscriptions = SqlAlertSubscriptionRepository(database.sessions, lambda: NOW)
    duras = await lists.create("DURAS", "Nouveautés Duras", None)

    await subscriptions.subscribe(CAMILLE, duras.id, "fr")
    await subscriptions.subscribe(CAMILLE, duras.id, "en")
    await subscriptions.subscribe(INES, duras.id, "fr")

    (camille,), (ines,) = await subscriptions.of_patrons([CAMILLE, INES])
    assert (camille.alert_id, camille.language, ines.language) == (duras.id, "en", "fr")
    assert len(await subscriptions.of_alerts([duras.id])) == 2
    await subscriptions.unsubscribe(CAMILLE, duras.id)
    await subscriptions.unsubscribe(CAMILLE, duras.id)
    assert await subscriptions.of_patrons([CAMILLE]) == [[]]


async def test_a_title_is_recorded_once_per_patron(database: Database) -> None:
    digests = SqlAlertDigestRepository(database.sessions, lambda: NOW)

    first = await digests.record(CAMILLE, "fr", {"lists": []}, ["T-1", "T-2", "T-1"])
    assert first is not None and first.queued_at is None
    assert await digests.record(CAMILLE, "fr", {"lists": []}, ["T-3", "T-2"]) is None  # T-2 was sent
    assert await digests.record(INES, "en", {"lists": []}, ["T-2"]) is not None
    assert await digests.sent_titles([CAMILLE, INES, "2900000002"]) == {
        CAMILLE: {"T-1", "T-2"},
        INES: {"T-2"},
    }

    assert sorted(d.patron_id for d in await digests.unqueued()) == [CAMILLE, INES]
    await digests.mark_queued(first.id, NOW)
    assert [d.patron_id for d in await digests.unqueued()] == [INES]
