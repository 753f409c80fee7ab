"""The lean SOAP path's request writer and answer reader (adapters/ils/soap/lean.py), without a network.

The operations are compiled from the emulator's WSDL file by zeep, as the client does at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import zeep
from lxml import etree

from adapters.errors import PeerProtocolError
from adapters.ils.soap import lean

WSDL = Path(__file__).resolve().parents[2] / "emulator" / "soap" / "ils.wsdl"
NS = "urn:ils-gateway:ils:1"


@pytest.fixture(scope="module")
def operations() -> dict[str, lean.LeanOperation]:
    client: Any = zeep.Client(str(WSDL))  # type: ignore[no-untyped-call]
    return lean.compile_operations(client.wsdl.bindings[f"{{{NS}}}IlsBinding"])


def _answer(body: str) -> bytes:
    return (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:ils="{NS}"><soap:Body>{body}</soap:Body></soap:Envelope>'
    ).encode()


def test_a_request_escapes_its_values_and_keeps_the_sequence_order(
    operations: dict[str, lean.LeanOperation],
) -> None:
    operation = operations["lookupAccounts"]
    sent = lean.request(operation, {"includeHolds": False, "patronId": ["a<b", "c&d"], "includeFees": None})
    wrapper = etree.fromstring(sent)[0][0]
    assert wrapper.tag == f"{{{NS}}}lookupAccounts"
    assert [(etree.QName(child).localname, child.text) for child in wrapper] == [
        ("patronId", "a<b"),
        ("patronId", "c&d"),
        ("includeHolds", "false"),
    ]
    assert operation.headers()["SOAPAction"] == f'"{NS}#lookupAccounts"'


def test_an_answer_is_read_into_typed_records(operations: dict[str, lean.LeanOperation]) -> None:
    answer = _answer(
        "<ils:lookupItemsResponse><ils:item><ils:itemId>I1</ils:itemId><ils:titleId>T1</ils:titleId>"
        "<ils:libraryId>DURAS</ils:libraryId><ils:status>CHECKED_OUT</ils:status>"
        "<ils:dueDate>2026-12-11</ils:dueDate><ils:holdQueueLength>2</ils:holdQueueLength>"
        "<ils:unknown>ignored</ils:unknown></ils:item></ils:lookupItemsResponse>"
    )
    [item] = lean.read_records(operations["lookupItems"], answer)  # type: ignore[misc]
    assert (item.itemId, item.dueDate.isoformat(), item.holdQueueLength, item.callNumber) == (
        "I1",
        "2026-12-11",
        2,
        None,
    )


def test_a_fault_answer_comes_back_as_a_fault(operations: dict[str, lean.LeanOperation]) -> None:
    answer = _answer(
        "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>bad</faultstring>"
        "<detail><ils:ilsFault><ils:code>INVALID_INPUT</ils:code></ils:ilsFault></detail></soap:Fault>"
    )
    fault = lean.read_records(operations["lookupTitles"], answer)
    assert isinstance(fault, lean.Fault) and (fault.code, fault.message) == ("soap:Client", "bad")
    assert fault.detail is not None


@pytest.mark.parametrize(
    "answer",
    [
        b"not xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        b"<plain/>",
        _answer(""),  # no response wrapper
    ],
    ids=["not-xml", "doctype", "not-an-envelope", "no-wrapper"],
)
def test_an_answer_that_is_not_a_batch_answer_is_a_protocol_error(
    operations: dict[str, lean.LeanOperation], answer: bytes
) -> None:
    with pytest.raises(PeerProtocolError):
        lean.read_records(operations["lookupAccounts"], answer)
