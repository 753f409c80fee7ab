"""The SIP2 2.00 codec, sans-io, shared by the gateway's client and the emulator's server.

Owns: turning a message dataclass (`adapters.ils.sip2.messages`) into a wire frame and a
frame back into a message. No sockets, no asyncio, no logging (values may be patron data).

Public API (stable; import everything from this module):

    from adapters.ils.sip2.codec import (
        encode, decode, Decoded, FrameReader, checksum, verify_checksum, fit,
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
* `decode(frame, *, encoding="utf-8", verify_checksum=True, strict=False) -> Decoded(message,
  sequence, checksum_present)`. `frame` may keep or omit its CR / CR LF. Liberal by default
  where sip2-notes.md says real peers stray: variable fields in any order, unknown ids ignored,
  the first of a repeated non-repeatable field kept, empty repeats dropped, a missing AY and/or
  AZ, lowercase or unpadded checksums, blank 18-space dates (None), other zone letters,
  space-padded 3- and 4-digit numbers, any text in AH, values over 255 bytes. But a fixed part
  that does not fit the layout (wrong width, a letter in a count, a misaligned date) and NUL, CR
  or LF inside the frame are `MalformedMessage`, never a silent misreading. `strict=True` checks
  the frame to the letter of the layout table (what `encode` guarantees; what a strict peer
  accepts). Raises only `MalformedMessage` (incl. `FrameTooLarge`), `UnknownCommand` or
  `ChecksumError`, all `PeerProtocolError`.
* `FrameReader(max_frame=65536).feed(data) -> list[bytes]`: complete frames without their
  terminator; tolerant of CR LF and stray LF; raises `FrameTooLarge`.
* `checksum(data) -> str` over the bytes from the command code through "AZ";
  `verify_checksum(frame) -> bool`.

Injection rule: a value that contains `|`, CR, LF or NUL is REFUSED at encode time with
`FieldInjectionError` (in any field, fixed or variable); nothing is escaped or stripped.
Layout rule (`layout.py`, one table): every fixed field must match its width and character
class (3-digit language, zero-padded counts, a real transaction date...), 4-digit limits
(BZ/CA/CB) are zero-padded, coded variable fields (BH, CK, BT, BY, BX) must match their class,
and every variable value must fit in 255 bytes once encoded: screen messages and print lines
(AF/AG) are cut at a character boundary, anything else is refused (`FieldValueError`), since
cutting an identifier would name something else. Values must be representable in the peer's
encoding and repeatable fields may not hold empty strings. So no input can produce an extra
field, a forged trailer, a second frame or a frame a strict peer rejects.

Encoding is per peer (utf-8, cp850, latin-1...): the checksum is computed on encoded bytes.
"""

from __future__ import annotations

import re
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
from adapters.ils.sip2.layout import BY_CODE, BY_TYPE, DATE_STRICT, MAX_VARIABLE, Fixed, Layout, Variable

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
    "fit",
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
        parts += [f"{spec.field_id}{text}|" for text in _variable_texts(message, spec, encoding)]
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


def _checked(code: str, attr: str, text: object) -> str:
    if not isinstance(text, str):
        raise FieldValueError(code, attr, "needs a str")
    if any(char in text for char in _FORBIDDEN):
        raise FieldInjectionError(code, attr)
    return text


def _fixed_text(message: _m.Message, spec: Fixed) -> str:
    value = getattr(message, spec.attr)
    code = message.code
    if spec.kind in ("date", "date?"):
        if value is None and spec.kind == "date":
            raise FieldValueError(code, spec.attr, "a date is required here, not 18 blanks")
        text = format_sip2_date(value)
    elif spec.kind == "yn":
        text = "Y" if value else "N"
    elif spec.kind == "01":
        text = "1" if value else "0"
    elif spec.kind == "ynu":
        text = "U" if value is None else ("Y" if value else "N")
    elif spec.kind in ("int", "count"):
        if value is None and spec.kind == "count":
            return " " * spec.width
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**spec.width:
            raise FieldValueError(code, spec.attr, f"needs an int of {spec.width} digits")
        text = f"{value:0{spec.width}d}"
    else:
        text = _checked(code, spec.attr, value)
    if len(text) != spec.width or not re.fullmatch(spec.strict_pattern, text):
        raise FieldValueError(code, spec.attr, f"needs {spec.width} characters of {spec.strict_pattern}")
    return text


