"""The seeded demo data is exactly DESIGN.md's "Demo data" (a contract), relative to the seeding day."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from emulator import db
from emulator.seed import (
    ALL_BARCODES,
    BOVARY,
    CAMILLE,
    CONSENTEMENT,
    DEMO_CARDS,
    ETRANGER,
    HADRIEN,
    HORLA,
    HUGO,
    INES,
    LEO,
    LUCIE,
    MISERABLES,
    NADIA,
    NOTREDAME,
    PRINCE,
    seed_demo,
)

T = date(2027, 3, 15)  # any day: everything is relative to it


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    connection = db.connect(":memory:")
    seed_demo(connection, T)
    yield connection
    connection.close()


def _days(value: str | None) -> int | None:
    return None if value is None else (date.fromisoformat(value) - T).days


def test_seeding_day_is_recorded(conn: sqlite3.Connection) -> None:
    assert db.seeded_on(conn) == T.isoformat()


def test_libraries_and_who_accepts_pickups(conn: sqlite3.Connection) -> None:
    rows = {r["code"]: (r["name"], r["accepts_pickup"]) for r in conn.execute("SELECT * FROM libraries")}
    assert rows == {
        "DURAS": ("Médiathèque Marguerite Duras", 1),
        "SAGAN": ("Médiathèque Françoise Sagan", 1),
        "LEDUC": ("Médiathèque Violette Leduc", 1),
        "HAVEL": ("Bibliothèque Václav Havel", 1),
        "MELVILLE": ("Médiathèque Jean-Pierre Melville", 1),
        "BERR": ("Médiathèque Hélène Berr", 1),
        "CANOPEE": ("Médiathèque de la Canopée la fontaine", 1),
        "FORNEY": ("Bibliothèque Forney", 0),
        "NUMERIQUE": ("Bibliothèque numérique", 0),
    }
    postcodes = {r["code"]: r["address"] for r in conn.execute("SELECT * FROM libraries")}
    assert (
        "75020" in postcodes["DURAS"] and "75004" in postcodes["FORNEY"] and "75001" in postcodes["CANOPEE"]
    )


def test_the_six_patrons(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT id, first_name, last_name, birth_date, email, blocks, card_expires_on FROM patrons"
        " WHERE id IN (?, ?, ?, ?, ?, ?) ORDER BY id",
        DEMO_CARDS,
    ).fetchall()
    assert [tuple(r)[:6] for r in rows] == [
        (CAMILLE, "Camille", "Martin", "1985-07-14", "camille.martin@example.org", ""),
        (LEO, "Léo", "Martin", "2014-02-03", None, ""),
        (INES, "Inès", "Martin", "2011-09-21", "ines.martin@example.org", ""),
        (HUGO, "Hugo", "Bernard", "1990-11-30", "famille.bernard@example.org", ""),
        (LUCIE, "Lucie", "Bernard", "1992-05-05", "famille.bernard@example.org", ""),
        (NADIA, "Nadia", "Haddad", "1978-03-12", "nadia.haddad@example.org", "FINES_OWED"),
    ]
    assert all(date.fromisoformat(r["card_expires_on"]) > T for r in rows)
    assert conn.execute("SELECT home_library FROM patrons WHERE id = ?", (CAMILLE,)).fetchone()[0] == "DURAS"
    assert (
        conn.execute("SELECT COUNT(*) FROM patrons WHERE email = 'famille.bernard@example.org'").fetchone()[0]
        == 2
    )
    assert conn.execute("SELECT COUNT(*) FROM fees WHERE patron_id = ?", (NADIA,)).fetchone()[0] == 1


def _loans(conn: sqlite3.Connection, patron: str) -> list[tuple[object, ...]]:
    rows = conn.execute(
        "SELECT titles.title, titles.document_type, loans.loan_type, loans.renewal_count, loans.due_date,"
        " items.library_code FROM loans JOIN items ON items.id = loans.item_id"
        " JOIN titles ON titles.id = items.title_id"
        " WHERE loans.patron_id = ? ORDER BY loans.id",
        (patron,),
    ).fetchall()
    return [
        (r[0], r[1], r[2], r[3], _days(r[4])) + (("NUMERIQUE",) if r[5] == "NUMERIQUE" else ()) for r in rows
    ]


def test_camille_loans(conn: sqlite3.Connection) -> None:
    assert _loans(conn, CAMILLE) == [
        ("La Horde du Contrevent", "BOOK", "STANDARD", 0, 10),
        ("Les Furtifs", "BOOK", "STANDARD", 2, 5),
        ("Astérix le Gaulois", "COMIC", "ONE_WEEK", 0, 3),
        ("Le Bureau des légendes, saison 1", "DVD", "STANDARD", 0, -4),
        ("L'Anomalie", "BOOK", "STANDARD", 1, 12),
        ("Chanson douce", "EBOOK", "DIGITAL", 0, 14, "NUMERIQUE"),
        ("Vernon Subutex 1", "BOOK", "STANDARD", 1, 2),
    ]
    authors = dict(conn.execute("SELECT title, authors FROM titles").fetchall())
    assert authors["La Horde du Contrevent"] == "Alain Damasio"
    assert authors["Astérix le Gaulois"] == "René Goscinny ; Albert Uderzo"
    assert authors["L'Anomalie"] == "Hervé Le Tellier" and authors["Chanson douce"] == "Leïla Slimani"
    assert authors["Vernon Subutex 1"] == "Virginie Despentes"


def test_the_other_demo_loans(conn: sqlite3.Connection) -> None:
    assert _loans(conn, LEO) == [
        ("Mortelle Adèle, tome 1", "COMIC", "STANDARD", 0, 8),
        ("Le Petit Nicolas", "BOOK", "STANDARD", 0, -2),
    ]
    assert _loans(conn, INES) == [("Harry Potter à l'école des sorciers", "BOOK", "STANDARD", 0, 15)]
    assert len(_loans(conn, LUCIE)) == 1 and _loans(conn, HUGO) == []
    nadia = _loans(conn, NADIA)
    assert len(nadia) == 1 and nadia[0][2:] == ("STANDARD", 0, 7)


def _holds(conn: sqlite3.Connection, patron: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM holds WHERE patron_id = ? ORDER BY placed_at", (patron,)).fetchall()


def test_camille_holds(conn: sqlite3.Connection) -> None:
    holds = {h["title_id"]: h for h in _holds(conn, CAMILLE)}
    assert set(holds) == {MISERABLES, HADRIEN, CONSENTEMENT}
    waiting, ready, transit = holds[MISERABLES], holds[HADRIEN], holds[CONSENTEMENT]
    assert (waiting["status"], waiting["pickup_library"], waiting["item_id"]) == ("WAITING", "DURAS", None)
    queue = conn.execute(
        "SELECT patron_id FROM holds WHERE title_id = ? AND status = 'WAITING' ORDER BY placed_at",
        (MISERABLES,),
    ).fetchall()
    assert [r[0] for r in queue][1] == CAMILLE and len(queue) == 2
    assert (ready["status"], ready["pickup_library"], _days(ready["pickup_deadline"])) == (
        "AVAILABLE",
        "SAGAN",
        6,
    )
    item = conn.execute("SELECT status, library_code FROM items WHERE id = ?", (ready["item_id"],)).fetchone()
    assert tuple(item) == ("ON_HOLD_SHELF", "SAGAN")
    assert (transit["status"], transit["pickup_library"]) == ("IN_TRANSIT", "LEDUC")
    assert (
        conn.execute("SELECT status FROM items WHERE id = ?", (transit["item_id"],)).fetchone()[0]
        == "IN_TRANSIT"
    )


def test_hugo_waits_for_ten_titles_whose_copies_are_all_out(conn: sqlite3.Connection) -> None:
    holds = _holds(conn, HUGO)
    assert len(holds) == 10 and {h["status"] for h in holds} == {"WAITING"}
    assert "T-ANOMALIE" in {h["title_id"] for h in holds}
    for hold in holds:
        statuses = {
            r[0] for r in conn.execute("SELECT status FROM items WHERE title_id = ?", (hold["title_id"],))
        }
        assert statuses == {"CHECKED_OUT"}


def test_records_with_a_fixed_role(conn: sqlite3.Connection) -> None:
    def copies(title: str) -> list[tuple[str, str, str | None]]:
        return [
            tuple(r)
            for r in conn.execute(
                "SELECT items.status, items.library_code, loans.patron_id FROM items"
                " LEFT JOIN loans ON loans.item_id = items.id WHERE items.title_id = ? ORDER BY items.id",
                (title,),
            )
        ]

    assert {c[0] for c in copies(MISERABLES)} == {"CHECKED_OUT"} and len(copies(MISERABLES)) >= 1
    assert ("AVAILABLE", "DURAS", None) in copies(PRINCE)
    digital = conn.execute(
        "SELECT document_type, is_digital FROM titles WHERE id = ?", (ETRANGER,)
    ).fetchone()
    assert tuple(digital) == ("EBOOK", 1) and {c[1] for c in copies(ETRANGER)} == {"NUMERIQUE"}
    bovary = copies(BOVARY)
    assert len(bovary) == 3 and all(c[0] == "CHECKED_OUT" and c[2] not in DEMO_CARDS for c in bovary)
    notre_dame = copies(NOTREDAME)
    assert len(notre_dame) == 1 and notre_dame[0][0] == "CHECKED_OUT" and notre_dame[0][2] not in DEMO_CARDS
    assert copies(HORLA) == []
    assert len(ALL_BARCODES[BOVARY]) == 3


def test_loans_and_item_statuses_agree(conn: sqlite3.Connection) -> None:
    mismatched = conn.execute(
        "SELECT COUNT(*) FROM items WHERE (status = 'CHECKED_OUT') <> (id IN (SELECT item_id FROM loans))"
    ).fetchone()[0]
    assert mismatched == 0
    assert conn.execute("SELECT MIN(checked_out_on) <= MIN(due_date) FROM loans").fetchone()[0] == 1
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM loans WHERE due_date = ?", ((T + timedelta(days=10)).isoformat(),)
        ).fetchone()[0]
        >= 1
    )
