"""The benchmarks' ILS data, written into the emulator's database before it starts.

Camille's dashboard (25 loans, 10 holds), a patron with 50 loans (the pass-through query) and
bench patrons whose loans can always be renewed (the renewLoans benchmark). Loans are of copies
that nobody holds, due after `today`, never renewed yet. Owns nothing the gateway uses.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from emulator import db
from emulator.lending import free_copies, lend
from emulator.seed import CAMILLE

CAMILLE_PASSWORD = "14071985"
# Bench patrons: cards 2990000001..., all born on 1 January 1990 (their password).
BENCH_CARD = 2990000001
BENCH_BIRTH = date(1990, 1, 1)
BENCH_PASSWORD = BENCH_BIRTH.strftime("%d%m%Y")


@contextmanager
def _transaction(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = db.connect(db_path)
    try:
        connection.execute("BEGIN")
        yield connection
        connection.execute("COMMIT")
    finally:
        connection.close()


def camille_dashboard(db_path: Path, today: date, loans: int = 25, holds: int = 10) -> None:
    """Camille: her demo loans and holds plus generated ones up to `loans` and `holds`."""
    with _transaction(db_path) as connection:
        have = connection.execute("SELECT COUNT(*) FROM loans WHERE patron_id = ?", (CAMILLE,)).fetchone()[0]
        lend(connection, CAMILLE, free_copies(connection, loans - have), today)
        held = connection.execute("SELECT COUNT(*) FROM holds WHERE patron_id = ?", (CAMILLE,)).fetchone()[0]
        titles = connection.execute(
            "SELECT id FROM titles WHERE is_digital = 0 AND id NOT LIKE 'T-%' ORDER BY id DESC LIMIT ?",
            (holds - held,),
        ).fetchall()
        for n, title in enumerate(titles):
            connection.execute(
                "INSERT INTO holds (patron_id, title_id, status, pickup_library, placed_at)"
                " VALUES (?, ?, 'WAITING', ?, ?)",
                (
                    CAMILLE,
                    title["id"],
                    ("DURAS", "SAGAN", "LEDUC")[n % 3],
                    f"{today.isoformat()}T10:{n:02d}:00",
                ),
            )


def bench_card(n: int) -> str:
    return str(BENCH_CARD + n)


def bench_patrons(db_path: Path, today: date, count: int, loans: int) -> list[str]:
    """`count` patrons in good standing with `loans` renewable loans each; their cards."""
    cards = [bench_card(n) for n in range(count)]
    with _transaction(db_path) as connection:
        copies = free_copies(connection, count * loans)
        for n, card in enumerate(cards):
            connection.execute(
                "INSERT INTO patrons (id, first_name, last_name, birth_date, home_library, card_expires_on)"
                " VALUES (?, 'Banc', ?, ?, 'DURAS', ?)",
                (card, f"Essai {n}", BENCH_BIRTH.isoformat(), (today + timedelta(days=365)).isoformat()),
            )
            lend(connection, card, copies[n * loans : (n + 1) * loans], today)
    return cards


def reset_renewals(db_path: Path, cards: list[str], connection: sqlite3.Connection | None = None) -> None:
    """Every loan of these patrons renewable again (renewal count back to 0)."""
    own = connection is None
    connection = connection or db.connect(db_path)
    try:
        marks = ",".join("?" * len(cards))
        connection.execute(f"UPDATE loans SET renewal_count = 0 WHERE patron_id IN ({marks})", cards)
    finally:
        if own:
            connection.close()


def fifty_loans(db_path: Path, today: date) -> None:
    """The first bench patron, with 50 loans (the pass-through query)."""
    bench_patrons(db_path, today, count=1, loans=50)


def nothing(db_path: Path, today: date) -> None:
    """The demo data as it is."""


# The pass-through query of the 50-loan benchmark: only what the ILS's account answer carries.
PASS_THROUGH = "{ me { loans { id dueDate item { id record { id } } } } }"
