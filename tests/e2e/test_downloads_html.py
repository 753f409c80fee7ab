"""HTML downloads over HTTP against the emulator: a standalone, accessible page parsed back with
html.parser and compared with what GraphQL shows (lang, caption, headers with scope, links, no
external assets), in French and in English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx

from emulator.runner import RunningEmulator
from tests.e2e.conftest import bearer
from tests.e2e.downloads import extended_basket, fetch, search_export
from tests.e2e.test_downloads_csv import RECORD_HEADER, record_row

CAMILLE = "2900000001"


@dataclass
class Page(HTMLParser):
    """What a reader (or a screen reader) gets of the page."""

    lang: str | None = None
    title: str = ""
    h1: str = ""
    caption: str = ""
    paragraphs: list[str] = field(default_factory=list)
    column_headers: list[tuple[str | None, str]] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    row_headers: list[str | None] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    # Anything that would load from elsewhere: scripts, sheets, images, frames, fonts.
    external: list[str] = field(default_factory=list)
    _open: list[str] = field(default_factory=list)
    _text: str = ""

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag in {"script", "link", "img", "iframe", "object", "embed"} or "src" in attributes:
            self.external.append(tag)
        if tag == "a":
            self.links.append(attributes.get("href") or "")
        if tag == "tr" and "tbody" in self._open:
            self.rows.append([])
        if tag == "th" and "tbody" in self._open:
            self.row_headers.append(attributes.get("scope"))
        if tag == "th" and "thead" in self._open:
            self.column_headers.append((attributes.get("scope"), ""))
        self._open.append(tag)
        self._text = ""

    def handle_endtag(self, tag: str) -> None:
        text = self._text.strip()
        if tag == "title":
            self.title = text
        elif tag == "h1":
            self.h1 = text
        elif tag == "caption":
            self.caption = text
        elif tag == "p":
            self.paragraphs.append(text)
        elif tag == "th" and "thead" in self._open:
            self.column_headers[-1] = (self.column_headers[-1][0], text)
        elif tag in {"th", "td"} and "tbody" in self._open:
            self.rows[-1].append(text)
        if tag != "a" and tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]
        if tag not in {"a", "time"}:
            self._text = ""

    def handle_data(self, data: str) -> None:
        self._text += data


def parse(response: httpx.Response) -> Page:
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = Page()
    page.feed(response.content.decode("utf-8"))
    page.close()
    return page


def records_shown(records: list[dict[str, Any]]) -> list[list[str]]:
    return [record_row(record) for record in records]


async def test_a_basket_exports_as_an_accessible_page(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    camille = await bearer(demo_gateway, CAMILLE)
    basket = await extended_basket(demo_gateway, ils, camille, "HTML")

    page = parse(await fetch(demo_gateway, basket["export"]["url"]))

    assert page.lang == "fr"
    assert page.h1 == "Panier « Œuvres de Łódź »"
    assert page.title == "Panier « Œuvres de Łódź » — Bibliothèques de la Ville de Paris"
    assert page.caption == "Panier « Œuvres de Łódź » — 5 notice(s)"
    assert page.paragraphs == ["Bibliothèques de la Ville de Paris", "Pour : Camille Martin", "Le 01/12/2026"]
    assert page.column_headers == [("col", name) for name in RECORD_HEADER[:6]]
    assert page.rows == records_shown(basket["records"])
    assert page.row_headers == ["row"] * 5
    assert page.rows[0][:2] == ["Symphonie n° 9 « Du Nouveau Monde »", "Antonín Dvořák"]
    assert page.external == []
    assert len(page.links) == 5 and all(
        link.startswith("http://127.0.0.1:8000/graphql?") for link in page.links
    )
    assert basket["export"]["filename"] == "panier-œuvres-de-łódź-2026-12-01.html"


async def test_the_page_is_in_english_when_asked(demo_gateway: httpx.AsyncClient) -> None:
    page_of_results = await search_export(
        demo_gateway, "HTML", query="Damasio", headers={"Accept-Language": "en"}
    )

    page = parse(await fetch(demo_gateway, page_of_results["export"]["url"]))

    assert page.lang == "en"
    assert page.h1 == "Search results: “Damasio”"
    assert page.paragraphs == ["Bibliothèques de la Ville de Paris", "On 2026-12-01"]
    assert [name for _, name in page.column_headers] == [
        "Title", "Authors", "Year", "Document type", "ISBN", "Publisher"
    ]  # fmt: skip
    french = records_shown([edge["node"] for edge in page_of_results["edges"]])
    assert [row[:3] + row[4:] for row in page.rows] == [row[:3] + row[4:] for row in french]
    assert {row[3] for row in page.rows} == {"Book"}
    assert page_of_results["export"]["filename"] == "search-damasio-2026-12-01.html"


async def test_the_links_lead_to_the_records(demo_gateway: httpx.AsyncClient) -> None:
    results = await search_export(demo_gateway, "HTML", query="Contrevent")
    page = parse(await fetch(demo_gateway, results["export"]["url"]))

    (link,) = page.links
    answer = await demo_gateway.get(link.removeprefix("http://127.0.0.1:8000"))

    assert answer.json()["data"]["record"]["title"] == "La Horde du Contrevent"


async def test_markup_in_the_data_is_shown_as_text(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    from emulator import db

    connection = db.connect(ils.db_path)
    try:
        connection.execute("UPDATE titles SET title = ? WHERE id = 'T-HORDE'", ("<script>alert(1)</script>",))
    finally:
        connection.close()
    results = await search_export(demo_gateway, "HTML", query="Damasio")

    response = await fetch(demo_gateway, results["export"]["url"])

    assert "<script>" not in response.text
    assert "<script>alert(1)</script>" in {row[0] for row in parse(response).rows}
    assert parse(response).external == []
