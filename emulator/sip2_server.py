"""The emulator's SIP2 TCP server on asyncio: sessions, framing, resends, duplicates and faults.

Owns each connection's life, as a strict ACS would: frames are cut by the shared codec's
FrameReader; a login (93) must come first (a bad one gets 940 and the connection closed;
anything else before it, a 97 or a 99 included, closes the connection: the gateway always
logs in first). A frame with a bad checksum gets 96, once: if the resend is unreadable too,
the connection is closed. A frame that a resend cannot repair (its checksum matches, or it
has none, but it is not SIP2: a NUL or LF in a value, a misaligned fixed part) gets one 96
and the connection is closed: never an endless 96 loop. A 97 gets the last response again;
a repeated request (same AY and AZ) gets its response replayed without being applied twice.
Every SIP2 2.00 request gets its response type (`sip2_answers.py`; unsupported ones answer
"not OK" with a screen message); a code outside the spec gets no answer (like pysip2).
Answers are written with error detection on, off, or in the request's own style ("mirror").
An answer that cannot be encoded closes the connection (the request may have been applied,
so a 96 would lie). Applies the fault knobs per message (`garbled_request`: a 96 each time).
Never logs a frame (they carry patron passwords).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from adapters.errors import LocalProtocolError
from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.codec import (
    ChecksumError,
    Decoded,
    FrameReader,
    MalformedMessage,
    UnknownCommand,
    decode,
    encode,
)
from adapters.ils.sip2.framing import split_trailer, strip_terminator
from emulator import db
from emulator.faults import FaultInjector
from emulator.sip2_answers import WRITES, Sip2Answers
from emulator.stats import Stats

logger = logging.getLogger(__name__)


ERROR_DETECTION_MODES = ("on", "off", "mirror")


@dataclass
class _Session:
    logged_in: bool = False
    last_request: bytes | None = None
    last_response: bytes | None = None
    refused: bool = False  # our last answer was a 96 to an unreadable frame


@dataclass(frozen=True)
class _Style:
    """The error-detection style of one answer."""

    error_detection: bool
    sequence: int | None


class _Close(Exception):
    """Internal: end this connection now (fault, outage, no login)."""


class _CloseAfter(Exception):
    """Internal: send this last frame, then end the connection (a refused login: 940)."""

    def __init__(self, frame: bytes) -> None:
        super().__init__("close after answering")
        self.frame = frame


class _Silence(Exception):
    """Internal: read the request, answer nothing (the no_answer fault, a message we do not answer)."""


def corrupt_checksum(frame: bytes) -> bytes:
    """The same frame with a checksum that cannot verify (the bad_checksum fault)."""
    at = frame.rfind(b"AZ")
    good = int(frame[at + 2 : at + 6], 16)
    return frame[: at + 2] + f"{good ^ 0x5A5A:04X}".encode("ascii") + frame[at + 6 :]


class Sip2Server:
    """A SIP2 ACS over one SQLite connection; answers are computed on the loop, one at a time."""

    def __init__(
        self,
        *,
        db_path: str | Path,
        faults: FaultInjector,
        stats: Stats,
        today: Callable[[], date],
        institution: str = "PARIS",
        login_user: str = "gateway",
        login_password: str = "gateway",
        encoding: str = "utf-8",
        error_detection: str = "on",
    ) -> None:
        if error_detection not in ERROR_DETECTION_MODES:
            raise ValueError("error_detection must be on, off or mirror")
        self._db = db.connect(db_path)
        self._answers = Sip2Answers(self._db, today, institution, encoding=encoding)
        self._error_detection = error_detection
        self._faults = faults
        self._stats = stats
        self._login = (login_user, login_password)
        self._encoding = encoding
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self, sock: socket.socket) -> None:
        """Serve on an already bound (and listening or not) socket."""
        self._server = await asyncio.start_server(self._serve, sock=sock)

    async def close(self) -> None:
        """Stop accepting, close every open connection, close the database."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), timeout=5)
        self._db.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            if self._faults.settings.outage:
                return
            await self._converse(reader, writer)
        except (_Close, ConnectionError, MalformedMessage):
            pass  # MalformedMessage here is FrameTooLarge: a peer we cannot frame is dropped
        except Exception:
            # A bug or a database error must cost one connection, not the server; never log the frame.
            logger.exception("SIP2 connection ended by an internal error")
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = _Session()
        framer = FrameReader()
        while True:
            data = await reader.read(65536)
            if not data:
                return
            for frame in framer.feed(data):
                if self._faults.settings.outage:
                    return
                try:
                    response = await self._respond(frame, session)
                except _CloseAfter as last:
                    writer.write(last.frame)
                    await writer.drain()
                    return
                if response is not None:
                    writer.write(response)
                    await writer.drain()

    def _style(self, frame: bytes, decoded: Decoded | None) -> _Style:
        """How to write the answer: error detection on/off, or as the request was written."""
        if self._error_detection == "off":
            return _Style(False, None)
        if decoded is None:  # unreadable: look at its trailer only
            present = split_trailer(strip_terminator(frame)).checksum is not None
            return _Style(present or self._error_detection == "on", None)
        if self._error_detection == "mirror" and not decoded.checksum_present:
            return _Style(False, None)
        return _Style(True, decoded.sequence)

    def _encode(self, message: m.Message, style: _Style) -> bytes:
        try:
            return encode(
                message,
                sequence=style.sequence,
                encoding=self._encoding,
                error_detection=style.error_detection,
            )
        except LocalProtocolError:
            # The request may have been applied: a 96 would claim it was not. Hang up, so the
            # SC learns the outcome is unknown and reads the state again.
            logger.warning("SIP2 answer %s could not be encoded; closing the connection", message.code)
            raise _Close from None

    def _refuse(self, frame: bytes, session: _Session, *, repairable: bool) -> bytes:
        """96 for a frame we cannot read, once: the next unreadable frame closes the connection."""
        if not session.logged_in or session.refused:
            raise _Close  # before login, or a resend that did not help: never a 96 loop
        session.refused = True
        session.last_response = self._encode(m.RequestSCResend(), self._style(frame, None))
        if not repairable:
            # The checksum matched (or there is none) yet the frame is not SIP2: the SC would
            # resend the same bytes, so say why once and hang up.
            raise _CloseAfter(session.last_response)
        return session.last_response

    async def _respond(self, frame: bytes, session: _Session) -> bytes | None:
        """The bytes to send back for one frame (None: say nothing); raises _Close to hang up."""
        try:
            decoded = decode(frame, encoding=self._encoding, verify_checksum=self._error_detection != "off")
        except ChecksumError:
            return self._refuse(frame, session, repairable=True)
        except MalformedMessage:
            return self._refuse(frame, session, repairable=False)
        except UnknownCommand:
            if not session.logged_in:
                raise _Close from None
            return None  # not a SIP2 2.00 message (a vendor extension?): like pysip2, no answer
        request = decoded.message
        if not session.logged_in and not isinstance(request, m.LoginRequest):
            raise _Close  # spec: when 93 is used it comes first; a 97 or 99 before it hangs up
        self._stats.count_sip2(request.code)
        if isinstance(request, m.RequestACSResend):
            return session.last_response or self._encode(m.RequestSCResend(), self._style(frame, decoded))
        session.refused = False
        if self._faults.roll("garbled_request"):
            # As if the line had garbled it: refused, not applied. Not the no-loop rule above
            # (that one is for frames no resend can repair): the SC's resend is refused too.
            return self._encode(m.RequestSCResend(), self._style(frame, None))
        if decoded.sequence is not None and decoded.checksum_present and frame == session.last_request:
            return session.last_response  # a retransmission: replay, never apply twice
        started = time.monotonic()
        try:
            response = await self._answer(request, self._style(frame, decoded), session)
        except _Silence:
            return None
        self._stats.time_sip2(request.code, started)
        session.last_request = frame
        session.last_response = response
        if self._faults.roll("bad_checksum") and b"AZ" in response:
            return corrupt_checksum(response)
        return response

    async def _answer(self, request: m.Message, style: _Style, session: _Session) -> bytes:
        if isinstance(request, m.LoginRequest):
            ok = (request.login_user_id, request.login_password) == self._login
            answer = self._encode(m.LoginResponse(ok=ok), style)
            if not ok:
                raise _CloseAfter(answer)
            session.logged_in = True
            return answer
        if self._faults.roll("no_answer"):
            raise _Silence
        await self._faults.sip2_delay()
        write = request.code in WRITES
        if write and self._faults.roll("drop_before_write"):
            raise _Close
        # On the loop, not in a worker thread: every SIP2 answer is a few indexed SQLite lookups
        # (~20 us), while a thread hand-off costs ~100 us of CPU and one more wake-up per message,
        # which the benchmarks measured as ILS latency. No await inside, so answers never interleave.
        message = self._answers.answer(request)
        if write and self._faults.roll("drop_after_write"):
            raise _Close
        if message is None:
            raise _Silence
        return self._encode(message, style)
