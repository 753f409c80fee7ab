"""The SIP2 2.00 codec, sans-io, shared by the gateway's client and the emulator's server.

Owns: turning a message dataclass (`adapters.ils.sip2.messages`) into a wire frame and a
frame back into a message. No sockets, no asyncio, no logging (values may be patron data).

Public API (stable; import everything from this module):

    from adapters.ils.sip2.codec import (
        encode, decode, Decoded, FrameReader, checksum, verify_checksum,
        format_sip2_date, parse_sip2_date, BLANK_DATE,
        FieldInjectionError, FieldValueError,                # LocalProtocolError
        MalformedMessage, FrameTooLarge, UnknownCommand, ChecksumError,  # PeerProtocolError
        MESSAGE_TYPES,                                       # {"93": LoginRequest, ...}
    )
    from adapters.ils.sip2.messages import LoginRequest, ...  # one frozen dataclass per message

* `encode(message, *, sequence: int | None, encoding="utf-8", error_detection=True) -> bytes`
  returns the whole frame: command code, fixed fields, `XXvalue|` variable fields in spec
  order, then (error detection on) `AY<sequence>AZ<4 uppercase hex>` and CR. `sequence` 0-9
  or None (no AY). 96/97 never carry AY. Error detection off: no AY, no AZ.
* `decode(frame, *, encoding="utf-8", verify_checksum=True) -> Decoded(message, sequence,
  checksum_present)`. `frame` may keep or omit its CR / CR LF. Accepts variable fields in any
  order, ignores unknown ids, keeps the first of a repeated non-repeatable field, drops empty
  repeats, accepts a missing AY and/or AZ, lowercase or unpadded checksums, blank 18-space
  dates (None) and any text in AH. Raises only `MalformedMessage` (incl. `FrameTooLarge`),
  `UnknownCommand` or `ChecksumError`, all `PeerProtocolError`.
* `FrameReader(max_frame=65536).feed(data) -> list[bytes]`: complete frames without their
  terminator; tolerant of CR LF and stray LF; raises `FrameTooLarge`.
* `checksum(data) -> str` over the bytes from the command code through "AZ";
  `verify_checksum(frame) -> bool`.

Injection rule: a value that contains `|`, CR, LF or NUL is REFUSED at encode time with
`FieldInjectionError` (in any field, fixed or variable); nothing is escaped or stripped.
Fixed fields must have their exact width (`FieldValueError` otherwise), values must be
representable in the peer's encoding, and repeatable fields may not hold empty strings.
So no input can produce an extra field, a forged trailer or a second frame.

Encoding is per peer (utf-8, cp850, latin-1...): the checksum is computed on encoded bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.ils.sip2 import messages as _m
from adapters.ils.sip2.dates import BLANK_DATE, format_sip2_date, parse_sip2_date
from adapters.ils.sip2.errors import (
    ChecksumError,
    FieldInjectionError,
    FieldValueError,
    FrameTooLarge,
    MalformedMessage,
    UnknownCommand,
)
from adapters.ils.sip2.framing import (
    FrameReader,
    checksum,
    split_trailer,
    strip_terminator,
    verify_checksum,
)
from adapters.ils.sip2.layout import BY_CODE, BY_TYPE, Fixed, Layout, Variable

__all__ = [
    "BLANK_DATE",
    "MESSAGE_TYPES",
    "ChecksumError",
    "Decoded",
    "FieldInjectionError",
    "FieldValueError",
    "FrameReader",
    "FrameTooLarge",
    "MalformedMessage",
    "UnknownCommand",
    "checksum",
    "decode",
    "encode",
    "format_sip2_date",
    "parse_sip2_date",
    "verify_checksum",
]

MESSAGE_TYPES: dict[str, type[_m.Message]] = {code: lay.message for code, lay in BY_CODE.items()}
_FORBIDDEN = ("|", "\r", "\n", "\x00")
_NO_SEQUENCE = frozenset({"96", "97"})


@dataclass(frozen=True)
class Decoded:
    """A decoded frame: the message, its AY sequence number, and whether it carried AZ."""

    message: _m.Message
    sequence: int | None
    checksum_present: bool


# ---------------------------------------------------------------- encoding


def encode(
    message: _m.Message,
    *,
    sequence: int | None,
    encoding: str = "utf-8",
    error_detection: bool = True,
) -> bytes:
    """Encode `message` as one complete SIP2 frame (trailer and CR included)."""
    layout = BY_TYPE[type(message)]
    parts = [message.code]
    parts += [_fixed_text(message, spec) for spec in layout.fixed]
    for spec in layout.variable:
        parts += [f"{spec.field_id}{text}|" for text in _variable_texts(message, spec)]
    body = _to_bytes("".join(parts), message.code, encoding)
    if split_trailer(body).body_end != len(body):
        # Only fixed-only messages can end without "|"; never let them end like a trailer.
        raise FieldInjectionError(message.code, "trailer")
    if not error_detection:
        return body + b"\r"
    if sequence is not None and not 0 <= sequence <= 9:
        raise FieldValueError(message.code, "sequence", "must be 0-9")
    if sequence is not None and message.code not in _NO_SEQUENCE:
        body += f"AY{sequence}".encode("ascii")
    body += b"AZ"
    return body + checksum(body).encode("ascii") + b"\r"


def _to_bytes(text: str, code: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        raise FieldValueError(code, "*", f"not representable in {encoding}") from None


def _checked(code: str, attr: str, text: str) -> str:
    if any(char in text for char in _FORBIDDEN):
        raise FieldInjectionError(code, attr)
    return text


def _fixed_text(message: _m.Message, spec: Fixed) -> str:
    value = getattr(message, spec.attr)
    code = message.code
    if spec.kind == "date":
        return format_sip2_date(value)
    if spec.kind == "yn":
        return "Y" if value else "N"
    if spec.kind == "01":
        return "1" if value else "0"
    if spec.kind == "ynu":
        return "U" if value is None else ("Y" if value else "N")
    if spec.kind in ("int", "count"):
        if value is None and spec.kind == "count":
            return " " * spec.width
        if not isinstance(value, int) or not 0 <= value < 10**spec.width:
            raise FieldValueError(code, spec.attr, f"needs an int of {spec.width} digits")
        return f"{value:0{spec.width}d}"
    text = _checked(code, spec.attr, value)
    if len(text) != spec.width:
        raise FieldValueError(code, spec.attr, f"needs exactly {spec.width} characters")
    return text


def _variable_texts(message: _m.Message, spec: Variable) -> list[str]:
    value = getattr(message, spec.attr)
    code = message.code
    if spec.kind == "list":
        if any(item == "" for item in value):
            raise FieldValueError(code, spec.attr, "empty entry in a repeatable field")
        return [_checked(code, spec.attr, item) for item in value]
    if value is None and spec.kind != "req":
        return []
    if spec.kind == "bool":
        return ["Y" if value else "N"]
    if spec.kind == "int":
        if not isinstance(value, int) or value < 0:
            raise FieldValueError(code, spec.attr, "needs a non-negative int")
        return [str(value)]
    if spec.kind == "date":
        return [format_sip2_date(value)]
    return [_checked(code, spec.attr, value)]


# ---------------------------------------------------------------- decoding


def decode(frame: bytes, *, encoding: str = "utf-8", verify_checksum: bool = True) -> Decoded:
    """Decode one frame (terminator optional); raises only PeerProtocolError subclasses."""
    raw = strip_terminator(frame)
    if len(raw) < 2:
        raise MalformedMessage("frame shorter than a command code")
    command = raw[:2].decode("latin-1")
    layout = BY_CODE.get(command)
    if layout is None:
        raise UnknownCommand(command)
    trailer = split_trailer(raw)
    if trailer.checksum is not None and verify_checksum:
        expected = checksum(raw[: trailer.checked_end])
        if int(trailer.checksum, 16) != int(expected, 16):
            raise ChecksumError(trailer.checksum, expected)
    try:
        text = raw[2 : trailer.body_end].decode(encoding)
    except UnicodeDecodeError:
        raise MalformedMessage(f"bytes not valid in {encoding}") from None
    message = layout.message(**_read_fields(layout, text))
    return Decoded(message, trailer.sequence, trailer.checksum is not None)


def _read_fields(layout: Layout, text: str) -> dict[str, object]:
    if len(text) < layout.fixed_width:
        raise MalformedMessage(f"{layout.message.code}: fixed part shorter than {layout.fixed_width}")
    values: dict[str, object] = {}
    offset = 0
    for spec in layout.fixed:
        values[spec.attr] = _read_fixed(layout.message.code, spec, text[offset : offset + spec.width])
        offset += spec.width
    by_id = {spec.field_id: spec for spec in layout.variable}
    lists: dict[str, list[str]] = {}
    for segment in text[offset:].split("|"):
        field = by_id.get(segment[:2])
        if field is None:
            continue  # unknown id, junk or an empty segment: ignored (notes, pitfall 6)
        value = segment[2:]
        if field.kind == "list":
            if value:
                lists.setdefault(field.attr, []).append(value)
        elif field.attr not in values:
            values[field.attr] = _read_variable(layout.message.code, field, value)
    for attr, items in lists.items():
        values[attr] = tuple(items)
    return values


def _read_fixed(code: str, spec: Fixed, text: str) -> object:
    if spec.kind == "date":
        return parse_sip2_date(text)
    if spec.kind == "yn":
        return text == "Y"
    if spec.kind == "01":
        return text == "1"
    if spec.kind == "ynu":
        return {"Y": True, "N": False}.get(text)
    if spec.kind in ("int", "count"):
        return _read_int(code, spec.attr, text, nullable=spec.kind == "count")
    return text


def _read_variable(code: str, spec: Variable, value: str) -> object:
    if spec.kind == "bool":
        return {"Y": True, "N": False}.get(value)
    if spec.kind == "int":
        return _read_int(code, spec.attr, value, nullable=True)
    if spec.kind == "date":
        return parse_sip2_date(value)
    return value


def _read_int(code: str, attr: str, text: str, *, nullable: bool) -> int | None:
    digits = text.strip(" ")
    if not digits and nullable:
        return None
    if not (digits.isascii() and digits.isdigit()):
        raise MalformedMessage(f"{code}: {attr} is not a number")
    return int(digits)
