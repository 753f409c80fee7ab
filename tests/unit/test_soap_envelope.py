"""The SOAP service's envelope handling in memory: safe parsing, faults, rendering of values."""

from __future__ import annotations

import pytest
from lxml import etree

from emulator.soap.envelope import ILS_NS, SOAP_ENV, SoapFault, add, fault_document, parse_request

ENVELOPE = (
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ils="urn:ils-gateway:ils:1">'
    "<soap:Header/><soap:Body>{body}</soap:Body></soap:Envelope>"
)


def test_the_body_element_is_the_operation() -> None:
    request = parse_request(ENVELOPE.format(body="<!-- hi --><ils:ping/>").encode())
    assert request.operation == "ping"


@pytest.mark.parametrize(
    "document",
    [
        b"",
        b"<a>",
        b"<x/>",
        b'<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body/></soap:Envelope>',
        ENVELOPE.format(body="").encode(),
        ENVELOPE.format(body="<ils:ping/><ils:ping/>").encode(),
        b'<!DOCTYPE x SYSTEM "http://127.0.0.1:1/x.dtd">' + ENVELOPE.format(body="<ils:ping/>").encode(),
        b'<!DOCTYPE x [<!ENTITY e "x">]>' + ENVELOPE.format(body="<ils:ping/>").encode(),
        b"x" * 1_000_001,
    ],
)
def test_refused_documents_are_client_faults(document: bytes) -> None:
    with pytest.raises(SoapFault) as refused:
        parse_request(document)
    assert refused.value.client and refused.value.code == "INVALID_INPUT"


def test_foreign_namespace_is_an_unknown_operation() -> None:
    with pytest.raises(SoapFault) as refused:
        parse_request(ENVELOPE.format(body="<ping xmlns='urn:other'/>").encode())
    assert refused.value.code == "UNKNOWN_OPERATION"


def test_fault_document_carries_code_and_escapes_text() -> None:
    document = fault_document(SoapFault("INVALID_EMAIL", "<b>&</b>", client=False))
    root = etree.fromstring(document)
    fault = root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    assert fault is not None
    assert fault.findtext("faultcode") == "soap:Server"
    assert fault.findtext("faultstring") == "<b>&</b>"
    assert fault.findtext(f"detail/{{{ILS_NS}}}ilsFault/{{{ILS_NS}}}code") == "INVALID_EMAIL"


def test_values_render_as_xml_schema_text() -> None:
    parent = etree.Element("p")
    add(parent, "a", True)
    add(parent, "b", 0)
    add(parent, "c", None)
    assert [(etree.QName(c).localname, c.text) for c in parent] == [("a", "true"), ("b", "0")]
