"""Helpers of the download tests: ask for a link over GraphQL, fetch it as a browser would, seed shares."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from emulator import db
from emulator.runner import RunningEmulator
from tests.e2e.conftest import graphql

SEARCH_EXPORT = """
query Search($query: String!, $first: Int, $after: String, $scope: SearchScopeInput, $format: ExportFormat!) {
  search(query: $query, first: $first, after: $after, scope: $scope) {
    edges { node { id title authors publicationYear documentType isbn publisher } }
    export(format: $format) { url filename contentType expiresAt }
  }
}
"""

SUMMARY = """
query Summary($format: SummaryFormat!, $content: SummaryContent, $accountIds: [ID!]) {
  me {
    accountSummary(format: $format, content: $content, accountIds: $accountIds) {
      url filename contentType expiresAt
    }
  }
}
"""

BASKET_EXPORT = """
query Baskets($format: ExportFormat!) {
  me {
    baskets {
      id name
      records { id title authors publicationYear documentType isbn publisher }
      export(format: $format) { url filename contentType expiresAt }
    }
  }
}
"""


async def basket_export(
    client: httpx.AsyncClient, headers: dict[str, str], format: str
) -> list[dict[str, Any]]:
    """The viewer's baskets, each with its records and its export link (asserting no error)."""
    body = await graphql(client, BASKET_EXPORT, {"format": format}, headers)
    assert "errors" not in body, body
    baskets: list[dict[str, Any]] = body["data"]["me"]["baskets"]
    return baskets


# Records beyond the demo data, in the ILS of a test only: Latin Extended names, œ, another language.
# id, title, authors, year, document type, ISBN, publisher, language
EXTENDED_TITLES = (
    (
        "T-DVORAK",
        "Symphonie n° 9 « Du Nouveau Monde »",
        "Antonín Dvořák",
        1893,
        "SCORE",
        "9790260000011",
        "Wydawnictwo Muzyczne Łódź",
        "cze",
    ),
    (
        "T-LODZ",
        "Łódź, cœur ouvrier : œuvres et manœuvres",
        "Zofia Dvořáková ; Jérôme Lefèvre",
        2021,
        "BOOK",
        "9782000000995",
        "Éditions de l'Œil",
        "fre",
    ),
)
# Demo records of other kinds: a DVD, a comic, an e-book.
DEMO_KINDS = ("T-BUREAU", "T-ASTERIX", "T-CHANSON")
CREATE_BASKET = """
mutation Create($name: String!, $ids: [ID!]) {
  createBasket(name: $name, recordIds: $ids) { basket { id } errors { code } }
}
"""


def add_extended_titles(emulator: RunningEmulator) -> list[str]:
    """Put EXTENDED_TITLES in the emulator's catalogue; their ids."""
    connection = db.connect(emulator.db_path)
    try:
        for tid, title, authors, year, kind, isbn, publisher, language in EXTENDED_TITLES:
            connection.execute(
                db.INSERT_TITLE, (tid, title, authors, year, kind, isbn, publisher, 0, "2026-01-01")
            )
            connection.execute("UPDATE titles SET language = ? WHERE id = ?", (language, tid))
    finally:
        connection.close()
    return [row[0] for row in EXTENDED_TITLES]


def languages(emulator: RunningEmulator, title_ids: list[str]) -> dict[str, str]:
    """The language the ILS records for each title."""
    connection = db.connect(emulator.db_path)
    try:
        marks = ", ".join("?" for _ in title_ids)
        rows = connection.execute(f"SELECT id, language FROM titles WHERE id IN ({marks})", title_ids)
        return {row["id"]: row["language"] for row in rows}
    finally:
        connection.close()


async def extended_basket(
    client: httpx.AsyncClient, emulator: RunningEmulator, headers: dict[str, str], format: str
) -> dict[str, Any]:
    """A new basket "Œuvres de Łódź" of the viewer with EXTENDED_TITLES and DEMO_KINDS, with its export."""
    ids = [*add_extended_titles(emulator), *DEMO_KINDS]
    created = await graphql(client, CREATE_BASKET, {"name": "Œuvres de Łódź", "ids": ids}, headers)
    assert created["data"]["createBasket"]["errors"] == [], created
    basket_id = created["data"]["createBasket"]["basket"]["id"]
    (basket,) = [b for b in await basket_export(client, headers, format) if b["id"] == basket_id]
    assert [record["id"] for record in basket["records"]] == ids
    return basket


async def search_export(
    client: httpx.AsyncClient,
    format: str,
    query: str = "a",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The `search` answer with its export link (asserting no error)."""
    body = await graphql(client, SEARCH_EXPORT, {"query": query, "format": format, **extra}, headers)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["search"]
    return result


async def summary_link(
    client: httpx.AsyncClient, headers: dict[str, str], format: str, **variables: Any
) -> dict[str, Any]:
    """The whole answer of `me { accountSummary }` (errors included)."""
    return await graphql(client, SUMMARY, {"format": format, **variables}, headers)


async def fetch(client: httpx.AsyncClient, url: str, **headers: str) -> httpx.Response:
    """GET a download link as a new browser tab would: no cookie, no Authorization header."""
    client.cookies.clear()
    parts = urlsplit(url)
    return await client.get(parts.path, headers=headers)


def csv_rows(response: httpx.Response, delimiter: str = ",") -> list[list[str]]:
    """The rows of a CSV/TSV download (header first), after checking its byte-order mark."""
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    if delimiter == "\t":
        return [line.split("\t") for line in text.split("\r\n") if line]
    return list(csv.reader(io.StringIO(text, newline="")))


async def seed_share(
    database: Path, owner: str, viewer: str, *, since: datetime, expires_at: datetime | None = None
) -> None:
    """Record an accepted share in the gateway's database (before the gateway opens it)."""
    from adapters.store.database import Database
    from adapters.store.sql import sql_store

    store_db = Database(f"sqlite+aiosqlite:///{database}")
    try:
        await store_db.migrate()
        store = sql_store(store_db.sessions, clock=lambda: since)
        await store.shares.create(owner_id=owner, viewer_id=viewer, expires_at=expires_at)
    finally:
        await store_db.close()
