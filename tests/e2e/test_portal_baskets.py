"""Baskets over HTTP against the emulator: each mutation's yes and each no, who may see them,
and the round trips of `me { baskets { records { title } } }` (the same for 1 and 20 baskets).

Record ids are checked against the ILS (one titles batch); a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from adapters.store.baskets import SqlBasketRepository
from adapters.store.database import Database
from adapters.store.port import Basket
from emulator import db
from emulator.runner import RunningEmulator
from tests.e2e.conftest import Clock, GatewayFactory, bearer, graphql

CAMILLE, LEO, INES = "2900000001", "2900000002", "2900000003"
STAFF = {"Authorization": "Bearer staff:staff-token-1"}

FIELDS = (
    "basket { id name recordCount records { id title } createdAt updatedAt } errors { code message field }"
)
CREATE = (
    f"mutation C($name: String!, $ids: [ID!]) {{ createBasket(name: $name, recordIds: $ids) {{ {FIELDS} }} }}"
)
RENAME = f"mutation R($id: ID!, $name: String!) {{ renameBasket(basketId: $id, name: $name) {{ {FIELDS} }} }}"
ADD = f"mutation A($id: ID!, $ids: [ID!]!) {{ addToBasket(basketId: $id, recordIds: $ids) {{ {FIELDS} }} }}"
REMOVE = (
    "mutation M($id: ID!, $ids: [ID!]!) {"
    f" removeFromBasket(basketId: $id, recordIds: $ids) {{ {FIELDS} }} }}"
)
DELETE = "mutation D($id: ID!) { deleteBasket(basketId: $id) { deleted errors { code message field } } }"
MINE = "{ me { baskets { id name recordCount records { id title } } } }"
OF = "query B($id: ID!) { patron(id: $id) { baskets { name recordCount } } }"


async def mutate(
    client: httpx.AsyncClient, document: str, headers: dict[str, str] | None, **variables: Any
) -> dict[str, Any]:
    body = await graphql(client, document, variables, headers)
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    result: dict[str, Any] = payload
    return result


async def mine(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    body = await graphql(client, MINE, headers=headers)
    assert "errors" not in body, body
    baskets: list[dict[str, Any]] = body["data"]["me"]["baskets"]
    return baskets


def error(code: str, message: str, *field: str) -> dict[str, Any]:
    return {"code": code, "message": message, "field": list(field)}


async def test_a_basket_is_created_with_its_records_once_each(
    demo_gateway: httpx.AsyncClient, clock: Clock
) -> None:
    ines = await bearer(demo_gateway, INES)

    payload = await mutate(
        demo_gateway, CREATE, ines, name="  Pour Noël ", ids=["T-PRINCE", "T-BOVARY", "T-PRINCE"]
    )

    basket = payload["basket"]
    assert payload["errors"] == []
    assert (basket["name"], basket["recordCount"]) == ("Pour Noël", 2)
    assert basket["records"] == [
        {"id": "T-PRINCE", "title": "Le Petit Prince"},
        {"id": "T-BOVARY", "title": "Madame Bovary"},
    ]
    assert basket["createdAt"] == basket["updatedAt"] == clock.now.isoformat()
    assert await mine(demo_gateway, ines) == [
        {k: basket[k] for k in ("id", "name", "recordCount", "records")}
    ]


async def test_records_are_added_once_removed_and_the_basket_renamed_and_deleted(
    demo_gateway: httpx.AsyncClient, clock: Clock
) -> None:
    ines = await bearer(demo_gateway, INES)
    created = (await mutate(demo_gateway, CREATE, ines, name="Été"))["basket"]
    assert (created["recordCount"], created["records"]) == (0, [])

    clock.advance(timedelta(minutes=5))
    added = await mutate(demo_gateway, ADD, ines, id=created["id"], ids=["T-HORLA", "T-PRINCE"])
    twice = await mutate(demo_gateway, ADD, ines, id=created["id"], ids=["T-PRINCE"])
    assert [r["id"] for r in added["basket"]["records"]] == [r["id"] for r in twice["basket"]["records"]]
    assert twice["basket"]["recordCount"] == 2
    assert added["basket"]["updatedAt"] == clock.now.isoformat() != created["updatedAt"]
    assert added["basket"]["createdAt"] == created["createdAt"]

    removed = await mutate(demo_gateway, REMOVE, ines, id=created["id"], ids=["T-HORLA", "T-NEVER-IN-IT"])
    assert [r["title"] for r in removed["basket"]["records"]] == ["Le Petit Prince"]
    renamed = await mutate(demo_gateway, RENAME, ines, id=created["id"], name="ÉTÉ 2027")
    assert renamed["basket"]["name"] == "ÉTÉ 2027" and renamed["errors"] == []
    assert [b["name"] for b in await mine(demo_gateway, ines)] == ["ÉTÉ 2027"]

    assert await mutate(demo_gateway, DELETE, ines, id=created["id"]) == {"deleted": True, "errors": []}
    assert await mine(demo_gateway, ines) == []
    assert await mutate(demo_gateway, DELETE, ines, id=created["id"]) == {
        "deleted": False,
        "errors": [error("BASKET_NOT_FOUND", "Panier introuvable.", "basketId")],
    }


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("", "NAME_REQUIRED", "Donnez un nom (1 à 100 caractères)."),
        ("   ", "NAME_REQUIRED", "Donnez un nom (1 à 100 caractères)."),
        ("x" * 101, "NAME_TOO_LONG", "Le nom ne doit pas dépasser 100 caractères."),
        ("Panier\x07", "INVALID_NAME", "Le nom contient des caractères interdits."),
        ("à lire cet ÉTÉ", "BASKET_NAME_TAKEN", "Vous avez déjà un panier nommé « à lire cet ÉTÉ »."),
    ],
    ids=["empty", "blank", "101-chars", "control-char", "taken-other-case"],
)
async def test_a_bad_name_is_refused_on_create_and_rename_and_changes_nothing(
    demo_gateway: httpx.AsyncClient, name: str, code: str, message: str
) -> None:
    ines = await bearer(demo_gateway, INES)
    kept = (await mutate(demo_gateway, CREATE, ines, name="À lire cet été"))["basket"]
    other = (await mutate(demo_gateway, CREATE, ines, name="x" * 100))["basket"]
    before = await mine(demo_gateway, ines)

    assert await mutate(demo_gateway, CREATE, ines, name=name) == {
        "basket": None,
        "errors": [error(code, message, "name")],
    }
    renamed = await mutate(demo_gateway, RENAME, ines, id=other["id"], name=name)
    assert renamed == {"basket": None, "errors": [error(code, message, "name")]}
    assert await mine(demo_gateway, ines) == before
    assert kept["name"] == "À lire cet été"


async def test_messages_follow_the_request_language(demo_gateway: httpx.AsyncClient) -> None:
    ines = {**await bearer(demo_gateway, INES), "Accept-Language": "en-GB"}

    payload = await mutate(demo_gateway, CREATE, ines, name="Mine", ids=["T-PRINCE", "T-NOPE", "T-\u0000"])

    assert payload == {
        "basket": None,
        "errors": [error("UNKNOWN_RECORDS", "Unknown records: T-NOPE, 'T-\\x00'.", "recordIds")],
    }


async def test_unknown_records_are_refused_by_name_and_nothing_changes(
    demo_gateway: httpx.AsyncClient,
) -> None:
    ines = await bearer(demo_gateway, INES)
    basket = (await mutate(demo_gateway, CREATE, ines, name="Panier", ids=["T-PRINCE"]))["basket"]

    refused = await mutate(demo_gateway, CREATE, ines, name="Autre", ids=["T-HORLA", "T-MISSING"])
    assert refused == {
        "basket": None,
        "errors": [error("UNKNOWN_RECORDS", "Notices inconnues : T-MISSING.", "recordIds")],
    }
    refused = await mutate(demo_gateway, ADD, ines, id=basket["id"], ids=["T-HORLA", "T-GONE", "T-MISSING"])
    assert refused["errors"] == [
        error("UNKNOWN_RECORDS", "Notices inconnues : T-GONE, T-MISSING.", "recordIds")
    ]
    assert [(b["name"], b["recordCount"]) for b in await mine(demo_gateway, ines)] == [("Panier", 1)]


def _store(tmp_path: Path) -> tuple[Database, SqlBasketRepository]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}")
    return database, SqlBasketRepository(database.sessions, Clock())


async def test_at_most_50_baskets_of_1000_records(demo_gateway: httpx.AsyncClient, tmp_path: Path) -> None:
    ines = await bearer(demo_gateway, INES)
    database, baskets = _store(tmp_path)
    try:
        for n in range(49):
            await baskets.create(INES, f"Panier {n}", [], max_baskets=50, max_records=1000)
        full = await baskets.create(
            INES, "Plein", [f"T-{n}" for n in range(999)], max_baskets=50, max_records=1000
        )
    finally:
        await database.close()
    assert isinstance(full, Basket)

    assert await mutate(demo_gateway, CREATE, ines, name="Un de trop") == {
        "basket": None,
        "errors": [
            {
                "code": "TOO_MANY_BASKETS",
                "message": "Vous avez déjà 50 paniers : supprimez-en un pour en créer un autre.",
                "field": None,
            }
        ],
    }
    too_many = error("TOO_MANY_BASKET_RECORDS", "Un panier contient au plus 1000 notices.", "recordIds")
    assert await mutate(demo_gateway, ADD, ines, id=full.id, ids=["T-PRINCE", "T-HORLA"]) == {
        "basket": None,
        "errors": [too_many],
    }
    assert (await mutate(demo_gateway, ADD, ines, id=full.id, ids=["T-PRINCE"]))["basket"][
        "recordCount"
    ] == 1000
    ids = [f"T-{n}" for n in range(1001)]
    assert await mutate(demo_gateway, ADD, ines, id=full.id, ids=ids) == {
        "basket": None,
        "errors": [too_many],
    }
    assert len(await mine(demo_gateway, ines)) == 50


async def test_nobody_changes_someone_elses_basket(demo_gateway: httpx.AsyncClient) -> None:
    camille, ines = await bearer(demo_gateway, CAMILLE), await bearer(demo_gateway, INES)
    basket = (await mutate(demo_gateway, CREATE, ines, name="À moi", ids=["T-PRINCE"]))["basket"]
    not_found = error("BASKET_NOT_FOUND", "Panier introuvable.", "basketId")

    assert await mutate(demo_gateway, RENAME, camille, id=basket["id"], name="À Camille") == {
        "basket": None,
        "errors": [not_found],
    }
    assert (await mutate(demo_gateway, ADD, camille, id=basket["id"], ids=["T-HORLA"]))["errors"] == [
        not_found
    ]
    assert (await mutate(demo_gateway, REMOVE, camille, id=basket["id"], ids=["T-PRINCE"]))["errors"] == [
        not_found
    ]
    assert (await mutate(demo_gateway, DELETE, camille, id=basket["id"]))["errors"] == [not_found]
    assert [(b["name"], b["recordCount"]) for b in await mine(demo_gateway, ines)] == [("À moi", 1)]


async def test_baskets_are_for_the_patron_and_staff_only(demo_gateway: httpx.AsyncClient) -> None:
    camille, leo = await bearer(demo_gateway, CAMILLE), await bearer(demo_gateway, LEO)
    await mutate(demo_gateway, CREATE, leo, name="BD", ids=["T-ASTERIX"])

    shared = await graphql(demo_gateway, OF, {"id": LEO}, camille)  # Camille sees Léo's loans only
    assert [e["extensions"]["code"] for e in shared["errors"]] == ["FORBIDDEN"]
    staff = await graphql(demo_gateway, OF, {"id": LEO}, STAFF)
    assert staff["data"]["patron"]["baskets"] == [{"name": "BD", "recordCount": 1}]
    for headers, code in [(None, "UNAUTHENTICATED"), (STAFF, "FORBIDDEN")]:
        body = await graphql(demo_gateway, CREATE, {"name": "X"}, headers)
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]


# ---- N+1 guard


@contextmanager
def sql_statements() -> Iterator[list[str]]:
    """Every SQL statement any engine of this process executes meanwhile."""
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def _title_ids(emulator: RunningEmulator, count: int) -> list[str]:
    connection = db.connect(emulator.db_path)
    try:
        rows = connection.execute("SELECT id FROM titles ORDER BY id LIMIT ?", (count,)).fetchall()
    finally:
        connection.close()
    return [row["id"] for row in rows]


async def _basket_round_trips(
    gateway_factory: GatewayFactory, emulator: RunningEmulator
) -> tuple[list[dict[str, Any]], dict[str, dict[str, int]], int]:
    """A fresh gateway (cold caches) signs Inès in and reads her baskets; ILS calls and SQL statements."""
    async with gateway_factory() as client, httpx.AsyncClient(base_url=emulator.admin_url) as admin:
        headers = await bearer(client, INES)
        assert (await admin.post("/stats/reset")).status_code == 200
        with sql_statements() as statements:
            body = await graphql(client, "{ me { baskets { records { title } } } }", headers=headers)
        stats: dict[str, dict[str, int]] = (await admin.get("/stats")).json()
    assert "errors" not in body, body
    return body["data"]["me"]["baskets"], stats, len(statements)


async def test_reading_baskets_costs_the_same_for_1_and_20_baskets(
    gateway_factory: GatewayFactory, ils: RunningEmulator, tmp_path: Path
) -> None:
    titles = _title_ids(ils, 60)
    database, baskets = _store(tmp_path)
    try:
        await database.migrate()
        await baskets.create(INES, "Panier 0", titles[:3], max_baskets=50, max_records=1000)
        one, one_calls, one_sql = await _basket_round_trips(gateway_factory, ils)
        for n in range(1, 20):
            await baskets.create(
                INES, f"Panier {n}", titles[3 * n : 3 * n + 3], max_baskets=50, max_records=1000
            )
        twenty, twenty_calls, twenty_sql = await _basket_round_trips(gateway_factory, ils)
    finally:
        await database.close()

    assert (len(one), len(twenty)) == (1, 20)
    assert sum(len(basket["records"]) for basket in twenty) == 60
    assert twenty_calls == one_calls
    # me: the account; records: one titles batch for every basket.
    assert twenty_calls == {"sip2": {}, "soap": {"lookupAccounts": 1, "lookupTitles": 1}}
    assert twenty_sql == one_sql
    print(f"baskets N+1 guard: ILS {twenty_calls['soap']}, SQL {one_sql} (1 basket) / {twenty_sql} (20)")
