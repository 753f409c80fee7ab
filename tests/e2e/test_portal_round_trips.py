"""ILS round trips of the dashboard operation (the contract's exact document) do not grow with loans.

The emulator counts every SIP2 message and SOAP call (admin API). Camille's account is given
3 loans, then 20, in the ILS itself; each time a fresh gateway (cold caches) signs her in and
sends the dashboard: the counts per protocol and operation must be the same.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from emulator import db
from emulator.runner import RunningEmulator
from emulator.seed import DEMO_TODAY
from tests.e2e.conftest import GatewayFactory, bearer, dashboard_document, graphql

CAMILLE = "2900000001"
KEPT = ("T-HORDE", "T-BUREAU", "T-ANOMALIE")  # a renewable, an overdue and a reserved loan


def keep_three_loans(emulator: RunningEmulator) -> None:
    connection = db.connect(emulator.db_path)
    try:
        connection.execute(
            "DELETE FROM loans WHERE patron_id = ? AND item_id NOT IN"
            " (SELECT id FROM items WHERE title_id IN (?, ?, ?))",
            (CAMILLE, *KEPT),
        )
    finally:
        connection.close()


def lend_more(emulator: RunningEmulator, count: int) -> None:
    """Check out `count` copies of distinct titles from several libraries to Camille, in the ILS's data."""
    connection = db.connect(emulator.db_path)
    try:
        rows = connection.execute(
            "SELECT MIN(id) AS id FROM items WHERE status = 'AVAILABLE' AND library_code <> 'NUMERIQUE'"
            " GROUP BY title_id ORDER BY title_id LIMIT ?",
            (count,),
        ).fetchall()
        assert len(rows) == count
        out = DEMO_TODAY - timedelta(days=3)
        connection.execute("BEGIN")
        for n, row in enumerate(rows):
            connection.execute(
                "INSERT INTO loans (patron_id, item_id, checked_out_on, due_date, renewal_count, loan_type)"
                " VALUES (?, ?, ?, ?, 0, 'STANDARD')",
                (CAMILLE, row["id"], out.isoformat(), (out + timedelta(days=20 + n)).isoformat()),
            )
            connection.execute("UPDATE items SET status = 'CHECKED_OUT' WHERE id = ?", (row["id"],))
        connection.execute("COMMIT")
    finally:
        connection.close()


async def dashboard_round_trips(
    gateway_factory: GatewayFactory, emulator: RunningEmulator
) -> tuple[dict[str, Any], dict[str, dict[str, int]]]:
    """A fresh gateway signs Camille in and sends the dashboard; its data and the ILS calls it made."""
    async with gateway_factory() as client, httpx.AsyncClient(base_url=emulator.admin_url) as admin:
        headers = await bearer(client, CAMILLE)
        assert (await admin.post("/stats/reset")).status_code == 200
        body = await graphql(client, dashboard_document(), headers=headers)
        stats: dict[str, dict[str, int]] = (await admin.get("/stats")).json()
    assert "errors" not in body, body
    me: dict[str, Any] = body["data"]["me"]
    return me, stats


async def test_the_dashboard_costs_the_same_round_trips_for_3_and_20_loans(
    gateway_factory: GatewayFactory, ils: RunningEmulator, tmp_path: Path
) -> None:
    from gateway.serve import seed_demo_portal

    await seed_demo_portal(f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}")  # Camille sees Léo
    keep_three_loans(ils)
    few, few_calls = await dashboard_round_trips(gateway_factory, ils)
    lend_more(ils, 17)
    many, many_calls = await dashboard_round_trips(gateway_factory, ils)

    assert (few["loanCount"], many["loanCount"]) == (3, 20)
    assert len({loan["item"]["record"]["id"] for loan in many["loans"]}) == 20
    assert len({loan["item"]["library"]["code"] for loan in many["loans"]}) > 1
    assert [shared["owner"]["id"] for shared in many["sharedAccounts"]] == ["2900000002"]
    assert many_calls == few_calls
    # Reads are SOAP batches; nothing of the dashboard goes through SIP2.
    assert many_calls["sip2"] == {}
    # One batch per kind of object: the shared account's with the viewer's (cold caches).
    one_each = {"lookupAccounts": 1, "lookupItems": 1, "lookupLibraries": 1, "lookupTitles": 1}
    assert many_calls["soap"] == one_each


PASS_THROUGH = "{ me { loans { id dueDate item { id record { id } } } } }"


async def test_a_50_loan_pass_through_query_costs_one_account_read(
    gateway_factory: GatewayFactory, ils: RunningEmulator
) -> None:
    keep_three_loans(ils)
    lend_more(ils, 47)
    async with gateway_factory() as client, httpx.AsyncClient(base_url=ils.admin_url) as admin:
        headers = await bearer(client, CAMILLE)
        assert (await admin.post("/stats/reset")).status_code == 200
        body = await graphql(client, PASS_THROUGH, headers=headers)
        stats = (await admin.get("/stats")).json()
        # The ids are the ILS's own: the same as a query that reads the items and records.
        full = await graphql(
            client, "{ me { loans { id item { id status record { id title } } } } }", headers=headers
        )
    assert "errors" not in body, body
    loans = body["data"]["me"]["loans"]
    assert len(loans) == 50
    # Item and record ids are on the loan: no lookupItems, lookupTitles or lookupLibraries.
    assert stats == {"sip2": {}, "soap": {"lookupAccounts": 1}}
    assert [(loan["id"], loan["item"]) for loan in loans] == [
        (loan["id"], {"id": loan["item"]["id"], "record": {"id": loan["item"]["record"]["id"]}})
        for loan in full["data"]["me"]["loans"]
    ]