def _variable_texts(message: _m.Message, spec: Variable, encoding: str) -> list[str]:
    value = getattr(message, spec.attr)
    code = message.code
    if spec.repeatable:
        if any(item == "" for item in value):
            raise FieldValueError(code, spec.attr, "empty entry in a repeatable field")
        items = [_checked(code, spec.attr, item) for item in value]
        if spec.kind == "screen":
            return [_cut(code, spec.attr, item, encoding) for item in items]
        return [_fitting(code, spec.attr, item, encoding) for item in items]
    if value is None and spec.kind != "req":
        return []
    if spec.kind == "bool":
        return ["Y" if value else "N"]
    if spec.kind in ("int", "limit"):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise FieldValueError(code, spec.attr, "needs a non-negative int")
        if spec.kind == "int":
            return [str(value)]
        if value > 9999:
            raise FieldValueError(code, spec.attr, "needs an int of 4 digits")
        return [f"{value:04d}"]  # spec: 4-char fixed-length, so zero-padded (BZ0010, not BZ10)
    if spec.kind == "date":
        return [format_sip2_date(value)]
    text = _fitting(code, spec.attr, _checked(code, spec.attr, value), encoding)
    if spec.chars and not re.fullmatch(spec.chars, text):
        raise FieldValueError(code, spec.attr, f"needs {spec.chars}")
    return [text]


def _byte_length(code: str, attr: str, text: str, encoding: str) -> int:
    try:
        return len(text.encode(encoding))
    except UnicodeEncodeError:
        raise FieldValueError(code, attr, f"not representable in {encoding}") from None


def _fitting(code: str, attr: str, text: str, encoding: str) -> str:
    """An identifier or name longer than the spec allows is refused: cutting it would change it."""
    if _byte_length(code, attr, text, encoding) > MAX_VARIABLE:
        raise FieldValueError(code, attr, f"longer than {MAX_VARIABLE} bytes")
    return text


def fit(text: str, *, encoding: str = "utf-8") -> str:
    """The longest prefix of `text` that a variable field can carry (255 bytes once encoded)."""
    return _cut("--", "*", text, encoding)


def _cut(code: str, attr: str, text: str, encoding: str) -> str:
    """A screen message or print line is cut to 255 bytes, never inside a character."""
    end = min(len(text), MAX_VARIABLE)
    while _byte_length(code, attr, text[:end], encoding) > MAX_VARIABLE:
        end -= 1
    return text[:end]


# ---------------------------------------------------------------- decoding


def decode(
    frame: bytes, *, encoding: str = "utf-8", verify_checksum: bool = True, strict: bool = False
) -> Decoded:
    """Decode one frame (terminator optional); raises only PeerProtocolError subclasses.

    `strict` checks the frame against the spec's layout to the letter (what `encode` writes):
    every fixed field in its strict class, no unknown or repeated ids, no empty repeats, every
    required field present, every value within 255 bytes and its class.
    """
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
    body = raw[2 : trailer.body_end]
    if b"\x00" in body or b"\n" in body or b"\r" in body:
        # No field may hold them (sip2-notes pitfall 1): a frame carrying one is not SIP2.
        raise MalformedMessage(f"{command}: NUL, CR or LF inside the frame")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        raise MalformedMessage(f"bytes not valid in {encoding}") from None
    reader = _StrictReader(encoding) if strict else _Reader(encoding)
    message = layout.message(**reader.fields(layout, text))
    return Decoded(message, trailer.sequence, trailer.checksum is not None)


