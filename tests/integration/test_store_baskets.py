"""SqlBasketRepository on SQLite and PostgreSQL: changes whole or refused whole, exact limits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from adapters.store.baskets import SqlBasketRepository
from adapters.store.database import Database
from adapters.store.port import Basket, PortalRefusal
from tests.integration.store_db import database

__all__ = ["database"]

CAMILLE, INES = "2900000001", "2900000003"
T0 = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


class _Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def _baskets(database: Database) -> SqlBasketRepository:
    return SqlBasketRepository(database.sessions, _Clock())


async def _create(baskets: SqlBasketRepository, patron: str, name: str, *records: str) -> Basket:
    basket = await baskets.create(patron, name, records, max_baskets=50, max_records=1000)
    assert isinstance(basket, Basket), basket
    return basket


async def test_baskets_are_read_back_per_patron_with_their_records_in_order(database: Database) -> None:
    baskets = _baskets(database)
    summer = await _create(baskets, CAMILLE, "À lire cet été", "T-PRINCE", "T-BOVARY", "T-PRINCE")
    empty = await _create(baskets, CAMILLE, "Vide")
    ines = await _create(baskets, INES, "À lire cet été", "T-HORLA")

    assert summer.record_ids == ("T-PRINCE", "T-BOVARY")
    assert summer.created_at == summer.updated_at
    assert await baskets.of_patrons([INES, "2900000002", CAMILLE]) == [[ines], [], [summer, empty]]


async def test_names_are_unique_per_patron_whatever_the_case(database: Database) -> None:
    baskets = _baskets(database)
    first = await _create(baskets, CAMILLE, "Été")
    other = await _create(baskets, CAMILLE, "Hiver")

    assert (
        await baskets.create(CAMILLE, "ÉTÉ", [], max_baskets=50, max_records=10) is PortalRefusal.NAME_TAKEN
    )
    assert await baskets.rename(CAMILLE, other.id, "été") is PortalRefusal.NAME_TAKEN
    renamed = await baskets.rename(CAMILLE, first.id, "ÉTÉ")
    assert isinstance(renamed, Basket) and renamed.name == "ÉTÉ" and renamed.updated_at > first.updated_at
    assert [b.name for b in (await baskets.of_patrons([CAMILLE]))[0]] == ["ÉTÉ", "Hiver"]


async def test_records_are_added_once_and_removed(database: Database) -> None:
    baskets = _baskets(database)
    basket = await _create(baskets, CAMILLE, "Panier", "T-A")

    added = await baskets.add(CAMILLE, basket.id, ["T-B", "T-A", "T-C", "T-B"], max_records=1000)
    assert isinstance(added, Basket) and added.record_ids == ("T-A", "T-B", "T-C")
    again = await baskets.add(CAMILLE, basket.id, ["T-A"], max_records=1000)
    assert isinstance(again, Basket) and again.updated_at == added.updated_at  # nothing new, nothing changed
    removed = await baskets.remove(CAMILLE, basket.id, ["T-B", "T-UNKNOWN"])
    assert isinstance(removed, Basket) and removed.record_ids == ("T-A", "T-C")
    readded = await baskets.add(CAMILLE, basket.id, ["T-B"], max_records=1000)
    assert isinstance(readded, Basket) and readded.record_ids == ("T-A", "T-C", "T-B")
    assert (await baskets.of_patrons([CAMILLE]))[0][0].record_ids == ("T-A", "T-C", "T-B")


async def test_limits_refuse_the_whole_change(database: Database) -> None:
    baskets = _baskets(database)
    basket = await _create(baskets, CAMILLE, "Panier", "T-A", "T-B")

    assert (
        await baskets.add(CAMILLE, basket.id, ["T-C", "T-D"], max_records=3) is PortalRefusal.TOO_MANY_RECORDS
    )
    assert (
        await baskets.create(CAMILLE, "Gros", ["T-1", "T-2"], max_baskets=50, max_records=1)
        is PortalRefusal.TOO_MANY_RECORDS
    )
    assert await baskets.create(CAMILLE, "Deux", [], max_baskets=1, max_records=1) is PortalRefusal.TOO_MANY
    assert await baskets.of_patrons([CAMILLE]) == [[basket]]


async def test_another_patrons_basket_is_not_found(database: Database) -> None:
    baskets = _baskets(database)
    basket = await _create(baskets, CAMILLE, "Panier", "T-A")

    assert await baskets.rename(INES, basket.id, "Le mien") is PortalRefusal.NOT_FOUND
    assert await baskets.add(INES, basket.id, ["T-B"], max_records=10) is PortalRefusal.NOT_FOUND
    assert await baskets.remove(INES, basket.id, ["T-A"]) is PortalRefusal.NOT_FOUND
    assert await baskets.delete(INES, basket.id) is False
    assert await baskets.of_patrons([CAMILLE]) == [[basket]]
    assert await baskets.delete(CAMILLE, basket.id) is True
    assert await baskets.delete(CAMILLE, basket.id) is False
    assert await baskets.of_patrons([CAMILLE]) == [[]]


async def test_concurrent_writes_cannot_exceed_the_limits(database: Database) -> None:
    baskets = _baskets(database)
    created = await asyncio.gather(
        *(baskets.create(CAMILLE, f"B{n}", [], max_baskets=3, max_records=10) for n in range(6))
    )
    assert sorted(isinstance(result, Basket) for result in created) == [False] * 3 + [True] * 3
    (target, *_) = (await baskets.of_patrons([CAMILLE]))[0]
    added = await asyncio.gather(
        *(baskets.add(CAMILLE, target.id, [f"T-{n}-1", f"T-{n}-2"], max_records=5) for n in range(5))
    )
    assert sum(isinstance(result, Basket) for result in added) == 2
    assert len((await baskets.of_patrons([CAMILLE]))[0][0].record_ids) == 4
