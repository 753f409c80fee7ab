"""Basket exports over HTTP against the emulator: the basket's records as stored when the link is
opened, for its owner and staff only; a link to a deleted basket, or forged for another patron's
basket, is refused.
"""

from __future__ import annotations

from datetime import timedelta

import httpx

from emulator.runner import RunningEmulator
from schema.downloads.formats import ExportFormat
from schema.downloads.grants import BasketFile
from schema.downloads.tokens import DownloadTokens
from tests.e2e.conftest import Clock, GatewayFactory, bearer, graphql, soap_count
from tests.e2e.downloads import CREATE_BASKET, basket_export, csv_rows, fetch
from tests.e2e.test_downloads_csv import RECORD_HEADER, record_row
from tests.e2e.test_portal_baskets import _title_ids, sql_statements

CAMILLE, LEO = "2900000001", "2900000002"
STAFF = {"Authorization": "Bearer staff:staff-token-1"}
SECRET = "test-secret-key"  # the gateway_factory's
OF = """
query Of($id: ID!) { patron(id: $id) { baskets { id name export(format: CSV) { url filename } } } }
"""
DELETE = "mutation D($id: ID!) { deleteBasket(basketId: $id) { deleted errors { code } } }"
ADD = "mutation A($id: ID!, $ids: [ID!]!) { addToBasket(basketId: $id, recordIds: $ids) { errors { code } } }"


async def test_a_basket_exports_its_records_in_order(demo_gateway: httpx.AsyncClient) -> None:
    camille = await bearer(demo_gateway, CAMILLE)
    (basket,) = await basket_export(demo_gateway, camille, "CSV")

    response = await fetch(demo_gateway, basket["export"]["url"])

    rows = csv_rows(response)
    assert rows[0] == RECORD_HEADER
    assert [row[:6] for row in rows[1:]] == [record_row(record) for record in basket["records"]]
    assert [row[0] for row in rows[1:]] == ["Le Petit Prince", "Madame Bovary", "L'Élégance du hérisson"]
    assert basket["export"]["filename"] == "panier-à-lire-cet-été-2026-12-01.csv"
    assert (
        "filename*=UTF-8''panier-%C3%A0-lire-cet-%C3%A9t%C3%A9-2026-12-01.csv"
        in (response.headers["content-disposition"])
    )


async def test_the_file_shows_the_basket_as_it_is_when_opened(demo_gateway: httpx.AsyncClient) -> None:
    camille = await bearer(demo_gateway, CAMILLE)
    (basket,) = await basket_export(demo_gateway, camille, "CSV")
    added = await graphql(demo_gateway, ADD, {"id": basket["id"], "ids": ["T-HORLA"]}, camille)
    assert added["data"]["addToBasket"]["errors"] == []

    rows = csv_rows(await fetch(demo_gateway, basket["export"]["url"]))

    assert [row[0] for row in rows[1:]][-1] == "Le Horla"


async def test_a_deleted_basket_is_gone(demo_gateway: httpx.AsyncClient) -> None:
    camille = await bearer(demo_gateway, CAMILLE)
    (basket,) = await basket_export(demo_gateway, camille, "CSV")
    deleted = await graphql(demo_gateway, DELETE, {"id": basket["id"]}, camille)
    assert deleted["data"]["deleteBasket"] == {"deleted": True, "errors": []}

    response = await fetch(demo_gateway, basket["export"]["url"])

    assert response.status_code == 404
    assert "Traceback" not in response.text


