"""The emulator as a faithful ACS: what a strict third-party SC sees on the wire.

Each test named after a defect reproduces one listed in issue 10 (it failed before the fix).
Golden frames: the 01 Block Patron request of Koha's C4/SIP/t/05block_patron.t (answered by
a 24, "response to block patron is a patron status message"; the SIP2 2.00 spec as quoted in
FOLIO edge-sip2's BlockPatron.java: "respond with a Patron Status Response message"), the 63
of Evergreen SIPServer's t/02patron_info.t with its 64 pattern `64[ Y]{14}\\d{3}<date>(\\d{4}){6}`,
and the spec's 96/97 forms of sip2-notes.md (`96AZFEF6`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.codec import checksum, decode, encode, verify_checksum
from emulator.runner import EmulatorConfig, RunningEmulator, run_emulator
from emulator.seed import BARCODES, CAMILLE, DEMO_TODAY, HADRIEN
from tests.integration.sip2_peer import NOW, Peer, close_all, connect

DATE = rb"\d{8} {4}\d{6}"


@pytest.fixture(autouse=True)
async def _close_connections() -> AsyncIterator[None]:
    yield
    await close_all()


def _with_checksum(body: bytes) -> bytes:
    """A frame whose checksum matches, whatever its body holds."""
    return body + b"AY1AZ" + checksum(body + b"AY1AZ").encode() + b"\r"


# ---- session rules


async def test_a_97_before_login_closes_the_connection(emulator: RunningEmulator) -> None:
    """Defect: a 97 before login was answered; anything but a 93 must close."""
    for first in (b"97AZFEF5\r", b"97\r", encode(m.SCStatus(), sequence=0)):
        connection = await connect(emulator)
        await connection.send(first)
        assert await connection.closed()


@pytest.mark.parametrize("junk", [b"\x00", b"\n"])
async def test_an_unrepairable_frame_gets_one_96_then_the_connection_closes(peer: Peer, junk: bytes) -> None:
    """Defect: a NUL or LF in a value got 96 forever, an endless resend loop for the SC."""
    item = m.ItemInformationRequest(transaction_date=NOW, institution_id="PARIS", item_identifier="3900")
    frame = encode(item, sequence=1)
    poisoned = _with_checksum(frame[: frame.index(b"3900")] + b"39" + junk + b"00|")
    assert verify_checksum(poisoned)  # the bytes arrived as sent: a resend would repeat them
    await peer.send(poisoned)
    assert await peer.frame() == b"96AZFEF6\r"
    assert await peer.closed()


async def test_a_bad_checksum_gets_96_and_a_failed_resend_closes(peer: Peer) -> None:
    good = encode(m.SCStatus(), sequence=1)
    bad = good[:-2] + (b"0" if good[-2:-1] != b"0" else b"1") + b"\r"
    await peer.send(bad)
    assert await peer.frame() == b"96AZFEF6\r"
    await peer.send(good)  # the resend repairs it
    assert isinstance(decode(await peer.frame(), strict=True).message, m.ACSStatus)
    await peer.send(bad)
    assert await peer.frame() == b"96AZFEF6\r"
    await peer.send(bad)  # the resend is as bad: no second 96
    assert await peer.closed()


# ---- every request gets its response type


async def test_every_sip2_request_gets_its_response_type(peer: Peer) -> None:
    """Defect: 01, 19, 25 and 37 got no answer at all, so the SC waited for its timeout."""
    requests: list[tuple[m.Message, type[m.Message]]] = [
        (m.SCStatus(), m.ACSStatus),
        (
            m.PatronStatusRequest(transaction_date=NOW, institution_id="PARIS", patron_identifier=CAMILLE),
            m.PatronStatusResponse,
        ),
        (
            m.PatronInformationRequest(
                transaction_date=NOW, institution_id="PARIS", patron_identifier=CAMILLE
            ),
            m.PatronInformationResponse,
        ),
        (
            m.ItemInformationRequest(
                transaction_date=NOW, institution_id="PARIS", item_identifier=BARCODES[HADRIEN]
            ),
            m.ItemInformationResponse,
        ),
        (
            m.RenewRequest(
                transaction_date=NOW,
                institution_id="PARIS",
                patron_identifier=CAMILLE,
                item_identifier="none",
            ),
            m.RenewResponse,
        ),
        (
            m.RenewAllRequest(transaction_date=NOW, institution_id="PARIS", patron_identifier="nobody"),
            m.RenewAllResponse,
        ),
        (
            m.HoldRequest(
                hold_mode="*",
                transaction_date=NOW,
                institution_id="PARIS",
                patron_identifier=CAMILLE,
                title_identifier="T",
            ),
            m.HoldResponse,
        ),
        (
            m.EndPatronSessionRequest(
                transaction_date=NOW, institution_id="PARIS", patron_identifier=CAMILLE
            ),
            m.EndSessionResponse,
        ),
        (
            m.CheckinRequest(
                transaction_date=NOW,
                return_date=NOW,
                current_location="DURAS",
                institution_id="PARIS",
                item_identifier="none",
            ),
            m.CheckinResponse,
        ),
        (
            m.CheckoutRequest(
                transaction_date=NOW,
                institution_id="PARIS",
                patron_identifier=CAMILLE,
                item_identifier="none",
            ),
            m.CheckoutResponse,
        ),
        (
            m.BlockPatron(
                transaction_date=NOW,
                institution_id="PARIS",
                blocked_card_message="x",
                patron_identifier=CAMILLE,
            ),
            m.PatronStatusResponse,
        ),
        (
            m.ItemStatusUpdate(
                transaction_date=NOW,
                institution_id="PARIS",
                item_identifier=BARCODES[HADRIEN],
                item_properties="p",
            ),
            m.ItemStatusUpdateResponse,
        ),
        (
            m.PatronEnable(transaction_date=NOW, institution_id="PARIS", patron_identifier=CAMILLE),
            m.PatronEnableResponse,
        ),
        (
            m.FeePaid(
                transaction_date=NOW, fee_amount="1.00", institution_id="PARIS", patron_identifier=CAMILLE
            ),
            m.FeePaidResponse,
        ),
    ]
    for sequence, (request, response_type) in enumerate(requests):
        answer = await peer.ask(request, sequence=sequence % 10)  # strict decode, same AY
        assert type(answer) is response_type, request.code
    unsupported = {
        "20": (m.ItemStatusUpdate, "item_properties_ok"),
        "38": (m.FeePaid, "payment_accepted"),
    }
    for code, (request_type, flag) in unsupported.items():
        request = next(r for r, _ in requests if isinstance(r, request_type))
        answer = await peer.ask(request)
        assert getattr(answer, flag) is False and answer.screen_messages, code  # type: ignore[attr-defined]


async def test_block_patron_of_the_koha_test_suite_gets_a_24(peer: Peer) -> None:
    frame = f"01N20060102    084238AOPARIS|ALThis card is blocked.|AA{CAMILLE}|ACterminal password|".encode()
    await peer.send(_with_checksum(frame))
    answer = await peer.frame()
    assert re.match(
        rb"24[ Y]{14}\d{3}" + DATE + rb"AOPARIS\|AA" + CAMILLE.encode() + rb"\|AECamille Martin\|", answer
    )
    decoded = decode(answer, strict=True).message
    assert isinstance(decoded, m.PatronStatusResponse)
    assert decoded.valid_patron is True and "non pris en charge" in decoded.screen_messages[0]


async def test_patron_information_counts_and_limits_are_zero_padded(peer: Peer) -> None:
    """Defect: `BZ10|` was sent (no zero padding), so a strict SC rejected every 64."""
    await peer.send(_with_checksum(f"6300020060329    201700          AOPARIS|AA{CAMILLE}|".encode()))
    answer = await peer.frame()
    assert re.match(rb"64[ Y]{14}\d{3}" + DATE + rb"(\d{4}){6}AO", answer)
    assert re.search(rb"\|BZ\d{4}\|", answer)
    decode(answer, strict=True)


async def test_echoed_identifiers_are_limited_to_a_variable_field(peer: Peer) -> None:
    """Defect: the emulator echoed a 10 KB AB, a frame no strict SC accepts (our encoder refuses
    to write such a request, a sloppy SC does not: the frames are built by hand)."""
    await peer.send(_with_checksum(b"1720261201    100000AOPARIS|AB" + b"x" * 10_000 + b"|"))
    answer = decode(await peer.frame(), strict=True).message
    assert isinstance(answer, m.ItemInformationResponse)
    assert answer.item_identifier == "x" * 255 and answer.screen_messages == ("Exemplaire inconnu.",)
    patron = "é" * 300
    await peer.send(_with_checksum(f"2300020261201    100000AOPARIS|AA{patron}|AC|AD|".encode()))
    status = decode(await peer.frame(), strict=True).message
    assert isinstance(status, m.PatronStatusResponse) and status.patron_identifier == "é" * 127  # 254 bytes


# ---- error-detection styles


async def _emulator(template: Path, tmp_path: Path, mode: str) -> AsyncIterator[RunningEmulator]:
    db_path = tmp_path / f"{mode}.db"
    shutil.copy(template, db_path)
    async with run_emulator(
        EmulatorConfig(db_path=db_path, error_detection=mode, today=lambda: DEMO_TODAY)
    ) as emu:
        yield emu


async def test_error_detection_mirror_answers_in_the_request_style(
    emulator_template: Path, tmp_path: Path
) -> None:
    async for emu in _emulator(emulator_template, tmp_path, "mirror"):
        peer = await connect(emu)
        await peer.send(
            encode(
                m.LoginRequest(login_user_id="gateway", login_password="gateway"),
                sequence=0,
                error_detection=False,
            )
        )
        assert await peer.frame() == b"941\r"
        await peer.send(encode(m.SCStatus(), sequence=4))
        answer = await peer.frame()
        assert verify_checksum(answer) and decode(answer).sequence == 4
        await peer.send(b"63\r")
        assert await peer.frame() == b"96\r"  # no trailer, as the unreadable request


async def test_error_detection_off_writes_no_trailer_and_checks_none(
    emulator_template: Path, tmp_path: Path
) -> None:
    async for emu in _emulator(emulator_template, tmp_path, "off"):
        peer = await connect(emu)
        login = encode(m.LoginRequest(login_user_id="gateway", login_password="gateway"), sequence=0)
        await peer.send(login[:-2] + (b"0" if login[-2:-1] != b"0" else b"1") + b"\r")  # checksum not checked
        assert await peer.frame() == b"941\r"
        await peer.send(encode(m.SCStatus(), sequence=5))
        answer = await peer.frame()
        assert b"AY" not in answer[-12:] and not verify_checksum(answer)
        assert isinstance(decode(answer, strict=True).message, m.ACSStatus)