class _Reader:
    """The liberal reader: any field order, unknown ids ignored, first of a repeat kept."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding

    def fields(self, layout: Layout, text: str) -> dict[str, object]:
        code = layout.message.code
        if len(text) < layout.fixed_width:
            raise MalformedMessage(f"{code}: fixed part shorter than {layout.fixed_width}")
        values: dict[str, object] = {}
        offset = 0
        for spec in layout.fixed:
            values[spec.attr] = self.fixed(code, spec, text[offset : offset + spec.width])
            offset += spec.width
        by_id = {spec.field_id: spec for spec in layout.variable}
        lists: dict[str, list[str]] = {}
        segments = text[offset:].split("|")
        self.check_end(code, segments)
        for segment in segments:
            field = by_id.get(segment[:2])
            if field is None:
                self.unknown(code, segment)
                continue
            value = segment[2:]
            self.check_value(code, field, value)
            if field.repeatable:
                if value:
                    lists.setdefault(field.attr, []).append(value)
            elif field.attr not in values:
                values[field.attr] = _read_variable(code, field, value)
            else:
                self.repeated(code, field)
        for attr, items in lists.items():
            values[attr] = tuple(items)
        self.check_required(code, layout, values)
        return values

    def fixed(self, code: str, spec: Fixed, text: str) -> object:
        if not re.fullmatch(self.fixed_pattern(spec), text):
            # Misaligned or wrong class: every field after it would be misread, so refuse.
            raise MalformedMessage(f"{code}: fixed field {spec.attr} is not {spec.width} chars of its class")
        return _read_fixed(code, spec, text)

    def fixed_pattern(self, spec: Fixed) -> str:
        return spec.lenient_pattern

    def check_end(self, code: str, segments: list[str]) -> None:
        """Liberal: a missing final `|` is accepted."""

    def unknown(self, code: str, segment: str) -> None:
        """Liberal: unknown ids, junk and empty segments are ignored (sip2-notes pitfall 6)."""

    def check_value(self, code: str, field: Variable, value: str) -> None:
        """Liberal: any length and text (AH is free text; some ACSs send long AF)."""

    def repeated(self, code: str, field: Variable) -> None:
        """Liberal: the first of a repeated non-repeatable field is kept."""

    def check_required(self, code: str, layout: Layout, values: dict[str, object]) -> None:
        """Liberal: a missing required field reads as its default."""


class _StrictReader(_Reader):
    """Everything `encode` guarantees, checked: what a strict third-party peer accepts."""

    def fixed_pattern(self, spec: Fixed) -> str:
        return spec.strict_pattern

    def check_end(self, code: str, segments: list[str]) -> None:
        if segments[-1] != "":
            raise MalformedMessage(f"{code}: variable part does not end with |")
        segments.pop()

    def unknown(self, code: str, segment: str) -> None:
        raise MalformedMessage(f"{code}: unknown or empty field")

    def check_value(self, code: str, field: Variable, value: str) -> None:
        if len(value.encode(self.encoding)) > MAX_VARIABLE:
            raise MalformedMessage(f"{code}: {field.field_id} longer than {MAX_VARIABLE} bytes")
        if field.repeatable and not value:
            raise MalformedMessage(f"{code}: empty {field.field_id} entry")
        pattern = _VARIABLE_STRICT.get(field.kind, field.chars)
        if pattern and not re.fullmatch(pattern, value):
            raise MalformedMessage(f"{code}: {field.field_id} is not of its class")

    def repeated(self, code: str, field: Variable) -> None:
        raise MalformedMessage(f"{code}: {field.field_id} repeated")

    def check_required(self, code: str, layout: Layout, values: dict[str, object]) -> None:
        for spec in layout.variable:
            if spec.kind == "req" and spec.attr not in values:
                raise MalformedMessage(f"{code}: required field {spec.field_id} missing")


_VARIABLE_STRICT = {"bool": "[YN]", "int": "[0-9]+", "limit": "[0-9]{4}", "date": DATE_STRICT}


def _read_fixed(code: str, spec: Fixed, text: str) -> object:
    if spec.kind in ("date", "date?"):
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
    if spec.kind in ("int", "limit"):
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