async def test_another_patrons_basket_cannot_be_exported(demo_gateway: httpx.AsyncClient) -> None:
    # Camille sees Léo's loans (an accepted share), never his portal data.
    camille = await bearer(demo_gateway, CAMILLE)

    body = await graphql(demo_gateway, OF, {"id": "2900000001"}, await bearer(demo_gateway, LEO))
    shared = await graphql(demo_gateway, OF, {"id": LEO}, camille)

    assert body["data"] is None or body["data"]["patron"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["FORBIDDEN"]
    assert [error["extensions"]["code"] for error in shared["errors"]] == ["FORBIDDEN"]


async def test_staff_export_a_patrons_basket(demo_gateway: httpx.AsyncClient) -> None:
    body = await graphql(demo_gateway, OF, {"id": CAMILLE}, STAFF)
    (basket,) = body["data"]["patron"]["baskets"]

    rows = csv_rows(await fetch(demo_gateway, basket["export"]["url"]))

    assert basket["name"] == "À lire cet été"
    assert len(rows) == 4


async def test_a_genuine_grant_to_someone_elses_basket_is_refused_at_download(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator, clock: Clock
) -> None:
    # As if a link had been issued wrongly: Léo, holding a token for Camille's basket.
    camille = await bearer(demo_gateway, CAMILLE)
    (basket,) = await basket_export(demo_gateway, camille, "CSV")
    tokens = DownloadTokens(SECRET, timedelta(minutes=10))
    subject = BasketFile(basket["id"], CAMILLE, ExportFormat.CSV)
    token = tokens.sign(tokens.grant(LEO, False, subject, "fr", clock.now, clock.now.date()))
    titles = await soap_count(ils, "lookupTitles")

    response = await demo_gateway.get(f"/downloads/{token}")

    assert response.status_code == 403
    assert "Vous n'avez plus accès à ces données." in response.text
    assert await soap_count(ils, "lookupTitles") == titles  # refused before the ILS is asked


async def test_a_basket_id_never_reaches_another_owners_basket(
    demo_gateway: httpx.AsyncClient, clock: Clock
) -> None:
    # A grant naming Léo as owner of Camille's basket id finds no such basket of Léo's.
    camille = await bearer(demo_gateway, CAMILLE)
    (basket,) = await basket_export(demo_gateway, camille, "CSV")
    tokens = DownloadTokens(SECRET, timedelta(minutes=10))
    subject = BasketFile(basket["id"], LEO, ExportFormat.CSV)
    token = tokens.sign(tokens.grant(LEO, False, subject, "fr", clock.now, clock.now.date()))

    response = await demo_gateway.get(f"/downloads/{token}")

    assert response.status_code == 404


async def _download_calls(
    client: httpx.AsyncClient, emulator: RunningEmulator, headers: dict[str, str], name: str
) -> tuple[int, dict[str, dict[str, int]], int]:
    """A basket's CSV download with cold caches: its rows, the ILS calls and SQL statements it cost."""
    # The link alone (asking for `records` would put them in the gateway's cache).
    body = await graphql(client, "{ me { baskets { name export(format: CSV) { url } } } }", None, headers)
    (basket,) = [b for b in body["data"]["me"]["baskets"] if b["name"] == name]
    async with httpx.AsyncClient(base_url=emulator.admin_url) as admin:
        assert (await admin.post("/stats/reset")).status_code == 200
        with sql_statements() as statements:
            response = await fetch(client, basket["export"]["url"])
        stats: dict[str, dict[str, int]] = (await admin.get("/stats")).json()
    return len(csv_rows(response)) - 1, stats, len(statements)


async def test_a_download_costs_the_same_calls_for_3_and_300_records(
    gateway_factory: GatewayFactory, ils: RunningEmulator
) -> None:
    ids = _title_ids(ils, 300)
    async with gateway_factory() as client:
        camille = await bearer(client, CAMILLE)
        for name, records in (("Trois", ids[:3]), ("Trois cents", ids)):
            created = await graphql(client, CREATE_BASKET, {"name": name, "ids": records}, camille)
            assert created["data"]["createBasket"]["errors"] == []
    # A fresh gateway for each download: nothing of the records is cached yet.
    async with gateway_factory() as client:
        few, few_calls, few_sql = await _download_calls(client, ils, await bearer(client, CAMILLE), "Trois")
    async with gateway_factory() as client:
        many, many_calls, many_sql = await _download_calls(
            client, ils, await bearer(client, CAMILLE), "Trois cents"
        )

    assert (few, many) == (3, 300)
    assert many_calls == few_calls
    # The owner's name, and every record in one batch (the WSDL's batches hold 500 ids).
    assert many_calls == {"sip2": {}, "soap": {"lookupAccounts": 1, "lookupTitles": 1}}
    assert many_sql == few_sql
