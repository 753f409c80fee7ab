"""The emulated ILS's circulation rules on the demo data: every yes and every no."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest

from emulator import circulation, db, rules
from emulator.seed import (
    ALL_BARCODES,
    ANOMALIE,
    ASTERIX,
    BARCODES,
    BOVARY,
    BUREAU,
    CAMILLE,
    CHANSON,
    CLAIRE,
    CONSENTEMENT,
    DEMO_TODAY,
    ETRANGER,
    FURTIFS,
    HADRIEN,
    HORDE,
    HORLA,
    HUGO,
    INES,
    LEO,
    MISERABLES,
    NADIA,
    NICOLAS,
    NOTREDAME,
    PAUL,
    POTTER,
    PRINCE,
    VERNON,
    seed_demo,
)

T = DEMO_TODAY


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    connection = db.connect(":memory:")
    seed_demo(connection, T)
    yield connection
    connection.close()


def _due(conn: sqlite3.Connection, item: str) -> date:
    return date.fromisoformat(
        conn.execute("SELECT due_date FROM loans WHERE item_id = ?", (item,)).fetchone()[0]
    )


# ---- renew


def test_renew_standard_loan_adds_28_days_to_the_due_date(conn: sqlite3.Connection) -> None:
    outcome = rules.renew(conn, CAMILLE, BARCODES[HORDE], T)
    assert outcome.ok and outcome.message is None
    assert outcome.due_date == T + timedelta(days=10 + 28) == _due(conn, BARCODES[HORDE])
    assert (
        conn.execute("SELECT renewal_count FROM loans WHERE item_id = ?", (BARCODES[HORDE],)).fetchone()[0]
        == 1
    )


def test_renew_on_the_due_date_is_allowed(conn: sqlite3.Connection) -> None:
    outcome = rules.renew(conn, CAMILLE, BARCODES[VERNON], T + timedelta(days=2))
    assert outcome.ok and outcome.due_date == T + timedelta(days=2 + 28)


@pytest.mark.parametrize(
    ("patron", "title", "words"),
    [
        (CAMILLE, FURTIFS, "maximal de prolongations"),
        (CAMILLE, ASTERIX, "une semaine"),
        (CAMILLE, BUREAU, "en retard"),
        (CAMILLE, ANOMALIE, "réservé par un autre lecteur"),
        (CAMILLE, CHANSON, "numériques"),
        (NADIA, "T-VIE", "amendes impayées"),
        (LEO, NICOLAS, "en retard"),
        (CAMILLE, POTTER, "pas en prêt sur cette carte"),
    ],
)
def test_renew_refusals_say_why_and_change_nothing(
    conn: sqlite3.Connection, patron: str, title: str, words: str
) -> None:
    before = conn.execute("SELECT * FROM loans ORDER BY id").fetchall()
    outcome = rules.renew(conn, patron, BARCODES[title], T)
    assert not outcome.ok
    assert outcome.message is not None and words in outcome.message
    assert [tuple(r) for r in conn.execute("SELECT * FROM loans ORDER BY id")] == [tuple(r) for r in before]


def test_renew_unknown_patron_is_refused(conn: sqlite3.Connection) -> None:
    assert rules.renew(conn, "2999999999", BARCODES[HORDE], T).message == "Lecteur inconnu."


def test_expired_card_blocks_renewal(conn: sqlite3.Connection) -> None:
    conn.execute(
        "UPDATE patrons SET card_expires_on = ? WHERE id = ?", ((T - timedelta(days=1)).isoformat(), INES)
    )
    outcome = rules.renew(conn, INES, BARCODES[POTTER], T)
    assert not outcome.ok and outcome.message is not None and "carte expirée" in outcome.message


def test_renew_all_renews_what_it_can(conn: sqlite3.Connection) -> None:
    outcome = rules.renew_all(conn, CAMILLE, T)
    assert outcome is not None
    assert {r.item_id for r in outcome.renewed} == {BARCODES[HORDE], BARCODES[VERNON]}
    assert {r.item_id for r in outcome.unrenewed} == {
        BARCODES[t] for t in (FURTIFS, ASTERIX, BUREAU, ANOMALIE, CHANSON)
    }
    assert all(r.message for r in outcome.unrenewed)
    assert rules.renew_all(conn, "2999999999", T) is None


# ---- holds


def test_place_hold_on_a_title_with_all_copies_out(conn: sqlite3.Connection) -> None:
    outcome = rules.place_hold(conn, CAMILLE, BOVARY, "SAGAN", T)
    assert outcome.ok and outcome.queue_position == 1 and outcome.pickup_library == "SAGAN"
    second = rules.place_hold(conn, INES, BOVARY, None, T)
    assert second.ok and second.queue_position == 2 and second.pickup_library == "DURAS"


def test_seeded_queue_puts_camille_second_for_les_miserables(conn: sqlite3.Connection) -> None:
    hold = conn.execute(
        "SELECT * FROM holds WHERE patron_id = ? AND title_id = ?", (CAMILLE, MISERABLES)
    ).fetchone()
    assert rules.queue_position(conn, MISERABLES, hold["placed_at"], hold["id"]) == 2


@pytest.mark.parametrize(
    ("patron", "title", "pickup", "words"),
    [
        (NADIA, BOVARY, "DURAS", "amendes impayées"),
        (CAMILLE, ETRANGER, "DURAS", "numériques"),
        (CAMILLE, HORLA, "DURAS", "Aucun exemplaire"),
        (CAMILLE, MISERABLES, "DURAS", "déjà réservé"),
        (CAMILLE, HORDE, "DURAS", "déjà ce document en prêt"),
        (CAMILLE, PRINCE, "DURAS", "disponible en rayon"),
        (HUGO, BOVARY, "SAGAN", "Limite de 10"),
        (CAMILLE, NOTREDAME, "FORNEY", "n'accepte pas"),
        (CAMILLE, NOTREDAME, "NUMERIQUE", "n'accepte pas"),
        (CAMILLE, NOTREDAME, "NOWHERE", "inconnue"),
        (CAMILLE, "T-NOSUCH", "DURAS", "Notice inconnue"),
        ("2999999999", BOVARY, "DURAS", "Lecteur inconnu"),
    ],
)
def test_place_hold_refusals(
    conn: sqlite3.Connection, patron: str, title: str, pickup: str, words: str
) -> None:
    count = conn.execute("SELECT COUNT(*) FROM holds").fetchone()[0]
    outcome = rules.place_hold(conn, patron, title, pickup, T)
    assert not outcome.ok and outcome.message is not None and words in outcome.message
    assert conn.execute("SELECT COUNT(*) FROM holds").fetchone()[0] == count


def test_holds_placed_the_same_day_queue_in_order(conn: sqlite3.Connection) -> None:
    morning, evening = datetime(2026, 12, 1, 9), datetime(2026, 12, 1, 18)
    assert rules.place_hold(conn, INES, NOTREDAME, "DURAS", T, now=evening).queue_position == 1
    assert rules.place_hold(conn, CAMILLE, NOTREDAME, "DURAS", T, now=morning).queue_position == 1


def test_cancel_waiting_and_in_transit_holds(conn: sqlite3.Connection) -> None:
    assert rules.cancel_hold(conn, CAMILLE, MISERABLES).ok
    assert rules.cancel_hold(conn, CAMILLE, CONSENTEMENT).ok
    status = conn.execute("SELECT status FROM items WHERE id = ?", (BARCODES[CONSENTEMENT],)).fetchone()[0]
    assert status == "AVAILABLE"
    assert conn.execute("SELECT COUNT(*) FROM holds WHERE patron_id = ?", (CAMILLE,)).fetchone()[0] == 1


def test_cancel_refusals(conn: sqlite3.Connection) -> None:
    available = rules.cancel_hold(conn, CAMILLE, HADRIEN)
    assert not available.ok and available.message is not None and "disponible" in available.message
    missing = rules.cancel_hold(conn, CAMILLE, BOVARY)
    assert not missing.ok and missing.message is not None and "Aucune réservation" in missing.message
    assert conn.execute("SELECT COUNT(*) FROM holds WHERE patron_id = ?", (CAMILLE,)).fetchone()[0] == 3


# ---- check-in / check-out


def test_check_in_sets_the_copy_aside_for_the_first_in_the_queue(conn: sqlite3.Connection) -> None:
    copy = ALL_BARCODES[MISERABLES][0]
    outcome = circulation.check_in(conn, copy, T)
    assert outcome.ok and outcome.held_for == CLAIRE and outcome.patron_id == PAUL
    hold = conn.execute(
        "SELECT * FROM holds WHERE patron_id = ? AND title_id = ?", (CLAIRE, MISERABLES)
    ).fetchone()
    assert (hold["status"], hold["item_id"], hold["pickup_deadline"]) == (
        "AVAILABLE",
        copy,
        (T + timedelta(days=7)).isoformat(),
    )
    assert conn.execute("SELECT status FROM items WHERE id = ?", (copy,)).fetchone()[0] == "ON_HOLD_SHELF"
    notice = conn.execute("SELECT * FROM notices").fetchone()
    assert (notice["patron_id"], notice["kind"], notice["hold_id"]) == (CLAIRE, "HOLD_AVAILABLE", hold["id"])
    # The second copy goes to Camille, now first among those waiting.
    assert circulation.check_in(conn, ALL_BARCODES[MISERABLES][1], T).held_for == CAMILLE


def test_check_in_without_holds_puts_the_copy_back_on_the_shelf(conn: sqlite3.Connection) -> None:
    outcome = circulation.check_in(conn, BARCODES[HORDE], T)
    assert outcome.ok and outcome.held_for is None and outcome.patron_id == CAMILLE
    assert (
        conn.execute("SELECT status FROM items WHERE id = ?", (BARCODES[HORDE],)).fetchone()[0] == "AVAILABLE"
    )
    assert conn.execute("SELECT COUNT(*) FROM notices").fetchone()[0] == 0


def test_check_in_of_a_copy_in_transit_makes_the_hold_available(conn: sqlite3.Connection) -> None:
    outcome = circulation.check_in(conn, BARCODES[CONSENTEMENT], T)
    assert outcome.ok and outcome.held_for == CAMILLE
    status = conn.execute("SELECT status FROM holds WHERE title_id = ?", (CONSENTEMENT,)).fetchone()[0]
    assert status == "AVAILABLE"


def test_check_in_refusals(conn: sqlite3.Connection) -> None:
    assert circulation.check_in(conn, "0000", T).message == "Exemplaire inconnu."
    assert not circulation.check_in(conn, BARCODES[PRINCE], T).ok


def test_check_out_and_its_refusals(conn: sqlite3.Connection) -> None:
    outcome = circulation.check_out(conn, INES, BARCODES[PRINCE], T)
    assert outcome.ok and outcome.due_date == T + timedelta(days=28)
    assert circulation.check_out(conn, LEO, BARCODES[PRINCE], T).message == "Exemplaire déjà en prêt."
    digital = circulation.check_out(conn, INES, BARCODES[ETRANGER], T)
    assert digital.ok and digital.due_date == T + timedelta(days=21)
    blocked = circulation.check_out(conn, NADIA, BARCODES[HADRIEN], T)
    assert blocked.message is not None and "Compte bloqué" in blocked.message
    assert (
        circulation.check_out(conn, INES, BARCODES[HADRIEN], T).message
        == "Exemplaire réservé pour un autre lecteur."
    )
    assert circulation.check_out(conn, INES, "0000", T).message == "Exemplaire inconnu."
    assert circulation.check_out(conn, "2999999999", BARCODES[HADRIEN], T).message == "Lecteur inconnu."


def test_check_out_of_the_copy_set_aside_fulfils_the_hold(conn: sqlite3.Connection) -> None:
    assert circulation.check_out(conn, CAMILLE, BARCODES[HADRIEN], T).ok
    assert conn.execute("SELECT COUNT(*) FROM holds WHERE title_id = ?", (HADRIEN,)).fetchone()[0] == 0
