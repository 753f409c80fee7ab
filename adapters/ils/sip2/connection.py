"""One SIP2 connection to the ACS: a single asyncio stream with one request in flight.

Owns the request/response exchange: sequence numbers (AY 0-9, wrapping), the timeout on
every exchange, the error-detection dance (a bad checksum in a response -> one 97; a 96 from
the ACS -> one resend of the same frame, same AY; a second 96 -> not applied, `sent=False`),
and the check that the response echoes the request's AY and has the expected type. Any
timeout, cancellation, EOF, undecodable or unexpected frame marks the connection broken
forever: it is never used again, because the stream may be out of step with the requests.
Opening a connection logs in (93 -> 94) and checks the ACS status (99 -> 98).

Must never retry a request on its own beyond the protocol's resend, and never log frames or
field values (they carry patron passwords): only command codes and reasons.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TypeVar

from adapters.errors import IlsUnavailable, PeerProtocolError
from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.codec import ChecksumError, FrameReader, decode, encode
from adapters.ils.sip2.config import Sip2Config

logger = logging.getLogger(__name__)
Response = TypeVar("Response", bound=m.Message)
_READ_SIZE = 65536


class ExchangeFailed(IlsUnavailable):
    """An exchange failed and broke the connection; `sent` says whether the ACS may have the request."""

    def __init__(self, reason: str, *, sent: bool) -> None:
        super().__init__("sip2", reason)
        self.sent = sent


class LoginRefused(IlsUnavailable):
    """The ACS refused the gateway's own SIP2 credentials (940, or EOF after the 93)."""

    def __init__(self) -> None:
        super().__init__("sip2", "login refused: check the gateway's SIP2 user and password")


