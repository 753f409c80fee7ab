"""Typed SIP2 codec errors: whose fault it is, and which field, never the field's value.

Owns: the codec's error classes. Values are never copied into errors because they may be
patron data (names, passwords); errors carry the message code and attribute name only.
"""

from __future__ import annotations

from adapters.errors import LocalProtocolError, PeerProtocolError


class FieldInjectionError(LocalProtocolError):
    """A value contains `|`, CR, LF or NUL and would forge a field or a frame: refused."""

    def __init__(self, code: str, attr: str) -> None:
        super().__init__(f"SIP2 {code}.{attr}: value contains a delimiter, CR, LF or NUL")
        self.code = code
        self.attr = attr


class FieldValueError(LocalProtocolError):
    """A value cannot be written in its field (width, range, charset, empty repeat)."""

    def __init__(self, code: str, attr: str, reason: str) -> None:
        super().__init__(f"SIP2 {code}.{attr}: {reason}")
        self.code = code
        self.attr = attr
        self.reason = reason


class MalformedMessage(PeerProtocolError):
    """The peer sent a frame that is not a well-formed SIP2 message."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"malformed SIP2 frame: {reason}")
        self.reason = reason


class FrameTooLarge(MalformedMessage):
    """The peer sent more bytes than the frame size limit without a CR."""


class UnknownCommand(PeerProtocolError):
    """The frame's 2-character command code is not one this codec knows."""

    def __init__(self, command: str) -> None:
        super().__init__(f"unknown SIP2 command {command!r}")
        self.command = command


class ChecksumError(PeerProtocolError):
    """The frame's AZ checksum does not match its bytes."""

    def __init__(self, received: str, expected: str) -> None:
        super().__init__(f"SIP2 checksum {received!r}, expected {expected!r}")
        self.received = received
        self.expected = expected
