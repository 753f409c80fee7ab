"""PDF downloads over HTTP against the emulator, read back with pypdf and compared with what
GraphQL shows: the network, the patron, the day, every record or loan and hold in a table with
its header on each page, "Page n / N" on each page, Latin Extended names as typed, and the font
embedded (no font of the reader's machine is needed).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import httpx
import pypdf
from pypdf.generic import DictionaryObject

from emulator import db
from emulator.runner import RunningEmulator
from tests.e2e.conftest import bearer, graphql
from tests.e2e.downloads import CREATE_BASKET, basket_export, extended_basket, fetch, summary_link
from tests.e2e.test_downloads_csv import RECORD_HEADER, expected_rows, record_row

CAMILLE, LEO = "2900000001", "2900000002"
NETWORK = "Bibliothèques de la Ville de Paris"


def read(response: httpx.Response) -> pypdf.PdfReader:
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(response.content))


def flat(text: str) -> str:
    """Text with every run of white space as one space (cells wrap over lines)."""
    return " ".join(text.split())


def pages_text(reader: pypdf.PdfReader) -> list[str]:
    return [flat(page.extract_text()) for page in reader.pages]


def in_order(text: str, values: list[str]) -> bool:
    """Whether the values appear in the text one after the other (cells of a row, rows of a table)."""
    position = 0
    for value in values:
        found = text.find(flat(value), position)
        if found < 0:
            return False
        position = found + len(flat(value))
    return True


def fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Each font the pages use, and whether the file embeds it."""
    used: dict[str, bool] = {}
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", DictionaryObject()).get_object().values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            used[str(font["/BaseFont"])] = embedded
    return used


