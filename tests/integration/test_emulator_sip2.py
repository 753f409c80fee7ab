"""The emulator's SIP2 server over a real socket: login, patron and item information, circulation writes."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.codec import encode
from emulator.runner import RunningEmulator
from emulator.seed import (
    ALL_BARCODES,
    BARCODES,
    BOVARY,
    CAMILLE,
    CLAIRE,
    DEMO_TODAY,
    FURTIFS,
    HADRIEN,
    HORDE,
    INES,
    MISERABLES,
    NADIA,
    NOTREDAME,
    PRINCE,
)
from tests.integration.sip2_peer import CAMILLE_PASSWORD, NOW, Peer, close_all, connect, loan_of, patron_info

T = DEMO_TODAY


@pytest.fixture(autouse=True)
async def _close_connections() -> AsyncIterator[None]:
    yield
    await close_all()


# ---- session rules


async def test_messages_before_login_close_the_connection(emulator: RunningEmulator) -> None:
    connection = await connect(emulator)
    await connection.send(encode(m.SCStatus(), sequence=0))
    assert await connection.closed()


async def test_a_bad_login_gets_940_then_the_connection_closes(emulator: RunningEmulator) -> None:
    connection = await connect(emulator)
    assert await connection.login(password="wrong") == m.LoginResponse(ok=False)
    assert await connection.closed()


async def test_sc_status_after_login(peer: Peer) -> None:
    status = await peer.ask(m.SCStatus(), sequence=3)
    assert isinstance(status, m.ACSStatus)
    assert status.online_status and status.institution_id == "PARIS"
    assert status.supported_messages[7] == "Y" and status.supported_messages[14] == "Y"


# ---- patron information


async def test_patron_information_for_camille(peer: Peer) -> None:
    info = await peer.ask(patron_info(CAMILLE, CAMILLE_PASSWORD, summary=2))
    assert isinstance(info, m.PatronInformationResponse)
    assert (info.personal_name, info.valid_patron, info.valid_patron_password) == (
        "Camille Martin",
        True,
        True,
    )
    assert info.email_address == "camille.martin@example.org" and info.home_phone_number == "0140000001"
    assert (info.charged_items_count, info.overdue_items_count) == (7, 1)
    assert (info.hold_items_count, info.unavailable_holds_count) == (1, 2)
    assert info.patron_status == " " * 14
    assert len(info.charged_items) == 7 and BARCODES[HORDE] in info.charged_items


async def test_summary_lists_honour_the_bp_bq_range(peer: Peer) -> None:
    everything = await peer.ask(patron_info(CAMILLE, CAMILLE_PASSWORD, summary=2))
    window = await peer.ask(patron_info(CAMILLE, CAMILLE_PASSWORD, summary=2, start_item=2, end_item=3), 2)
    assert isinstance(everything, m.PatronInformationResponse) and isinstance(
        window, m.PatronInformationResponse
    )
    assert window.charged_items == everything.charged_items[1:3]
    holds = await peer.ask(patron_info(CAMILLE, CAMILLE_PASSWORD, summary=5), 3)
    assert isinstance(holds, m.PatronInformationResponse)
    assert set(holds.unavailable_hold_items) == {"T-MISERABLES", "T-CONSENTEMENT"} and not holds.charged_items
    available = await peer.ask(patron_info(CAMILLE, CAMILLE_PASSWORD, summary=0), 4)
    assert isinstance(available, m.PatronInformationResponse) and available.hold_items == (HADRIEN,)


async def test_a_wrong_password_gets_counts_but_no_personal_details(peer: Peer) -> None:
    info = await peer.ask(patron_info(CAMILLE, "01011900", summary=2))
    assert isinstance(info, m.PatronInformationResponse)
    assert info.valid_patron and info.valid_patron_password is False
    assert info.email_address is None and info.charged_items == () and info.charged_items_count == 7


async def test_unknown_patron_and_blocked_patron(peer: Peer) -> None:
    unknown = await peer.ask(patron_info("2999999999", "01011900"))
    assert isinstance(unknown, m.PatronInformationResponse)
    assert unknown.valid_patron is False and unknown.personal_name == ""
    nadia = await peer.ask(patron_info(NADIA, "12031978"), 2)
    assert isinstance(nadia, m.PatronInformationResponse)
    assert nadia.patron_status[:4] == "YYYY" and nadia.patron_status[10] == "Y"
    assert (nadia.fee_amount, nadia.currency_type) == ("12.50", "EUR")


# ---- item information


async def test_item_information(peer: Peer) -> None:
    out = await peer.ask(
        m.ItemInformationRequest(transaction_date=NOW, item_identifier=ALL_BARCODES[MISERABLES][0])
    )
    assert isinstance(out, m.ItemInformationResponse)
    assert (out.circulation_status, out.title_identifier, out.hold_queue_length) == (
        "04",
        "Les Misérables",
        2,
    )
    assert (
        out.due_date == "20261210    235959" and out.permanent_location == "DURAS" and out.media_type == "001"
    )
    shelf = await peer.ask(
        m.ItemInformationRequest(transaction_date=NOW, item_identifier=BARCODES[PRINCE]), 2
    )
    assert isinstance(shelf, m.ItemInformationResponse)
    assert shelf.circulation_status == "03" and shelf.due_date is None
    held = await peer.ask(
        m.ItemInformationRequest(transaction_date=NOW, item_identifier=BARCODES[HADRIEN]), 3
    )
    assert isinstance(held, m.ItemInformationResponse)
    assert held.circulation_status == "08" and held.current_location == "SAGAN"
    assert held.hold_pickup_date == datetime(2026, 12, 7, 23, 59, 59)
    unknown = await peer.ask(m.ItemInformationRequest(transaction_date=NOW, item_identifier="0000"), 4)
    assert isinstance(unknown, m.ItemInformationResponse)
    assert unknown.circulation_status == "01" and unknown.screen_messages == ("Exemplaire inconnu.",)


# ---- circulation writes


async def test_renew_and_its_refusal(peer: Peer, emulator: RunningEmulator) -> None:
    ok = await peer.ask(
        m.RenewRequest(transaction_date=NOW, patron_identifier=CAMILLE, item_identifier=BARCODES[HORDE])
    )
    assert isinstance(ok, m.RenewResponse)
    assert (
        ok.ok
        and ok.renewal_ok
        and ok.due_date == "20270108    235959"
        and ok.title_identifier.startswith("La Horde")
    )
    assert loan_of(emulator, BARCODES[HORDE]) == (1, (T + timedelta(days=38)).isoformat())
    refused = await peer.ask(
        m.RenewRequest(transaction_date=NOW, patron_identifier=CAMILLE, item_identifier=BARCODES[FURTIFS]), 2
    )
    assert isinstance(refused, m.RenewResponse)
    assert not refused.ok and refused.due_date == ""
    assert refused.screen_messages == ("Nombre maximal de prolongations atteint (2).",)


async def test_renew_all(peer: Peer) -> None:
    out = await peer.ask(m.RenewAllRequest(transaction_date=NOW, patron_identifier=CAMILLE))
    assert isinstance(out, m.RenewAllResponse)
    assert out.ok and (out.renewed_count, out.unrenewed_count) == (2, 5)
    assert len(out.screen_messages) == 5 and any("numériques" in text for text in out.screen_messages)


async def test_place_and_cancel_holds(peer: Peer) -> None:
    placed = await peer.ask(
        m.HoldRequest(
            hold_mode="+",
            transaction_date=NOW,
            pickup_location="SAGAN",
            hold_type="2",
            patron_identifier=CAMILLE,
            title_identifier=BOVARY,
        )
    )
    assert isinstance(placed, m.HoldResponse)
    assert placed.ok and placed.queue_position == 1 and placed.pickup_location == "SAGAN"
    assert placed.title_identifier == "Madame Bovary"
    again = await peer.ask(
        m.HoldRequest(
            hold_mode="+", transaction_date=NOW, patron_identifier=CAMILLE, title_identifier=BOVARY
        ),
        2,
    )
    assert isinstance(again, m.HoldResponse)
    assert not again.ok and again.screen_messages == ("Vous avez déjà réservé ce document.",)
    cancelled = await peer.ask(
        m.HoldRequest(
            hold_mode="-", transaction_date=NOW, patron_identifier=CAMILLE, title_identifier=MISERABLES
        ),
        3,
    )
    assert isinstance(cancelled, m.HoldResponse) and cancelled.ok
    refused = await peer.ask(
        m.HoldRequest(
            hold_mode="-", transaction_date=NOW, patron_identifier=CAMILLE, title_identifier=HADRIEN
        ),
        4,
    )
    assert isinstance(refused, m.HoldResponse) and not refused.ok and refused.screen_messages


async def test_check_in_sets_a_reserved_copy_aside(peer: Peer, emulator: RunningEmulator) -> None:
    copy = ALL_BARCODES[MISERABLES][0]
    out = await peer.ask(
        m.CheckinRequest(
            transaction_date=NOW, return_date=NOW, current_location="DURAS", item_identifier=copy
        )
    )
    assert isinstance(out, m.CheckinResponse)
    assert out.ok and out.alert and out.sort_bin == "RESERVATIONS" and out.permanent_location == "DURAS"
    with sqlite3.connect(emulator.db_path) as db:
        hold = db.execute(
            "SELECT status, item_id, pickup_deadline FROM holds WHERE patron_id = ? AND title_id = ?",
            (CLAIRE, MISERABLES),
        ).fetchone()
        notices = db.execute("SELECT kind FROM notices WHERE patron_id = ?", (CLAIRE,)).fetchall()
    assert hold == ("AVAILABLE", copy, "2026-12-08") and notices == [("HOLD_AVAILABLE",)]


async def test_check_out_and_end_session(peer: Peer) -> None:
    out = await peer.ask(
        m.CheckoutRequest(transaction_date=NOW, patron_identifier=INES, item_identifier=BARCODES[PRINCE])
    )
    assert isinstance(out, m.CheckoutResponse)
    assert out.ok and out.due_date == "20261229    235959" and out.title_identifier == "Le Petit Prince"
    end = await peer.ask(m.EndPatronSessionRequest(transaction_date=NOW, patron_identifier=INES), 2)
    assert end == m.EndSessionResponse(
        end_session=True,
        transaction_date=end.transaction_date,  # type: ignore[attr-defined]
        institution_id="PARIS",
        patron_identifier=INES,
    )


async def test_patron_status(peer: Peer) -> None:
    ok = await peer.ask(
        m.PatronStatusRequest(
            transaction_date=NOW, institution_id="PARIS", patron_identifier=NADIA, patron_password="12031978"
        )
    )
    assert isinstance(ok, m.PatronStatusResponse)
    assert (ok.personal_name, ok.valid_patron, ok.valid_patron_password) == ("Nadia Haddad", True, True)
    assert ok.patron_status[1] == "Y"
    unknown = await peer.ask(m.PatronStatusRequest(transaction_date=NOW, patron_identifier="2999999999"), 2)
    assert isinstance(unknown, m.PatronStatusResponse) and unknown.valid_patron is False


async def test_renew_by_title_id_and_hold_by_item_barcode(peer: Peer) -> None:
    renewed = await peer.ask(
        m.RenewRequest(transaction_date=NOW, patron_identifier=CAMILLE, title_identifier="T-HORDE")
    )
    assert isinstance(renewed, m.RenewResponse) and renewed.ok and renewed.item_identifier == BARCODES[HORDE]
    held = await peer.ask(
        m.HoldRequest(
            hold_mode="+",
            transaction_date=NOW,
            hold_type="3",
            patron_identifier=INES,
            item_identifier=BARCODES[NOTREDAME],
            pickup_location="HAVEL",
        ),
        2,
    )
    assert isinstance(held, m.HoldResponse) and held.ok and held.title_identifier == "Notre-Dame de Paris"


async def test_a_wrong_patron_password_refuses_writes(peer: Peer, emulator: RunningEmulator) -> None:
    out = await peer.ask(
        m.RenewRequest(
            transaction_date=NOW,
            patron_identifier=CAMILLE,
            patron_password="0",
            item_identifier=BARCODES[HORDE],
        )
    )
    assert (
        isinstance(out, m.RenewResponse)
        and not out.ok
        and out.screen_messages == ("Mot de passe incorrect.",)
    )
    assert loan_of(emulator, BARCODES[HORDE]) == (0, (T + timedelta(days=10)).isoformat())


async def test_unknown_commands_get_no_answer_and_junk_gets_one_96(peer: Peer) -> None:
    await peer.send(b"42hello|AY1AZFB0B\r")
    await peer.send(b"97AZFEF5\r")  # answered in order: still the login's answer, so "42" got none
    assert (await peer.frame()).startswith(b"941")
    assert isinstance(await peer.ask(m.SCStatus(), sequence=2), m.ACSStatus)
    await peer.send(b"63\r")  # a known command cut short: a resend cannot repair it
    assert await peer.frame() == b"96AZFEF6\r"  # once
    assert await peer.closed()
