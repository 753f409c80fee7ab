"""The per-request loaders and the reference cache: one batch per tick, key order, failures per key."""

from __future__ import annotations

import asyncio

import pytest

from adapters.errors import IlsUnavailable
from schema.cache import MemoryReferenceCache
from schema.loaders import create_loaders
from tests.fakes import FakeIls, demo_store, fake_store
from tests.fakes_demo import CAMILLE, INES, LEO


async def test_one_batch_call_per_tick_answers_in_key_order() -> None:
    ils = FakeIls()
    loaders = create_loaders(ils, fake_store())
    accounts = await asyncio.gather(
        *(loaders.accounts.load(key) for key in (LEO, CAMILLE, "2999999999", LEO))
    )
    assert [a.patron.id if a else None for a in accounts] == [LEO, CAMILLE, None, LEO]
    # Duplicates are asked once; the unknown card fails alone (None), the others are answered.
    assert ils.batches["get_accounts"] == [[LEO, CAMILLE, "2999999999"]]


async def test_items_and_titles_batch_too() -> None:
    ils = FakeIls()
    loaders = create_loaders(ils, fake_store())
    item_ids = list(ils.items)[:5]
    title_ids = list(ils.titles)[:4]
    items, titles = await asyncio.gather(
        loaders.items.load_many(item_ids), loaders.titles.load_many(title_ids)
    )
    assert [i.id for i in items if i] == item_ids
    assert [t.id for t in titles if t] == title_ids
    assert (ils.calls["get_items"], ils.calls["get_titles"]) == (1, 1)


async def test_a_failed_batch_fails_its_keys_and_is_not_cached() -> None:
    ils = FakeIls()
    loaders = create_loaders(ils, fake_store())
    ils.fail_next("get_accounts", IlsUnavailable("soap", "timeout"))
    with pytest.raises(IlsUnavailable):
        await loaders.accounts.load(CAMILLE)
    account = await loaders.accounts.load(CAMILLE)
    assert account is not None and account.patron.id == CAMILLE


async def test_titles_and_libraries_are_cached_across_requests_accounts_and_items_never() -> None:
    ils = FakeIls()
    cache = MemoryReferenceCache()
    title_ids = list(ils.titles)[:3]
    item_id = next(iter(ils.items))
    for _ in range(2):
        loaders = create_loaders(ils, fake_store(), cache)
        await loaders.titles.load_many(title_ids)
        await loaders.libraries.load("DURAS")
        await loaders.accounts.load(INES)
        await loaders.items.load(item_id)
    assert ils.calls["get_titles"] == ils.calls["get_libraries"] == 1
    assert ils.calls["get_accounts"] == ils.calls["get_items"] == 2


async def test_only_the_titles_the_cache_lacks_are_fetched() -> None:
    ils = FakeIls()
    cache = MemoryReferenceCache()
    ids = list(ils.titles)
    await create_loaders(ils, fake_store(), cache).titles.load_many(ids[:2])
    await create_loaders(ils, fake_store(), cache).titles.load_many([*ids[:2], ids[5], "T-unknown"])
    assert ils.batches["get_titles"] == [ids[:2], [ids[5], "T-unknown"]]


async def test_the_cache_forgets_after_its_ttl() -> None:
    ils = FakeIls()
    cache = MemoryReferenceCache(libraries_ttl=0.0, titles_ttl=0.0)
    for _ in range(2):
        await create_loaders(ils, fake_store(), cache).libraries.load("DURAS")
    assert ils.calls["get_libraries"] == 2


async def test_a_request_asks_the_store_for_a_viewer_s_shares_once() -> None:
    store = demo_store()
    loaders = create_loaders(FakeIls(), store)
    results = await asyncio.gather(*(loaders.shares.seen_by(CAMILLE) for _ in range(5)))
    assert all(len(shares) == 1 and shares[0].owner_id == LEO for shares in results)
    assert store.shares.calls["seen_by"] == 1  # type: ignore[attr-defined]
