"""RIS downloads over HTTP against the emulator, parsed back with rispy (as Zotero reads them) and
compared with what GraphQL shows of the same records and with the ILS's data (languages).
"""

from __future__ import annotations

from typing import Any

import httpx
import rispy

from emulator.runner import RunningEmulator
from tests.e2e.conftest import bearer
from tests.e2e.downloads import extended_basket, fetch, languages, search_export

CAMILLE = "2900000001"
# TY by document type (Zotero: book, video recording, audio recording, magazine article, score...).
TY = {
    "BOOK": "BOOK",
    "COMIC": "BOOK",
    "DVD": "VIDEO",
    "MUSIC_CD": "SOUND",
    "MAGAZINE": "MGZN",
    "EBOOK": "EBOOK",
    "AUDIOBOOK": "SOUND",
    "GAME": "GEN",
    "SCORE": "MUSIC",
    "OTHER": "GEN",
}
KIND = {
    "SCORE": "Partition",
    "BOOK": "Livre",
    "DVD": "DVD",
    "COMIC": "Bande dessinée",
    "EBOOK": "Livre numérique",
}
NETWORK = "Bibliothèques de la Ville de Paris"


def expected(record: dict[str, Any], language: str) -> dict[str, Any]:
    """The reference rispy must read for a record as GraphQL shows it."""
    reference: dict[str, Any] = {
        "type_of_reference": TY[record["documentType"]],
        "title": record["title"],
        "authors": record["authors"],
        "language": language,
        "type_of_work": KIND[record["documentType"]],
        "name_of_database": NETWORK,
    }
    optional = {"year": record["publicationYear"], "issn": record["isbn"], "publisher": record["publisher"]}
    reference |= {key: str(value) for key, value in optional.items() if value is not None}
    return reference


async def test_a_basket_exports_as_ris_that_rispy_reads_back(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    camille = await bearer(demo_gateway, CAMILLE)
    basket = await extended_basket(demo_gateway, ils, camille, "RIS")

    response = await fetch(demo_gateway, basket["export"]["url"])

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-research-info-systems"
    assert basket["export"]["filename"] == "panier-œuvres-de-łódź-2026-12-01.ris"
    references = rispy.loads(response.content.decode("utf-8"))
    records = basket["records"]
    spoken = languages(ils, [record["id"] for record in records])
    assert [
        {key: ref[key] for key in expected(rec, "") if key in ref}
        for ref, rec in zip(references, records, strict=True)
    ] == [expected(record, spoken[record["id"]]) for record in records]
    assert [reference["authors"] for reference in references[:2]] == [
        ["Antonín Dvořák"],
        ["Zofia Dvořáková", "Jérôme Lefèvre"],
    ]
    assert [reference["language"] for reference in references[:3]] == ["cze", "fre", "fre"]
    assert [reference["type_of_reference"] for reference in references] == [
        "MUSIC",
        "BOOK",
        "VIDEO",
        "BOOK",
        "EBOOK",
    ]


async def test_each_reference_links_to_its_record(demo_gateway: httpx.AsyncClient) -> None:
    page = await search_export(demo_gateway, "RIS", query="Damasio")
    references = rispy.loads((await fetch(demo_gateway, page["export"]["url"])).content.decode("utf-8"))

    for reference, edge in zip(references, page["edges"], strict=True):
        (url,) = reference["urls"]
        answer = await demo_gateway.get(url.removeprefix("http://127.0.0.1:8000"))
        assert answer.json()["data"]["record"]["title"] == edge["node"]["title"]
    assert len(references) == 2


async def test_a_page_of_results_exports_as_ris_as_shown(demo_gateway: httpx.AsyncClient) -> None:
    page = await search_export(demo_gateway, "RIS", query="le", first=5, after="b2Zmc2V0OjQ=")

    references = rispy.loads((await fetch(demo_gateway, page["export"]["url"])).content.decode("utf-8"))

    assert [reference["title"] for reference in references] == [
        edge["node"]["title"] for edge in page["edges"]
    ]
    assert page["export"]["filename"] == "recherche-le-2026-12-01.ris"


async def test_a_line_break_in_a_value_never_starts_a_tag(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    from emulator import db

    connection = db.connect(ils.db_path)
    try:
        connection.execute(
            "UPDATE titles SET title = ? WHERE id = 'T-HORDE'", ("La Horde\r\nER  - \r\nTY  - GEN",)
        )
    finally:
        connection.close()
    page = await search_export(demo_gateway, "RIS", query="Damasio")

    references = rispy.loads((await fetch(demo_gateway, page["export"]["url"])).content.decode("utf-8"))

    assert len(references) == 2
    assert "La Horde ER  - TY  - GEN" in {reference["title"] for reference in references}
