"""SOAP 1.1 envelopes for the emulator: safe parsing, response and fault building.

Owns the XML boundary of the SOAP service. Parsing never resolves entities,
never touches the network, refuses any DTD (so no XXE, no entity expansion)
and caps the document size. Every response is built as an lxml tree: input
values are only ever set as element text, never interpolated into markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
ILS_NS = "urn:ils-gateway:ils:1"
MAX_BODY_BYTES = 1_000_000
CONTENT_TYPE = "text/xml; charset=utf-8"


class SoapFault(Exception):
    """A fault to send back: `client` faults are the caller's fault, server faults are ours."""

    def __init__(self, code: str, message: str, *, client: bool = True) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.client = client


@dataclass(frozen=True, slots=True)
class Request:
    """The body's operation element and its local name (the operation)."""

    operation: str
    element: etree._Element


def _parser() -> etree.XMLParser:
    # External entities and network off, no DTD loading, no huge trees.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_request(body: bytes) -> Request:
    """Parse a SOAP 1.1 request and return its single body element; raise SoapFault otherwise."""
    if len(body) > MAX_BODY_BYTES:
        raise SoapFault("INVALID_INPUT", "request too large")
    try:
        root = etree.fromstring(body, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise SoapFault("INVALID_INPUT", "malformed XML") from error
    tree = root.getroottree()
    # Any DOCTYPE (internal subset or external id) is refused: no entity ever gets a chance.
    doctype = tree.docinfo.doctype  # type: ignore[union-attr]  # missing from lxml-stubs
    if doctype or tree.docinfo.internalDTD is not None:
        raise SoapFault("INVALID_INPUT", "DTDs are not accepted")
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise SoapFault("INVALID_INPUT", "not a SOAP 1.1 envelope")
    body_element = root.find(f"{{{SOAP_ENV}}}Body")
    if body_element is None:
        raise SoapFault("INVALID_INPUT", "no SOAP Body")
    children = [child for child in body_element if isinstance(child.tag, str)]
    if len(children) != 1:
        raise SoapFault("INVALID_INPUT", "the SOAP Body must hold exactly one element")
    qname = etree.QName(children[0])
    if qname.namespace != ILS_NS:
        raise SoapFault("UNKNOWN_OPERATION", "unknown namespace")
    return Request(operation=qname.localname, element=children[0])


def _envelope() -> tuple[etree._Element, etree._Element]:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV, "ils": ILS_NS})
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    return envelope, body


def _serialize(envelope: etree._Element) -> bytes:
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="utf-8"))


def response_document(payload: etree._Element) -> bytes:
    """Wrap an operation's response element in an envelope."""
    envelope, body = _envelope()
    body.append(payload)
    return _serialize(envelope)


def fault_document(fault: SoapFault) -> bytes:
    """A SOAP 1.1 Fault with faultcode Client/Server and detail/ilsFault(code, message)."""
    envelope, body = _envelope()
    element = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    # faultcode is a QName in the envelope namespace (prefix "soap" is bound above).
    etree.SubElement(element, "faultcode").text = "soap:Client" if fault.client else "soap:Server"
    etree.SubElement(element, "faultstring").text = fault.message
    detail = etree.SubElement(element, "detail")
    ils_fault = etree.SubElement(detail, f"{{{ILS_NS}}}ilsFault")
    etree.SubElement(ils_fault, f"{{{ILS_NS}}}code").text = fault.code
    etree.SubElement(ils_fault, f"{{{ILS_NS}}}message").text = fault.message
    return _serialize(envelope)


def ils(name: str) -> str:
    """The Clark name of an element in the service's namespace."""
    return f"{{{ILS_NS}}}{name}"


def add(parent: etree._Element, name: str, value: object | None) -> None:
    """Append <name>value</name> in the service namespace; None adds nothing."""
    if value is None:
        return
    # xs:boolean is lowercase; str(True) would be "True".
    rendered = ("true" if value else "false") if isinstance(value, bool) else str(value)
    etree.SubElement(parent, ils(name)).text = rendered


def texts(element: etree._Element, name: str) -> list[str]:
    """The text of every child `name` (repeated elements), in document order."""
    return [child.text or "" for child in element.iterfind(ils(name))]


def text(element: etree._Element, name: str) -> str | None:
    """The text of the first child `name`, "" for an empty one, None when absent."""
    child = element.find(ils(name))
    if child is None:
        return None
    return child.text or ""
