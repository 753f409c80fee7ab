"""CSV and TSV downloads over HTTP against the emulator, parsed back and compared with what GraphQL shows:
a page of search results exactly as shown, and account summaries (one row per loan or hold).
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.conftest import bearer, graphql
from tests.e2e.downloads import csv_rows, fetch, search_export, summary_link

CAMILLE, LEO, INES = "2900000001", "2900000002", "2900000003"
STAFF = {"Authorization": "Bearer staff:staff-token-1"}

RECORD_HEADER = ["Titre", "Auteurs", "Année", "Type de document", "ISBN", "Éditeur", "Lien"]
KIND = {
    "BOOK": "Livre",
    "COMIC": "Bande dessinée",
    "DVD": "DVD",
    "MUSIC_CD": "CD musical",
    "MAGAZINE": "Revue",
    "EBOOK": "Livre numérique",
    "AUDIOBOOK": "Livre audio",
    "GAME": "Jeu",
    "SCORE": "Partition",
    "OTHER": "Autre",
}


def record_row(node: dict[str, Any]) -> list[str]:
    year = node["publicationYear"]
    return [
        node["title"],
        "; ".join(node["authors"]),
        "" if year is None else str(year),
        KIND[node["documentType"]],
        node["isbn"] or "",
        node["publisher"] or "",
    ]


async def test_a_page_of_results_exports_as_shown(demo_gateway: httpx.AsyncClient) -> None:
    first = await search_export(demo_gateway, "CSV", query="le", first=5)
    cursor = "b2Zmc2V0OjQ="  # after the fifth result: the second page
    page = await search_export(demo_gateway, "CSV", query="le", first=5, after=cursor)

    rows = csv_rows(await fetch(demo_gateway, page["export"]["url"]))

    assert rows[0] == RECORD_HEADER
    shown = [record_row(edge["node"]) for edge in page["edges"]]
    assert [row[:6] for row in rows[1:]] == shown
    assert len(shown) == 5
    assert shown != [record_row(edge["node"]) for edge in first["edges"]]


async def test_the_export_keeps_the_scope_of_the_search(demo_gateway: httpx.AsyncClient) -> None:
    scope = {"documentTypes": ["COMIC"]}
    page = await search_export(demo_gateway, "CSV", query="a", first=10, scope=scope)

    rows = csv_rows(await fetch(demo_gateway, page["export"]["url"]))

    assert rows[1:] and {row[3] for row in rows[1:]} == {"Bande dessinée"}
    assert [row[:6] for row in rows[1:]] == [record_row(edge["node"]) for edge in page["edges"]]


async def test_links_in_an_export_lead_to_the_record(demo_gateway: httpx.AsyncClient) -> None:
    page = await search_export(demo_gateway, "CSV", query="Contrevent")
    (row,) = csv_rows(await fetch(demo_gateway, page["export"]["url"]))[1:]

    answer = await demo_gateway.get(row[6].removeprefix("http://127.0.0.1:8000"))

    assert answer.json()["data"]["record"]["title"] == "La Horde du Contrevent"


async def test_an_anonymous_search_exports_too(demo_gateway: httpx.AsyncClient) -> None:
    page = await search_export(demo_gateway, "CSV", query="Damasio")

    rows = csv_rows(await fetch(demo_gateway, page["export"]["url"]))

    assert sorted(row[0] for row in rows[1:]) == ["La Horde du Contrevent", "Les Furtifs"]


ACCOUNT = """
query Account($id: ID!) {
  patron(id: $id) {
    displayName
    loans { loanType dueDate isOverdue renewalCount item { library { name } record { title authors } } }
    holds { status queuePosition pickupDeadline pickupLibrary { name } record { title } }
  }
}
"""
LOAN_KIND = {"STANDARD": "Prêt", "ONE_WEEK": "Prêt d'une semaine", "DIGITAL": "Prêt numérique"}


async def expected_rows(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    card: str,
    *,
    digital: bool,
    overdue_only: bool = False,
) -> list[tuple[str, ...]]:
    """The rows a summary must have for one account, from what GraphQL shows of it."""
    patron = (await graphql(client, ACCOUNT, {"id": card}, headers))["data"]["patron"]
    rows = []
    for loan in patron["loans"]:
        if loan["loanType"] == "DIGITAL" and not digital:
            continue
        if overdue_only and not loan["isOverdue"]:
            continue
        rows.append(
            (
                card,
                patron["displayName"],
                LOAN_KIND[loan["loanType"]],
                loan["item"]["record"]["title"],
                loan["item"]["library"]["name"],
                loan["dueDate"],
                "En retard" if loan["isOverdue"] else "",
                str(loan["renewalCount"]),
            )
        )
    for hold in [] if overdue_only else patron["holds"]:
        status = {"WAITING": f"En attente (rang {hold['queuePosition']})", "IN_TRANSIT": "En transit"}
        rows.append(
            (
                card,
                patron["displayName"],
                "Réservation",
                hold["record"]["title"],
                hold["pickupLibrary"]["name"],
                hold["pickupDeadline"] or "",
                status.get(hold["status"], "Disponible"),
                "",
            )
        )
    return rows


def summary_rows(rows: list[list[str]]) -> list[tuple[str, ...]]:
    """The compared columns (all but authors and document type) of a summary's data rows."""
    return [(r[0], r[1], r[2], r[3], r[6], r[7], r[8], r[9]) for r in rows[1:]]


