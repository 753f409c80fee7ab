"""The emulator's SOAP endpoint at the HTTP level: WSDL serving, envelope safety, faults with codes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from emulator.runner import RunningEmulator
from emulator.seed import CAMILLE

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
ILS = "urn:ils-gateway:ils:1"
HEADERS = {"Content-Type": "text/xml; charset=utf-8"}


def soap_calls(emulator: RunningEmulator, operation: str) -> int:
    """SOAP round trips of `operation` the emulator has served."""
    return emulator.stats.snapshot()["soap"].get(operation, 0)


def envelope(body: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}'
        f'<soap:Envelope xmlns:soap="{SOAP}" xmlns:ils="{ILS}"><soap:Body>{body}</soap:Body></soap:Envelope>'
    ).encode()


def fault_code(response: httpx.Response) -> tuple[str, str]:
    """(faultcode, detail code) of a SOAP fault answer."""
    root = etree.fromstring(response.content)
    fault = root.find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    assert fault is not None
    return fault.findtext("faultcode") or "", fault.findtext(f"detail/{{{ILS}}}ilsFault/{{{ILS}}}code") or ""


@pytest.fixture
async def http(emulator: RunningEmulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=emulator.soap_url.removesuffix("/ils"), timeout=5.0) as client:
        yield client


async def test_wsdl_address_is_the_request_url(emulator: RunningEmulator, http: httpx.AsyncClient) -> None:
    response = await http.get(emulator.wsdl_url)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    [address] = root.iter("{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address.get("location") == emulator.soap_url
    assert (await http.get(emulator.soap_url)).status_code == 400


async def test_a_request_answers(http: httpx.AsyncClient) -> None:
    body = f"<ils:lookupAccounts><ils:patronId>{CAMILLE}</ils:patronId></ils:lookupAccounts>"
    response = await http.post("/ils", content=envelope(body), headers=HEADERS)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    assert len(root.findall(f".//{{{ILS}}}checkout")) == 7


async def test_titles_with_their_items_on_request(http: httpx.AsyncClient) -> None:
    body = (
        "<ils:lookupTitles><ils:titleId>T-BOVARY</ils:titleId><ils:titleId>T-NOPE</ils:titleId>"
        "<ils:includeItems>true</ils:includeItems></ils:lookupTitles>"
    )
    response = await http.post("/ils", content=envelope(body), headers=HEADERS)
    root = etree.fromstring(response.content)
    [title] = root.findall(f".//{{{ILS}}}lookupTitlesResponse/{{{ILS}}}title")
    items = title.findall(f"{{{ILS}}}item")
    assert len(items) == 3 and {i.findtext(f"{{{ILS}}}status") for i in items} == {"CHECKED_OUT"}


async def test_external_entity_is_refused_and_never_read(http: httpx.AsyncClient, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    prolog = f'<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    body = "<ils:lookupPatrons><ils:email>&xxe;</ils:email></ils:lookupPatrons>"
    response = await http.post("/ils", content=envelope(body, prolog), headers=HEADERS)
    assert response.status_code == 500
    assert fault_code(response) == ("soap:Client", "INVALID_INPUT")
    assert b"TOP-SECRET-MARKER" not in response.content


async def test_entity_expansion_bomb_is_refused(http: httpx.AsyncClient) -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8)
    )
    body = "<ils:lookupPatrons><ils:email>&i;</ils:email></ils:lookupPatrons>"
    response = await http.post(
        "/ils", content=envelope(body, f"<!DOCTYPE foo [{entities}]>"), headers=HEADERS
    )
    assert fault_code(response) == ("soap:Client", "INVALID_INPUT")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"<not-xml", "INVALID_INPUT"),
        (b"<Envelope/>", "INVALID_INPUT"),
        (envelope("<ils:dropTables/>"), "UNKNOWN_OPERATION"),
        (envelope("<other:lookupLibraries xmlns:other='urn:x'/>"), "UNKNOWN_OPERATION"),
        (
            envelope("<ils:lookupAccounts><ils:includeFees>true</ils:includeFees></ils:lookupAccounts>"),
            "INVALID_INPUT",
        ),
        (
            envelope(
                "<ils:lookupNewArrivals><ils:libraryId>DURAS</ils:libraryId>"
                "<ils:since>yesterday</ils:since></ils:lookupNewArrivals>"
            ),
            "INVALID_INPUT",
        ),
        (
            envelope("<ils:lookupItems>" + "<ils:itemId>1</ils:itemId>" * 501 + "</ils:lookupItems>"),
            "INVALID_INPUT",
        ),
        (envelope("<ils:ping/><ils:ping/>"), "INVALID_INPUT"),
    ],
)
async def test_bad_input_is_a_client_fault_with_a_code(
    http: httpx.AsyncClient, content: bytes, code: str
) -> None:
    response = await http.post("/ils", content=content, headers=HEADERS)
    assert response.status_code == 500
    assert fault_code(response) == ("soap:Client", code)


async def test_oversized_body_is_refused(http: httpx.AsyncClient) -> None:
    body = "<ils:lookupPatrons><ils:email>" + "a" * 1_100_000 + "</ils:email></ils:lookupPatrons>"
    response = await http.post("/ils", content=envelope(body), headers=HEADERS)
    assert fault_code(response) == ("soap:Client", "INVALID_INPUT")


async def test_markup_in_input_never_becomes_markup(
    http: httpx.AsyncClient, emulator: RunningEmulator
) -> None:
    hostile = "</ils:email><ils:block>FINES_OWED</ils:block>&amp;\"'"
    body = (
        f"<ils:updateContactInfo><ils:patronId>{CAMILLE}</ils:patronId>"
        f"<ils:mobile>{hostile.replace('&', '&amp;').replace('<', '&lt;')}</ils:mobile>"
        "</ils:updateContactInfo>"
    )
    response = await http.post("/ils", content=envelope(body), headers=HEADERS)
    assert fault_code(response) == ("soap:Client", "INVALID_PHONE")
    lookup = await http.post(
        "/ils",
        content=envelope("<ils:lookupPatrons><ils:email>&lt;x&gt;&amp;</ils:email></ils:lookupPatrons>"),
        headers=HEADERS,
    )
    assert lookup.status_code == 200
    assert etree.fromstring(lookup.content).findall(f".//{{{ILS}}}patron") == []


async def test_every_operation_is_counted_before_faults(
    http: httpx.AsyncClient, emulator: RunningEmulator
) -> None:
    emulator.faults.update({"outage": True})
    response = await http.post("/ils", content=envelope("<ils:lookupLibraries/>"), headers=HEADERS)
    assert response.status_code == 503
    emulator.faults.update({"outage": False, "soap_fault": 1.0})
    response = await http.post("/ils", content=envelope("<ils:lookupLibraries/>"), headers=HEADERS)
    assert fault_code(response) == ("soap:Server", "INTERNAL_ERROR")
    assert soap_calls(emulator, "lookupLibraries") == 2
