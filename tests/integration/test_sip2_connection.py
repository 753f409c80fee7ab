"""Protocol edges of the SIP2 connection, pool and client against a scripted ACS on real sockets.

The ACS here is deliberately tiny: each test scripts, request by request, what it answers
(a 96, a bad checksum, a wrong AY, silence, a hang-up), so the client's reaction to each edge
is checked precisely. The full emulator is exercised in test_sip2_client.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import datetime

import pytest

from adapters.errors import IlsUnavailable, OutcomeUnknown
from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.client import Sip2Client
from adapters.ils.sip2.codec import FieldInjectionError, FrameReader, decode, encode
from adapters.ils.sip2.config import Sip2Config
from adapters.ils.sip2.connection import ExchangeFailed, LoginRefused, Sip2Connection, open_connection
from adapters.ils.sip2.pool import Sip2Pool

# Behaviours a test can queue for the next request with a given command code.
ANSWER, SILENT, CLOSE, RESEND, BAD_CHECKSUM, WRONG_AY, WRONG_TYPE, REFUSE = [
    "answer",
    "silent",
    "close",
    "resend",
    "bad_checksum",
    "wrong_ay",
    "wrong_type",
    "refuse",
]


NOW = datetime(2026, 12, 1, 10, 0)


def _answer(request: m.Message) -> m.Message:
    if isinstance(request, m.LoginRequest):
        return m.LoginResponse(ok=request.login_password == "gateway")
    if isinstance(request, m.SCStatus):
        return m.ACSStatus(
            online_status=True, date_time_sync=NOW, institution_id="PARIS", supported_messages="Y" * 16
        )
    if isinstance(request, m.ItemInformationRequest):
        return m.ItemInformationResponse(
            circulation_status="03",
            transaction_date=NOW,
            item_identifier=request.item_identifier,
            title_identifier="Les Misérables",
        )
    if isinstance(request, m.RenewRequest):
        return m.RenewResponse(
            ok=True,
            transaction_date=NOW,
            institution_id="PARIS",
            patron_identifier=request.patron_identifier,
            item_identifier=request.item_identifier or "",
            title_identifier="Les Misérables",
            due_date="20261213    235959",
        )
    if isinstance(request, m.HoldRequest):
        return m.HoldResponse(
            ok=True,
            transaction_date=NOW,
            institution_id=request.institution_id,
            patron_identifier=request.patron_identifier,
            item_identifier=request.item_identifier,
            title_identifier=request.title_identifier,
        )
    raise AssertionError(f"the scripted ACS does not answer {request.code}")


def _corrupt(frame: bytes) -> bytes:
    """The same frame with a checksum that cannot verify."""
    wrong = b"1" if frame[-2:-1] != b"1" else b"2"
    return frame[:-2] + wrong + b"\r"


class ScriptedAcs:
    """A minimal ACS on 127.0.0.1 port 0 that records frames and follows a per-code script."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.script: dict[str, list[str]] = {}
        self.connections = 0
        self.open_now = 0
        self.max_open = 0
        self.closed_by_client = 0
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Condition()
        self.read_encoding = self.write_encoding = "utf-8"  # an ACS may write in another than it reads

    async def wait_until(self, predicate: Callable[[], bool]) -> None:
        """Wait (bounded) until the ACS has seen what the test expects."""
        async with asyncio.timeout(5), self._changed:
            await self._changed.wait_for(predicate)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def plan(self, code: str, *behaviours: str) -> None:
        self.script.setdefault(code, []).extend(behaviours)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        self.open_now += 1
        self.max_open = max(self.max_open, self.open_now)
        try:
            await self._converse(reader, writer)
        except ConnectionError:
            pass  # the client hung up mid-answer: fine for a test ACS
        finally:
            self._writers.discard(writer)
            self.open_now -= 1
            writer.close()
            await self._notify()

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        framer, last = FrameReader(), b""
        while data := await reader.read(65536):
            for frame in framer.feed(data):
                self.received.append(frame)
                await self._notify()
                decoded = decode(frame, encoding=self.read_encoding)
                plan = self.script.get(decoded.message.code)
                behaviour = plan.pop(0) if plan else ANSWER
                if behaviour == CLOSE:
                    return
                if behaviour == SILENT:
                    continue
                if not isinstance(decoded.message, m.RequestACSResend):
                    last = self._respond(behaviour, decoded.message, decoded.sequence)
                writer.write(_corrupt(last) if behaviour == BAD_CHECKSUM else last)
                if behaviour == REFUSE:
                    return
        self.closed_by_client += 1

    def _respond(self, behaviour: str, request: m.Message, sequence: int | None) -> bytes:
        if behaviour == RESEND:
            return encode(m.RequestSCResend(), sequence=None)
        if behaviour == REFUSE:
            return encode(m.LoginResponse(ok=False), sequence=sequence)
        response = m.EndSessionResponse() if behaviour == WRONG_TYPE else _answer(request)
        ay = ((sequence or 0) + 5) % 10 if behaviour == WRONG_AY else sequence
        return encode(response, sequence=ay, encoding=self.write_encoding)


