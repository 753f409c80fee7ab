"""SIP2 framing: the CR terminator, the AY/AZ error-detection trailer and its checksum.

Owns: `checksum`, `verify_checksum`, the trailer parser and `FrameReader`, a sans-io framer
that turns a byte stream into frames. Works on bytes only (the checksum is defined on the
encoded bytes); must never decode text, touch sockets or log frame contents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.ils.sip2.errors import FrameTooLarge

CR = b"\r"
DEFAULT_MAX_FRAME = 64 * 1024
# AY<digit> is optional, AZ<1-4 hex digits> ends the frame. Lowercase and unpadded checksums
# are accepted on input (PyPI sip2 and invenio-sip2 emit 3-digit ones). A lone AY<digit>
# with no AZ is accepted too (error detection half on).
_TRAILER = re.compile(rb"(?:AY([0-9]))?AZ([0-9A-Fa-f]{1,4})\Z|AY([0-9])\Z")


def checksum(data: bytes) -> str:
    """The AZ value for `data` (bytes from the command code through "AZ"): 4 uppercase hex digits."""
    return f"{(-sum(data)) & 0xFFFF:04X}"


@dataclass(frozen=True)
class Trailer:
    """The error-detection trailer found at the end of a frame (without its CR)."""

    body_end: int
    sequence: int | None
    checksum: str | None
    checked_end: int


def split_trailer(frame: bytes) -> Trailer:
    """Locate AY/AZ at the end of `frame` (terminator already removed)."""
    match = _TRAILER.search(frame)
    if match is None:
        return Trailer(len(frame), None, None, len(frame))
    digit = match.group(1) or match.group(3)
    sequence = int(digit) if digit is not None else None
    if match.group(2) is None:
        return Trailer(match.start(), sequence, None, len(frame))
    return Trailer(match.start(), sequence, match.group(2).decode("ascii"), match.start(2))


def strip_terminator(frame: bytes) -> bytes:
    """Drop the CR terminator, a CR LF, and stray LFs/CRs around the frame."""
    return frame.strip(b"\r\n")


def verify_checksum(frame: bytes) -> bool:
    """True when `frame` carries an AZ checksum that matches its bytes (CR optional)."""
    trailer = split_trailer(strip_terminator(frame))
    if trailer.checksum is None:
        return False
    body = strip_terminator(frame)[: trailer.checked_end]
    return (sum(body) + int(trailer.checksum, 16)) & 0xFFFF == 0


class FrameReader:
    """Sans-io framer: feed it bytes as they arrive, get back complete frames.

    A frame ends at CR. LFs next to a CR (CR LF from some SCs, a stray LF before the next
    frame) are dropped; empty frames are skipped. Frames come back without the terminator.
    More than `max_frame` bytes without a CR raises `FrameTooLarge`.
    """

    def __init__(self, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        self._buffer = bytearray()
        self._max_frame = max_frame

    def feed(self, data: bytes) -> list[bytes]:
        """Add bytes; return every frame completed by them, in order."""
        self._buffer += data
        frames: list[bytes] = []
        while True:
            end = self._buffer.find(CR)
            if end < 0:
                break
            frame = bytes(self._buffer[:end]).strip(b"\n")
            del self._buffer[: end + 1]
            if len(frame) > self._max_frame:
                raise FrameTooLarge(f"frame of {len(frame)} bytes")
            if frame:
                frames.append(frame)
        if len(self._buffer) > self._max_frame:
            raise FrameTooLarge(f"more than {self._max_frame} bytes without CR")
        return frames

    @property
    def pending(self) -> int:
        """Bytes buffered towards the next frame."""
        return len(self._buffer)
