"""The SOAP endpoint when its database is gone: a Server fault without details, and no new empty file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
from lxml import etree
from starlette.applications import Starlette

from emulator.faults import FaultInjector
from emulator.soap.app import soap_routes
from emulator.stats import Stats

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
ENVELOPE = (
    f'<soap:Envelope xmlns:soap="{SOAP}" xmlns:ils="urn:ils-gateway:ils:1">'
    "<soap:Body><ils:lookupLibraries/></soap:Body></soap:Envelope>"
).encode()


async def test_a_missing_database_is_a_server_fault(tmp_path: Path) -> None:
    missing = tmp_path / "gone.db"
    routes = soap_routes(
        db_path=missing, faults=FaultInjector(), stats=Stats(), today=lambda: date(2026, 12, 1)
    )
    transport = httpx.ASGITransport(app=Starlette(routes=routes))
    async with httpx.AsyncClient(transport=transport, base_url="http://ils.test") as client:
        response = await client.post("/ils", content=ENVELOPE)
    assert response.status_code == 500
    fault = etree.fromstring(response.content).find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    assert fault is not None and fault.findtext("faultcode") == "soap:Server"
    assert b"Traceback" not in response.content and b"sqlite" not in response.content.lower()
    assert not missing.exists()