@pytest.fixture
async def acs() -> AsyncIterator[ScriptedAcs]:
    server = ScriptedAcs()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def connect() -> AsyncIterator[Callable[[Sip2Config], Awaitable[Sip2Connection]]]:
    """open_connection, with every connection closed at the end of the test."""
    opened: list[Sip2Connection] = []

    async def _open(config: Sip2Config) -> Sip2Connection:
        connection = await open_connection(config)
        opened.append(connection)
        return connection

    yield _open
    for connection in opened:
        await connection.close()


Connect = Callable[[Sip2Config], Awaitable["Sip2Connection"]]


def _config(acs: ScriptedAcs, **changes: object) -> Sip2Config:
    config = Sip2Config("127.0.0.1", acs.port, "gateway", "gateway", size=2, timeout=0.3, connect_timeout=1.0)
    return replace(config, **changes)  # type: ignore[arg-type]


def _codes(acs: ScriptedAcs) -> list[bytes]:
    return [frame[:2] for frame in acs.received]


async def test_open_logs_in_checks_status_and_numbers_requests(acs: ScriptedAcs, connect: Connect) -> None:
    connection = await connect(_config(acs))
    for _ in range(10):
        item = await connection.exchange(
            m.ItemInformationRequest(transaction_date=NOW, item_identifier="b1"), m.ItemInformationResponse
        )
        assert item.title_identifier == "Les Misérables"
    await connection.close()
    assert _codes(acs)[:3] == [b"93", b"99", b"17"]
    assert [decode(frame).sequence for frame in acs.received] == [*range(10), 0, 1]


async def test_a_96_from_the_acs_gets_one_resend_of_the_same_frame(
    acs: ScriptedAcs, connect: Connect
) -> None:
    acs.plan("17", RESEND)
    connection = await connect(_config(acs))
    await connection.exchange(
        m.ItemInformationRequest(transaction_date=NOW, item_identifier="b1"), m.ItemInformationResponse
    )
    assert acs.received[-1] == acs.received[-2] and acs.received[-1][:2] == b"17"
    acs.plan("17", RESEND, RESEND)
    with pytest.raises(ExchangeFailed):
        await connection.exchange(
            m.ItemInformationRequest(transaction_date=NOW, item_identifier="b1"), m.ItemInformationResponse
        )
    assert connection.broken


async def test_a_bad_checksum_gets_one_97(acs: ScriptedAcs, connect: Connect) -> None:
    acs.plan("17", BAD_CHECKSUM)
    connection = await connect(_config(acs))
    item = await connection.exchange(
        m.ItemInformationRequest(transaction_date=NOW, item_identifier="b2"), m.ItemInformationResponse
    )
    assert item.item_identifier == "b2"
    assert acs.received[-1] == b"97AZFEF5" and not connection.broken
    acs.plan("17", BAD_CHECKSUM)
    acs.plan("97", BAD_CHECKSUM)  # the resend is corrupted too: give up, the stream is suspect
    with pytest.raises(ExchangeFailed):
        await connection.exchange(
            m.ItemInformationRequest(transaction_date=NOW, item_identifier="b3"), m.ItemInformationResponse
        )
    assert connection.broken and _codes(acs).count(b"97") == 2