class Sip2Connection:
    """A logged-in SIP2 stream. Use `open_connection`; one `exchange` at a time."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, config: Sip2Config
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._config = config
        self._framer = FrameReader()
        self._frames: list[bytes] = []
        self._sequence = -1
        self._busy = False
        self._broken = False

    @property
    def broken(self) -> bool:
        """True once anything went wrong: the connection must be closed, never reused."""
        return self._broken

    @property
    def usable(self) -> bool:
        """Not broken and not closed by the ACS while idle."""
        return not (self._broken or self._reader.at_eof() or self._writer.is_closing())

    async def close(self) -> None:
        """Close the stream; the connection is broken from then on."""
        self._broken = True
        self._writer.close()
        # The peer may be gone or slow to acknowledge: nothing left to do either way.
        with contextlib.suppress(OSError, TimeoutError):
            await asyncio.wait_for(self._writer.wait_closed(), timeout=1.0)

    async def exchange(
        self, request: m.Message, response_type: type[Response], *, time_limit: float | None = None
    ) -> Response:
        """Send `request`, return its response; raises ExchangeFailed (and breaks) on any failure.

        A request that cannot be encoded raises the codec's LocalProtocolError and leaves the
        connection intact, since nothing was written.
        """
        if self._busy or not self.usable or self._frames:
            self._broken = True
            raise ExchangeFailed("connection not usable", sent=False)
        sequence = (self._sequence + 1) % 10
        frame = self._encode(request, sequence)
        self._sequence = sequence
        self._busy = True
        try:
            async with asyncio.timeout(self._config.timeout if time_limit is None else time_limit):
                return await self._converse(request.code, frame, sequence, response_type)
        except TimeoutError:
            self._broken = True
            raise ExchangeFailed(f"no answer to {request.code} in time", sent=True) from None
        except _RefusedTwice as exc:
            # Two 96 in a row: the ACS read neither our frame nor its resend, so it applied
            # nothing. Not an unknown outcome: the caller may say "unavailable", safely.
            self._broken = True
            raise ExchangeFailed(f"{request.code} refused twice (96)", sent=False) from exc
        except (OSError, PeerProtocolError) as exc:
            self._broken = True
            reason = f"{request.code} failed: {type(exc).__name__}"
            raise ExchangeFailed(reason, sent=True) from exc
        except BaseException:
            self._broken = True  # cancelled mid-exchange: the answer may still come, out of step
            raise
        finally:
            self._busy = False

    def _encode(self, message: m.Message, sequence: int) -> bytes:
        return encode(
            message,
            sequence=sequence,
            encoding=self._config.encoding_out,
            error_detection=self._config.error_detection,
        )

    async def _converse(
        self, code: str, frame: bytes, sequence: int, response_type: type[Response]
    ) -> Response:
        await self._send(frame)
        resent = asked_resend = False
        while True:
            raw = await self._next_frame(code)
            try:
                decoded = decode(raw, encoding=self._config.encoding_in)
            except ChecksumError:
                if asked_resend:
                    raise
                asked_resend = True  # spec: the SC asks the ACS to resend its last message (97)
                logger.info("sip2 %s: bad checksum in the response, sending 97", code)
                await self._send(self._encode(m.RequestACSResend(), sequence))
                continue
            message = decoded.message
            if isinstance(message, m.RequestSCResend):
                if resent:
                    raise _RefusedTwice(code)
                resent = True  # spec: the ACS could not read our frame; resend it, same AY
                logger.info("sip2 %s: ACS asked for a resend (96)", code)
                await self._send(frame)
                continue
            if self._config.error_detection and decoded.sequence not in (None, sequence):
                raise _Unexpected(f"AY {decoded.sequence} in answer to {code} sent with AY {sequence}")
            if not isinstance(message, response_type):
                raise _Unexpected(f"{message.code} in answer to {code}")
            return message

    async def _send(self, frame: bytes) -> None:
        self._writer.write(frame)
        await self._writer.drain()

    async def _next_frame(self, code: str) -> bytes:
        while not self._frames:
            data = await self._reader.read(_READ_SIZE)
            if not data:
                raise _ClosedByPeer(code)
            self._frames += self._framer.feed(data)
        return self._frames.pop(0)


class _Unexpected(PeerProtocolError):
    """The ACS answered, but not with the response to our request."""


class _RefusedTwice(PeerProtocolError):
    """The ACS answered 96 to our frame and again to its resend."""

    def __init__(self, code: str) -> None:
        super().__init__(f"second 96 in answer to {code}")


class _ClosedByPeer(PeerProtocolError):
    """EOF while waiting for an answer."""

    def __init__(self, code: str) -> None:
        super().__init__(f"connection closed while waiting for the answer to {code}")


async def open_connection(config: Sip2Config) -> Sip2Connection:
    """Connect, log in (93/94) and check the ACS is on line (99/98), all within connect_timeout."""
    try:
        async with asyncio.timeout(config.connect_timeout):
            reader, writer = await asyncio.open_connection(config.host, config.port)
    except (OSError, TimeoutError) as exc:
        raise IlsUnavailable("sip2", f"cannot connect: {type(exc).__name__}") from exc
    connection = Sip2Connection(reader, writer, config)
    try:
        await _log_in(connection, config)
    except BaseException:
        await connection.close()
        raise
    return connection


async def _log_in(connection: Sip2Connection, config: Sip2Config) -> None:
    login = m.LoginRequest(
        login_user_id=config.user,
        login_password=config.password,
        location_code=config.location or None,
    )
    try:
        answer = await connection.exchange(login, m.LoginResponse, time_limit=config.connect_timeout)
    except ExchangeFailed as exc:
        if isinstance(exc.__cause__, _ClosedByPeer):
            raise LoginRefused from None  # many ACSs hang up instead of (or after) sending 940
        raise _session_failed(exc) from exc
    if not answer.ok:
        raise LoginRefused
    try:
        status = await connection.exchange(m.SCStatus(), m.ACSStatus, time_limit=config.connect_timeout)
    except ExchangeFailed as exc:
        raise _session_failed(exc) from exc
    if not status.online_status:
        raise IlsUnavailable("sip2", "the ACS reports it is off line")


def _session_failed(exc: ExchangeFailed) -> IlsUnavailable:
    # Deliberately not an ExchangeFailed: no caller's request was sent on this connection.
    return IlsUnavailable("sip2", f"opening a session failed: {exc.reason}")
