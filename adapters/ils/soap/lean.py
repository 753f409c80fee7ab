"""The lean path of the hot batch look-ups (lookupAccounts, lookupItems, lookupTitles), without zeep per call.

zeep builds each request from the schema, then deserializes each answer into a
CompoundValue per record, with ordering and xsi checks: for an account with 25 loans
that was a quarter of the gateway's CPU per dashboard. These operations are plain:
a wrapper of ids and flags in, a list of records out. So, once per WSDL load, `compile_
operations` reads zeep's own schema of each one (its SOAPAction, the wrapper's children
in sequence order, and every record type's child elements with a converter chosen from
the declared type); per call, `request` writes the envelope as text and `read_records`
parses the answer with lxml (no DTD, no entities, no network) into SimpleNamespace
records with one attribute per declared child (None when absent, a list when
repeatable), which mapping.py reads exactly like zeep's objects. A soap:Fault in the
answer comes back as `Fault` for the client to map. No I/O; never used for a write.
tests/integration/test_soap_lean.py checks the results equal zeep's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree
from zeep.xsd import ComplexType
from zeep.xsd.types.builtins import Boolean, Date, Integer, String

from adapters.errors import PeerProtocolError

LEAN_OPERATIONS = ("lookupAccounts", "lookupItems", "lookupTitles")
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_ENVELOPE = f"{{{SOAP_ENV}}}Envelope"
_BODY = f"{{{SOAP_ENV}}}Body"
_FAULT = f"{{{SOAP_ENV}}}Fault"
# An answer is data from another system: no DTD, no entity expansion, no network, no huge trees.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

Convert = Callable[[etree._Element], Any]


@dataclass(frozen=True, slots=True)
class Fault:
    """A soap:Fault answer: faultcode, faultstring and the detail element (the client maps it)."""

    code: str
    message: str
    detail: etree._Element | None


@dataclass(frozen=True, slots=True)
class Field:
    """One declared child element of a record type: where it goes and how its text converts."""

    name: str
    repeated: bool
    convert: Convert


@dataclass(frozen=True, slots=True)
class LeanOperation:
    """What one hot operation needs per call, read once from zeep's schema."""

    name: str
    soap_action: str
    namespace: str
    arguments: tuple[str, ...]  # the request wrapper's children, in sequence order
    response: str  # Clark name of the response wrapper
    record: str  # local name of its one repeated child
    fields: Mapping[str, Field]

    def headers(self) -> dict[str, str]:
        return {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{self.soap_action}"'}


def compile_operations(binding: Any) -> dict[str, LeanOperation]:
    """LEAN_OPERATIONS from a loaded zeep binding (blocking, once per WSDL load)."""
    return {name: _compile(binding.get(name)) for name in LEAN_OPERATIONS}


def _compile(operation: Any) -> LeanOperation:
    request, response = operation.input.body, operation.output.body
    ((record, element),) = response.type.elements  # lookup*Response: one repeated record element
    return LeanOperation(
        name=operation.name,
        soap_action=operation.soapaction,
        namespace=request.qname.namespace,
        arguments=tuple(name for name, _ in request.type.elements),
        response=response.qname.text,
        record=record,
        fields=_fields(element.type),
    )


def _fields(kind: ComplexType) -> dict[str, Field]:
    return {
        name: Field(name, bool(element.accepts_multiple), _converter(element.type))
        for name, element in kind.elements
    }


def _converter(kind: Any) -> Convert:
    """How a leaf of this declared type becomes a value, as zeep's `pythonvalue` would."""
    if isinstance(kind, ComplexType):
        fields = _fields(kind)
        return lambda node: _record(node, fields)
    if isinstance(kind, Date):
        return _leaf(_date(kind))
    if isinstance(kind, Boolean):
        return _leaf(lambda text: text in ("true", "1"))
    if isinstance(kind, Integer):
        return _leaf(int)
    if isinstance(kind, String):  # ids and enumerations too: restrictions of xs:string
        return _text
    return _leaf(kind.pythonvalue)


def _date(kind: Date) -> Callable[[str], date]:
    def convert(text: str) -> date:
        if len(text) == 10:
            # YYYY-MM-DD, the form every date here has: the stdlib's C parser, a tenth of zeep's cost.
            with suppress(ValueError):
                return date.fromisoformat(text)
        return kind.pythonvalue(text)  # type: ignore[no-any-return]

    return convert


def _text(node: etree._Element) -> str | None:
    return node.text  # None for an empty or nil element, as zeep


def _leaf(convert: Callable[[str], Any]) -> Convert:
    def leaf(node: etree._Element) -> Any:
        text = node.text
        if text is None:  # an empty or nil element
            return None
        try:
            return convert(text)
        except (TypeError, ValueError):
            return None  # as zeep: a value that does not convert is absent

    return leaf


def _record(node: etree._Element, fields: Mapping[str, Field]) -> SimpleNamespace | None:
    if node.get(_NIL) in ("true", "1"):
        return None
    values: dict[str, Any] = {field.name: [] if field.repeated else None for field in fields.values()}
    for child in node:
        tag = child.tag
        if not isinstance(tag, str):  # a comment or processing instruction
            continue
        field = fields.get(tag.rpartition("}")[2])
        if field is None:
            continue  # not declared: zeep (strict) would reject it; the mapping does not read it
        if field.repeated:
            values[field.name].append(field.convert(child))
        else:
            values[field.name] = field.convert(child)
    return SimpleNamespace(**values)


def request(operation: LeanOperation, arguments: Mapping[str, Any]) -> bytes:
    """The SOAP 1.1 envelope of one call; a list argument is a repeated element, None is absent."""
    prefix = "ils"
    parts = [
        f'<soap-env:Envelope xmlns:soap-env="{SOAP_ENV}"><soap-env:Body>'
        f'<{prefix}:{operation.name} xmlns:{prefix}="{escape(operation.namespace)}">'
    ]
    for name in operation.arguments:
        value = arguments.get(name)
        for one in value if isinstance(value, list) else () if value is None else (value,):
            text = ("true" if one else "false") if isinstance(one, bool) else escape(str(one))
            parts.append(f"<{prefix}:{name}>{text}</{prefix}:{name}>")
    parts.append(f"</{prefix}:{operation.name}></soap-env:Body></soap-env:Envelope>")
    return "".join(parts).encode("utf-8")


def read_records(operation: LeanOperation, answer: bytes) -> list[SimpleNamespace] | Fault:
    """The records of a batch answer (what zeep returns for it), or the answer's Fault."""
    try:
        root = etree.fromstring(answer, _PARSER)
    except etree.XMLSyntaxError as error:
        raise PeerProtocolError(f"soap {operation.name}: answer is not XML") from error
    if getattr(root.getroottree().docinfo, "doctype", "") or root.tag != _ENVELOPE:
        raise PeerProtocolError(f"soap {operation.name}: not a SOAP envelope")
    body = root.find(_BODY)
    if body is None:
        raise PeerProtocolError(f"soap {operation.name}: envelope without a body")
    fault = body.find(_FAULT)
    if fault is not None:
        code, message = fault.findtext("faultcode") or "", fault.findtext("faultstring") or ""
        return Fault(code, message, fault.find("detail"))
    wrapper = body.find(operation.response)
    if wrapper is None:
        raise PeerProtocolError(f"soap {operation.name}: no {operation.record} list in the answer")
    fields = operation.fields
    return [record for child in _named(wrapper, operation.record) if (record := _record(child, fields))]


def _named(node: etree._Element, name: str) -> Iterable[etree._Element]:
    return (child for child in node if isinstance(child.tag, str) and child.tag.rpartition("}")[2] == name)