async def test_a_wrong_ay_or_wrong_message_breaks_the_connection(acs: ScriptedAcs, connect: Connect) -> None:
    for behaviour in (WRONG_AY, WRONG_TYPE):
        acs.plan("17", behaviour)
        connection = await connect(_config(acs))
        with pytest.raises(ExchangeFailed) as caught:
            await connection.exchange(
                m.ItemInformationRequest(transaction_date=NOW, item_identifier="b"), m.ItemInformationResponse
            )
        assert caught.value.sent and connection.broken
        with pytest.raises(ExchangeFailed) as again:
            await connection.exchange(
                m.ItemInformationRequest(transaction_date=NOW, item_identifier="b"), m.ItemInformationResponse
            )
        assert not again.value.sent
        await connection.close()


async def test_no_answer_times_out_as_configured(acs: ScriptedAcs, connect: Connect) -> None:
    acs.plan("17", SILENT)
    connection = await connect(_config(acs, timeout=0.2))
    started = time.monotonic()
    with pytest.raises(ExchangeFailed):
        await connection.exchange(
            m.ItemInformationRequest(transaction_date=NOW, item_identifier="b"), m.ItemInformationResponse
        )
    assert 0.15 < time.monotonic() - started < 2.0
    assert connection.broken


async def test_cancellation_breaks_the_connection(acs: ScriptedAcs, connect: Connect) -> None:
    acs.plan("17", SILENT)
    connection = await connect(_config(acs, timeout=5.0))
    task = asyncio.create_task(
        connection.exchange(
            m.ItemInformationRequest(transaction_date=NOW, item_identifier="b"), m.ItemInformationResponse
        )
    )
    await acs.wait_until(lambda: len(acs.received) == 3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert connection.broken


async def test_login_refused_or_hang_up_after_login_is_an_authentication_failure(acs: ScriptedAcs) -> None:
    with pytest.raises(LoginRefused):
        await open_connection(_config(acs, password="wrong"))
    acs.plan("93", REFUSE)
    with pytest.raises(LoginRefused):
        await open_connection(_config(acs))
    acs.plan("93", CLOSE)
    with pytest.raises(LoginRefused):
        await open_connection(_config(acs))


async def test_unreachable_acs_is_unavailable() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    config = Sip2Config("127.0.0.1", port, "gateway", "gateway", connect_timeout=1.0)
    with pytest.raises(IlsUnavailable):
        await open_connection(config)


async def test_eof_after_a_write_is_outcome_unknown_and_a_read_is_retried(acs: ScriptedAcs) -> None:
    async with Sip2Pool(_config(acs)) as pool:
        client = Sip2Client(pool)
        acs.plan("29", CLOSE)
        with pytest.raises(OutcomeUnknown) as caught:
            await client.renew("p1", "b1")
        assert caught.value.operation == "renew"
        assert _codes(acs).count(b"29") == 1  # never resent
        acs.plan("17", CLOSE)
        item = await client.item_information("b1")
        assert item.title == "Les Misérables"
        assert _codes(acs).count(b"17") == 2
        assert pool.opened == 3  # first, replaced after the lost write, fresh for the retried read


async def test_broken_connections_are_closed_and_replaced(acs: ScriptedAcs) -> None:
    async with Sip2Pool(_config(acs, size=1)) as pool:
        client = Sip2Client(pool)
        await client.renew("p1", "b1")
        acs.plan("29", SILENT)
        with pytest.raises(OutcomeUnknown):
            await client.renew("p1", "b1")
        assert (await client.renew("p1", "b1")).ok
        assert pool.opened == 2 and pool.idle == 1
        await acs.wait_until(lambda: acs.closed_by_client == 1)  # the broken one was closed


async def test_pool_is_bounded_and_exhaustion_is_unavailable(acs: ScriptedAcs) -> None:
    async with Sip2Pool(_config(acs, size=3)) as pool:
        client = Sip2Client(pool)
        results = await asyncio.gather(*(client.item_information(f"b{n}") for n in range(30)))
        assert [r.item_id for r in results] == [f"b{n}" for n in range(30)]
        assert acs.max_open <= 3 and pool.opened <= 3
    async with Sip2Pool(_config(acs, size=1)) as pool, pool.acquire():
        with pytest.raises(IlsUnavailable):
            async with pool.acquire(timeout=0.05):
                pass


async def test_injection_is_refused_before_anything_is_sent(acs: ScriptedAcs) -> None:
    async with Sip2Pool(_config(acs, size=1)) as pool:
        client = Sip2Client(pool)
        await client.item_information("b1")
        sent = len(acs.received)
        for bad in ("b1|AApatron2", "b1\r29NN", "b1\n", "b1\x00"):
            with pytest.raises(FieldInjectionError):
                await client.renew("p1", bad)
        assert len(acs.received) == sent
        assert (await client.renew("p1", "b1")).ok
        assert pool.opened == 1


async def test_two_96_to_a_write_mean_not_applied_so_unavailable(acs: ScriptedAcs) -> None:
    """Defect: a 96 to our frame and another to its resend raised OutcomeUnknown; nothing was applied."""
    async with Sip2Pool(_config(acs)) as pool:
        client = Sip2Client(pool)
        acs.plan("29", RESEND, RESEND)
        with pytest.raises(IlsUnavailable) as caught:
            await client.renew("p1", "b1")
        assert not isinstance(caught.value, OutcomeUnknown)
        renewals = [frame for frame in acs.received if frame.startswith(b"29")]
        assert len(renewals) == 2 and renewals[0] == renewals[1]  # the frame and its one resend
        acs.plan("29", RESEND)  # one 96 is repaired by the resend
        assert (await client.renew("p1", "b1")).ok
        acs.plan("17", RESEND, RESEND)  # a read refused twice is tried again on a fresh connection
        assert (await client.item_information("b1")).title == "Les Misérables"


async def test_a_lost_answer_after_a_resend_stays_outcome_unknown(acs: ScriptedAcs) -> None:
    async with Sip2Pool(_config(acs)) as pool:
        acs.plan("29", RESEND, SILENT)
        with pytest.raises(OutcomeUnknown):
            await Sip2Client(pool).renew("p1", "b1")


async def test_client_settings_reach_the_wire(acs: ScriptedAcs) -> None:
    """AO, CP, AC, no AY/AZ when error detection is off, and one encoding each way."""
    acs.read_encoding, acs.write_encoding = "cp850", "utf-8"
    config = _config(
        acs,
        institution="UWOLS",
        location="circ-desk",
        terminal_password="t3rm",
        error_detection=False,
        send_encoding="cp850",
        receive_encoding="utf-8",
    )
    async with Sip2Pool(config) as pool:
        item = await Sip2Client(pool).item_information("bé1")
    assert item.title == "Les Misérables"  # read as UTF-8
    login, _, request = acs.received
    assert b"|CPcirc-desk|" in login and b"AY" not in login and b"AZ" not in login
    assert request.startswith(b"17") and b"AOUWOLS|AB" + "bé1".encode("cp850") + b"|ACt3rm|" in request
    assert "t3rm" not in repr(config) and "password" not in repr(config)


async def test_holds_by_title_or_by_item(acs: ScriptedAcs) -> None:
    async with Sip2Pool(_config(acs)) as pool:
        await Sip2Client(pool).place_hold("p1", "T1", "DURAS")
    async with Sip2Pool(_config(acs, hold_identifier="item")) as pool:
        client = Sip2Client(pool)
        outcome = await client.place_hold("p1", "T1", "DURAS", item_id="b1")
        await client.cancel_hold("p1", "T1", item_id="b1")
        await client.cancel_hold("p1", "T1")  # no copy known: the ILS decides on AJ alone
    by_title, by_item, cancel, title_only = [frame for frame in acs.received if frame.startswith(b"15")]
    assert b"|AJT1|" in by_title and b"|AB" not in by_title
    assert by_item.startswith(b"15+") and b"|ABb1|AJT1|" in by_item
    assert cancel.startswith(b"15-") and b"|ABb1|" in cancel
    assert b"|AJT1|" in title_only and b"|AB" not in title_only
    assert outcome.ok and outcome.title_id == "T1" and outcome.item_id == "b1"
