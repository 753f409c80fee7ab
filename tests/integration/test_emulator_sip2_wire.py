"""The emulator's SIP2 server on the wire: liberal input, resends, duplicates, concurrency, faults."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.codec import checksum, decode, encode, verify_checksum
from emulator.runner import EmulatorConfig, RunningEmulator, run_emulator
from emulator.seed import BARCODES, CAMILLE, DEMO_TODAY, HADRIEN, HORDE
from tests.integration.sip2_peer import CAMILLE_PASSWORD, NOW, Peer, close_all, connect, loan_of, patron_info

T = DEMO_TODAY


@pytest.fixture(autouse=True)
async def _close_connections() -> AsyncIterator[None]:
    yield
    await close_all()


# ---- liberal in what it accepts, strict in what it sends


def _raw_63(card: str = CAMILLE) -> bytes:
    return f"63002{NOW:%Y%m%d}    100000          AOPARIS|AA{card}|".encode()


async def test_raw_frames_cr_lf_no_checksum_lowercase_checksum(peer: Peer) -> None:
    for frame in (
        _raw_63() + b"\r\n",  # CR LF terminator, no AY/AZ
        _raw_63() + b"AY4AZ" + checksum(_raw_63() + b"AY4AZ").lower().encode() + b"\r",
        b"\n" + _raw_63() + b"AY5AZ" + checksum(_raw_63() + b"AY5AZ").encode() + b"\r",  # stray LF
    ):
        await peer.send(frame)
        answer = (await peer.frame()).rstrip(b"\r")
        assert answer.startswith(b"64") and verify_checksum(answer)
        assert b"AECamille Martin|" in answer


async def test_split_and_coalesced_frames(peer: Peer) -> None:
    one = encode(m.SCStatus(), sequence=1)
    two = encode(m.SCStatus(), sequence=2)
    await peer.send(one[:5])
    await peer.send(one[5:] + two)
    assert [decode(await peer.frame()).sequence for _ in range(2)] == [1, 2]


async def test_bad_checksum_gets_96_and_97_gets_the_last_answer_again(peer: Peer) -> None:
    await peer.send(_raw_63() + b"AY1AZ0000\r")
    assert (await peer.frame()) == b"96AZFEF6\r"
    first = await peer.ask(m.SCStatus(), sequence=2)
    await peer.send(b"97AZFEF5\r")
    again = decode(await peer.frame())
    assert again.message == first and again.sequence == 2


async def test_a_retransmitted_write_is_answered_but_applied_once(
    peer: Peer, emulator: RunningEmulator
) -> None:
    request = encode(
        m.RenewRequest(transaction_date=NOW, patron_identifier=CAMILLE, item_identifier=BARCODES[HORDE]),
        sequence=6,
    )
    await peer.send(request)
    first = await peer.frame()
    await peer.send(request)
    assert await peer.frame() == first
    assert loan_of(emulator, BARCODES[HORDE]) == (1, (T + timedelta(days=38)).isoformat())


async def test_many_concurrent_connections(emulator: RunningEmulator) -> None:
    async def one(n: int) -> str:
        connection = await connect(emulator)
        await connection.login()
        info = await connection.ask(patron_info(CAMILLE, CAMILLE_PASSWORD), sequence=n % 10)
        assert isinstance(info, m.PatronInformationResponse)
        return info.personal_name

    assert await asyncio.gather(*(one(n) for n in range(30))) == ["Camille Martin"] * 30
    assert emulator.stats.snapshot()["sip2"] == {"63": 30, "93": 30}


async def test_accents_round_trip_in_cp850(tmp_path: Path, emulator_template: Path) -> None:
    db_path = tmp_path / "cp850.db"
    shutil.copy(emulator_template, db_path)
    config = EmulatorConfig(db_path=db_path, encoding="cp850", today=lambda: DEMO_TODAY)
    async with run_emulator(config) as emu:
        connection = await connect(emu, encoding="cp850")
        await connection.login()
        info = await connection.ask(
            m.ItemInformationRequest(transaction_date=NOW, item_identifier=BARCODES[HADRIEN])
        )
        assert isinstance(info, m.ItemInformationResponse) and info.title_identifier == "Mémoires d'Hadrien"
        connection.writer.close()
        await connection.writer.wait_closed()


# ---- faults


async def test_fault_bad_checksum(peer: Peer, emulator: RunningEmulator) -> None:
    emulator.faults.update({"bad_checksum": 1.0})
    await peer.send(encode(m.SCStatus(), sequence=1))
    assert not verify_checksum((await peer.frame()).rstrip(b"\r"))
    emulator.faults.update({"bad_checksum": 0.0})
    await peer.send(b"97AZFEF5\r")
    assert verify_checksum((await peer.frame()).rstrip(b"\r"))


async def test_fault_no_answer_reads_and_says_nothing(peer: Peer, emulator: RunningEmulator) -> None:
    emulator.faults.update({"no_answer": 1.0})
    await peer.send(
        encode(
            m.RenewRequest(transaction_date=NOW, patron_identifier=CAMILLE, item_identifier=BARCODES[HORDE]),
            sequence=1,
        )
    )
    # Frames are handled in order: the answer to this 97 is still the login's, so the renewal got none.
    await peer.send(b"97AZFEF5\r")
    assert decode(await peer.frame()).message == m.LoginResponse(ok=True)
    assert loan_of(emulator, BARCODES[HORDE]) == (0, (T + timedelta(days=10)).isoformat())


@pytest.mark.parametrize(("fault", "applied"), [("drop_before_write", False), ("drop_after_write", True)])
async def test_fault_dropped_connection_around_a_write(
    peer: Peer, emulator: RunningEmulator, fault: str, applied: bool
) -> None:
    emulator.faults.update({fault: 1.0})
    before = await peer.ask(m.SCStatus(), sequence=1)  # reads are not writes: answered
    assert isinstance(before, m.ACSStatus)
    await peer.send(
        encode(
            m.RenewRequest(transaction_date=NOW, patron_identifier=CAMILLE, item_identifier=BARCODES[HORDE]),
            sequence=2,
        )
    )
    assert await peer.closed()
    assert (loan_of(emulator, BARCODES[HORDE]) == (1, (T + timedelta(days=38)).isoformat())) is applied


async def test_fault_outage_refuses_connections(emulator: RunningEmulator) -> None:
    emulator.faults.update({"outage": True})
    connection = await connect(emulator)
    assert await connection.closed()
    emulator.faults.update({"outage": False})
    connection = await connect(emulator)
    assert await connection.login() == m.LoginResponse(ok=True)


async def test_fault_latency(peer: Peer, emulator: RunningEmulator) -> None:
    emulator.faults.update({"sip2_latency_ms": 60})
    started = time.perf_counter()
    await peer.ask(m.SCStatus())
    assert time.perf_counter() - started >= 0.06