def links(reader: pypdf.PdfReader) -> list[str]:
    return [
        str(annotation.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]


async def test_a_basket_as_pdf_reads_back_with_its_names_as_typed(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    camille = await bearer(demo_gateway, CAMILLE)
    basket = await extended_basket(demo_gateway, ils, camille, "PDF")

    reader = read(await fetch(demo_gateway, basket["export"]["url"]))

    (text,) = pages_text(reader)
    assert in_order(
        text,
        [
            "Panier « Œuvres de Łódź »",
            NETWORK,
            "Pour : Camille Martin",
            "Le 01/12/2026",
            "5 notice(s)",
            *RECORD_HEADER[:6],
        ],
    )
    for record in basket["records"]:
        assert in_order(text, [value for value in record_row(record) if value]), record["title"]
    assert in_order(
        text, ["Antonín Dvořák", "Wydawnictwo Muzyczne Łódź", "Łódź, cœur ouvrier", "Jérôme Lefèvre"]
    )
    # Each page's running head and number are drawn last (once the number of pages is known).
    assert text.endswith(f"{NETWORK} — Panier « Œuvres de Łódź » Page 1 / 1")
    assert reader.metadata is not None and reader.metadata.title == "Panier « Œuvres de Łódź »"
    assert fonts(reader) and all(fonts(reader).values()), fonts(reader)
    assert {name.split("+")[-1] for name in fonts(reader)} == {"Roboto-Regular", "Roboto-Bold"}
    assert basket["export"]["filename"] == "panier-œuvres-de-łódź-2026-12-01.pdf"


async def test_each_title_links_to_its_record(demo_gateway: httpx.AsyncClient) -> None:
    camille = await bearer(demo_gateway, CAMILLE)
    (basket,) = await basket_export(demo_gateway, camille, "PDF")

    urls = links(read(await fetch(demo_gateway, basket["export"]["url"])))

    titles = []
    for url in urls:
        answer = await demo_gateway.get(url.removeprefix("http://127.0.0.1:8000"))
        titles.append(answer.json()["data"]["record"]["title"])
    assert titles == [record["title"] for record in basket["records"]]


def _title_ids(emulator: RunningEmulator, count: int) -> list[str]:
    connection = db.connect(emulator.db_path)
    try:
        rows = connection.execute("SELECT id FROM titles ORDER BY id LIMIT ?", (count,)).fetchall()
    finally:
        connection.close()
    return [row["id"] for row in rows]


async def test_a_long_basket_numbers_its_pages_and_repeats_the_header(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    camille = await bearer(demo_gateway, CAMILLE)
    ids = _title_ids(ils, 120)
    created = await graphql(demo_gateway, CREATE_BASKET, {"name": "Tout lire", "ids": ids}, camille)
    assert created["data"]["createBasket"]["errors"] == []
    (basket,) = [b for b in await basket_export(demo_gateway, camille, "PDF") if b["name"] == "Tout lire"]

    pages = pages_text(read(await fetch(demo_gateway, basket["export"]["url"])))

    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"{NETWORK} — Panier « Tout lire » Page {number} / {len(pages)}")
        assert in_order(page, RECORD_HEADER[:6]), number
    whole = " ".join(pages)
    assert in_order(whole, [value for record in basket["records"] for value in record_row(record)[:2]])
    assert len(basket["records"]) == 120


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


async def _section(client: httpx.AsyncClient, headers: dict[str, str], card: str, **kind: Any) -> list[str]:
    """The values a section must show in order: its heading, then each line's cells."""
    rows = await expected_rows(client, headers, card, **kind)
    name = rows[0][1] if rows else ""
    values = [f"{name} — carte {card}"] if rows else []
    for _, _, kind_label, title, library, due, status, renewals in rows:
        values += [kind_label, title, library, _day(due), status, renewals]
    return [value for value in values if value]


async def test_an_account_summary_as_pdf_has_a_section_per_account(demo_gateway: httpx.AsyncClient) -> None:
    camille = await bearer(demo_gateway, CAMILLE)
    body = await summary_link(
        demo_gateway, camille, "PDF", content="LOANS_AND_HOLDS_WITH_DIGITAL", accountIds=[CAMILLE, LEO]
    )
    link = body["data"]["me"]["accountSummary"]

    reader = read(await fetch(demo_gateway, link["url"]))

    text = " ".join(pages_text(reader))
    mine = await _section(demo_gateway, camille, CAMILLE, digital=True)
    leos = await _section(demo_gateway, camille, LEO, digital=True)
    assert in_order(text, ["Synthèse du compte", NETWORK, "Pour : Camille Martin", "Le 01/12/2026"])
    assert in_order(text, ["Prêts physiques et numériques, réservations", *mine, *leos])
    assert "Chanson douce" in text and "Mémoires d'Hadrien" in text and "Mortelle Adèle, tome 1" in text
    assert link["filename"] == "synthese-compte-2026-12-01.pdf"
    assert link["contentType"] == "application/pdf"
    assert all(fonts(reader).values())


async def test_a_pdf_summary_of_overdue_physical_loans(demo_gateway: httpx.AsyncClient) -> None:
    camille = await bearer(demo_gateway, CAMILLE)
    body = await summary_link(
        demo_gateway, camille, "PDF", content="OVERDUE_PHYSICAL_LOANS", accountIds=[CAMILLE, LEO]
    )

    text = " ".join(pages_text(read(await fetch(demo_gateway, body["data"]["me"]["accountSummary"]["url"]))))

    assert in_order(
        text,
        [
            "Prêts physiques en retard",
            "Camille Martin — carte 2900000001",
            "Le Bureau des légendes, saison 1",
            "En retard",
            "Léo Martin — carte 2900000002",
            "Le Petit Nicolas",
            "En retard",
        ],
    )
    assert "Réservation" not in text and "Astérix" not in text and "Chanson douce" not in text


async def test_a_pdf_summary_in_english(demo_gateway: httpx.AsyncClient) -> None:
    headers = {**await bearer(demo_gateway, CAMILLE), "Accept-Language": "en"}
    body = await summary_link(demo_gateway, headers, "PDF")
    link = body["data"]["me"]["accountSummary"]

    text = " ".join(pages_text(read(await fetch(demo_gateway, link["url"]))))

    assert in_order(text, ["Account summary", NETWORK, "For: Camille Martin", "On 2026-12-01"])
    assert in_order(text, ["Camille Martin — card 2900000001", "Kind", "Title", "Overdue"])
    assert text.endswith("Page 1 of 1")
    assert link["filename"] == "account-summary-2026-12-01.pdf"
