"""The emulator's SOAP endpoint: Starlette routes for POST /ils and GET /ils?wsdl.

Owns the request pipeline: read a bounded body, parse it safely (envelope.py),
count the call, apply the fault knobs (outage -> HTTP 503, latency, injected
Server fault), validate the operation element against the WSDL's own schema,
run the operation in a worker thread on its own SQLite connection, answer.
Serves the static WSDL with soap:address rewritten to the request's URL.
Never builds XML from strings, never logs patron data, never shows a stack trace.
"""

from __future__ import annotations

import copy
import logging
import sqlite3
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Protocol

import anyio.to_thread
from lxml import etree
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from emulator.soap.envelope import (
    CONTENT_TYPE,
    MAX_BODY_BYTES,
    SoapFault,
    fault_document,
    parse_request,
    response_document,
)
from emulator.soap.operations import OPERATIONS, Handler

WSDL_PATH = Path(__file__).with_name("ils.wsdl")
_XS = "http://www.w3.org/2001/XMLSchema"
_WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"

logger = logging.getLogger(__name__)


class _FaultSettings(Protocol):
    @property
    def outage(self) -> bool: ...


class FaultKnobs(Protocol):
    """What the endpoint needs of emulator.faults.FaultInjector."""

    @property
    def settings(self) -> _FaultSettings: ...

    async def soap_delay(self) -> None: ...

    def roll(self, kind: str) -> bool: ...


class CallCounter(Protocol):
    """What the endpoint needs of emulator.stats.Stats."""

    def count_soap(self, operation: str) -> None: ...


def load_wsdl() -> etree._ElementTree:
    """The static WSDL, parsed with the same safe parser settings as requests."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    return etree.parse(str(WSDL_PATH), parser=parser)


def request_schema(wsdl: etree._ElementTree) -> etree.XMLSchema:
    """The XML Schema embedded in the WSDL's types, to validate operation elements."""
    schema = wsdl.getroot().find(f".//{{{_XS}}}schema")
    if schema is None:
        raise RuntimeError("ils.wsdl has no embedded schema")
    return etree.XMLSchema(copy.deepcopy(schema))


def _fault_response(fault: SoapFault) -> Response:
    # SOAP 1.1 over HTTP: a fault travels with status 500, whoever is at fault.
    return Response(fault_document(fault), status_code=500, media_type=CONTENT_TYPE)


def _execute(db_path: str, handler: Handler, element: etree._Element, today: date) -> bytes:
    """Run one operation on a connection of its own and serialize its answer (in a worker thread)."""
    # mode=rw: a missing database is an error, never a new empty file.
    uri = f"{Path(db_path).resolve().as_uri()}?mode=rw"
    connection = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None, timeout=10.0)
    try:
        connection.row_factory = sqlite3.Row
        # The whole answer is built and serialized in this thread: no lxml tree crosses threads twice.
        return response_document(handler(connection, element, today))
    finally:
        connection.close()


def _first_error(schema: etree.XMLSchema) -> str:
    errors = list(schema.error_log)  # type: ignore[call-overload]  # lxml-stubs: _ErrorLog is iterable
    return str(errors[0].message) if errors else "invalid request"


async def _read_body(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise SoapFault("INVALID_INPUT", "request too large")
        chunks.append(chunk)
    return b"".join(chunks)


class _SoapEndpoint:
    def __init__(
        self,
        db_path: str,
        faults: FaultKnobs,
        stats: CallCounter,
        today: Callable[[], date],
    ) -> None:
        self._db_path = db_path
        self._faults = faults
        self._stats = stats
        self._today = today
        self._wsdl = load_wsdl()
        self._schema = request_schema(self._wsdl)

    async def dispatch(self, request: Request) -> Response:
        """The Starlette endpoint of /ils."""
        if request.method == "GET":
            if self._faults.settings.outage:
                return PlainTextResponse("service unavailable", status_code=503)
            return self._serve_wsdl(request)
        try:
            return await self._handle(await _read_body(request))
        except SoapFault as fault:
            return _fault_response(fault)

    def _serve_wsdl(self, request: Request) -> Response:
        if "wsdl" not in request.query_params:
            return PlainTextResponse("POST SOAP 1.1 envelopes here; the WSDL is at ?wsdl", status_code=400)
        root = copy.deepcopy(self._wsdl.getroot())
        for address in root.iter(f"{{{_WSDL_SOAP}}}address"):
            address.set("location", str(request.url.replace(query="")))
        return Response(
            etree.tostring(root, xml_declaration=True, encoding="utf-8"),
            media_type=CONTENT_TYPE,
        )

    async def _handle(self, body: bytes) -> Response:
        parsed = parse_request(body)
        handler = OPERATIONS.get(parsed.operation)
        if handler is None:
            raise SoapFault("UNKNOWN_OPERATION", "no such operation")
        self._stats.count_soap(parsed.operation)
        if self._faults.settings.outage:
            return PlainTextResponse("service unavailable", status_code=503)
        await self._faults.soap_delay()
        if self._faults.roll("soap_fault"):
            raise SoapFault("INTERNAL_ERROR", "the ILS failed to answer", client=False)
        if not self._schema.validate(parsed.element):
            raise SoapFault("INVALID_INPUT", _first_error(self._schema))
        call = partial(_execute, self._db_path, handler, parsed.element, self._today())
        try:
            document = await anyio.to_thread.run_sync(call)
        except SoapFault:
            raise
        except Exception as error:  # the boundary: whatever broke, the caller gets a Server fault
            logger.error("SOAP %s failed: %s", parsed.operation, type(error).__name__)
            raise SoapFault("INTERNAL_ERROR", "the ILS failed to answer", client=False) from error
        return Response(document, media_type=CONTENT_TYPE)


def soap_routes(
    *,
    db_path: str | Path,
    faults: FaultKnobs,
    stats: CallCounter,
    today: Callable[[], date],
) -> list[BaseRoute]:
    """The SOAP service's routes: POST /ils (operations) and GET /ils?wsdl."""
    endpoint = _SoapEndpoint(str(db_path), faults, stats, today)
    return [Route("/ils", endpoint.dispatch, methods=["GET", "POST"])]