async def test_the_summary_of_my_account_and_a_shared_one(demo_gateway: httpx.AsyncClient) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    body = await summary_link(demo_gateway, headers, "CSV", accountIds=[CAMILLE, LEO])

    rows = csv_rows(await fetch(demo_gateway, body["data"]["me"]["accountSummary"]["url"]))

    assert rows[0] == [
        "Carte",
        "Usager",
        "Nature",
        "Titre",
        "Auteurs",
        "Type de document",
        "Bibliothèque",
        "Échéance",
        "État",
        "Prolongations",
    ]
    expected = await expected_rows(demo_gateway, headers, CAMILLE, digital=False)
    expected += await expected_rows(demo_gateway, headers, LEO, digital=False)
    assert summary_rows(rows) == expected
    assert len(expected) == 6 + 3 + 2  # physical loans and holds of Camille, Léo's two loans
    asterix = ["2900000001", "Camille Martin", "Prêt d'une semaine", "Astérix le Gaulois"]
    assert rows[3][:6] == [*asterix, "René Goscinny; Albert Uderzo", "Bande dessinée"]


async def test_a_summary_with_digital_loans_as_tsv(demo_gateway: httpx.AsyncClient) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    body = await summary_link(demo_gateway, headers, "TSV", content="LOANS_AND_HOLDS_WITH_DIGITAL")
    link = body["data"]["me"]["accountSummary"]

    response = await fetch(demo_gateway, link["url"])

    assert (
        link["contentType"] == response.headers["content-type"] == "text/tab-separated-values; charset=utf-8"
    )
    assert link["filename"].endswith(".tsv")
    rows = csv_rows(response, delimiter="\t")
    assert summary_rows(rows) == await expected_rows(demo_gateway, headers, CAMILLE, digital=True)
    assert "Chanson douce" in {row[3] for row in rows}


async def test_a_summary_of_overdue_physical_loans_only(demo_gateway: httpx.AsyncClient) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    body = await summary_link(
        demo_gateway, headers, "CSV", content="OVERDUE_PHYSICAL_LOANS", accountIds=[CAMILLE, LEO]
    )

    rows = csv_rows(await fetch(demo_gateway, body["data"]["me"]["accountSummary"]["url"]))

    assert [(row[0], row[3]) for row in rows[1:]] == [
        (CAMILLE, "Le Bureau des légendes, saison 1"),
        (LEO, "Le Petit Nicolas"),
    ]


async def test_staff_may_download_a_patrons_summary(demo_gateway: httpx.AsyncClient) -> None:
    query = 'query { patron(id: "2900000003") { accountSummary(format: CSV) { url } } }'
    body = await graphql(demo_gateway, query, None, STAFF)

    rows = csv_rows(await fetch(demo_gateway, body["data"]["patron"]["accountSummary"]["url"]))

    assert [(row[0], row[3]) for row in rows[1:]] == [(INES, "Harry Potter à l'école des sorciers")]


async def test_a_shared_viewer_may_download_the_shared_account_alone(demo_gateway: httpx.AsyncClient) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    query = 'query { patron(id: "2900000002") { accountSummary(format: CSV) { url } } }'
    body = await graphql(demo_gateway, query, None, headers)

    rows = csv_rows(await fetch(demo_gateway, body["data"]["patron"]["accountSummary"]["url"]))

    assert {row[0] for row in rows[1:]} == {LEO}


async def test_a_shared_account_cannot_add_the_viewers_own(demo_gateway: httpx.AsyncClient) -> None:
    # On Léo's account, "accounts shared with it" are Léo's, not Camille's.
    headers = await bearer(demo_gateway, CAMILLE)
    query = """
    query { patron(id: "2900000002") { accountSummary(format: CSV, accountIds: ["2900000001"]) { url } } }
    """

    body = await graphql(demo_gateway, query, None, headers)

    assert [error["extensions"]["code"] for error in body["errors"]] == ["FORBIDDEN"]


async def test_too_many_accounts_is_bad_input(demo_gateway: httpx.AsyncClient) -> None:
    headers = await bearer(demo_gateway, CAMILLE)

    body = await summary_link(demo_gateway, headers, "CSV", accountIds=[f"29{n:08d}" for n in range(21)])

    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == "Trop de comptes dans une seule synthèse : 20 au plus."


async def test_an_english_request_gives_an_english_file(demo_gateway: httpx.AsyncClient) -> None:
    headers = {**await bearer(demo_gateway, CAMILLE), "Accept-Language": "en"}
    body = await summary_link(demo_gateway, headers, "CSV")
    link = body["data"]["me"]["accountSummary"]

    rows = csv_rows(await fetch(demo_gateway, link["url"]))

    assert link["filename"] == "account-summary-2026-12-01.csv"
    assert rows[0][:4] == ["Card", "Patron", "Kind", "Title"]
    assert "Overdue" in {row[8] for row in rows}
