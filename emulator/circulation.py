"""The emulated ILS's desk operations: check-in (setting a reserved copy aside) and check-out.

Owns returning a copy (a copy with waiting holds goes to the hold shelf for the
first in the queue: hold AVAILABLE with a pickup deadline, and a HOLD_AVAILABLE
notice recorded for the mailer) and lending one. Same conventions as
`rules.py`: one transaction per write, refusals as French screen messages,
`today` always given. Never speaks a protocol.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from emulator.db import INSERT_LOAN
from emulator.rules import LOAN_DAYS, blocked_message, patron_blocks, transaction

PICKUP_DAYS = 7


@dataclass(frozen=True, slots=True)
class Circulation:
    ok: bool
    item_id: str
    title: str | None = None
    patron_id: str | None = None
    due_date: date | None = None
    library: str | None = None
    #: Check-in only: the copy goes to the hold shelf for this patron.
    held_for: str | None = None
    message: str | None = None


def _set_aside(connection: sqlite3.Connection, hold_id: int, item_id: str, today: date) -> None:
    deadline = today + timedelta(days=PICKUP_DAYS)
    connection.execute(
        "UPDATE holds SET status = 'AVAILABLE', item_id = ?, pickup_deadline = ? WHERE id = ?",
        (item_id, deadline.isoformat(), hold_id),
    )
    connection.execute("UPDATE items SET status = 'ON_HOLD_SHELF' WHERE id = ?", (item_id,))
    patron = connection.execute("SELECT patron_id FROM holds WHERE id = ?", (hold_id,)).fetchone()[0]
    connection.execute(
        "INSERT INTO notices (patron_id, kind, hold_id, created_at) VALUES (?, 'HOLD_AVAILABLE', ?, ?)",
        (patron, hold_id, datetime.combine(today, datetime.now().time()).isoformat(timespec="seconds")),
    )


def check_in(connection: sqlite3.Connection, item_id: str, today: date) -> Circulation:
    """Return a copy; with waiting holds it is set aside for the first in the queue (with a notice)."""
    with transaction(connection):
        item = connection.execute(
            "SELECT items.*, titles.title FROM items JOIN titles ON titles.id = items.title_id"
            " WHERE items.id = ?",
            (item_id,),
        ).fetchone()
        if item is None:
            return Circulation(False, item_id, message="Exemplaire inconnu.")
        transit = connection.execute(
            "SELECT id, patron_id FROM holds WHERE item_id = ? AND status = 'IN_TRANSIT'", (item_id,)
        ).fetchone()
        if transit is not None:  # the copy reached its pickup library
            _set_aside(connection, transit["id"], item_id, today)
            return Circulation(
                True,
                item_id,
                item["title"],
                library=item["library_code"],
                held_for=transit["patron_id"],
                message="Exemplaire à mettre de côté.",
            )
        loan = connection.execute("SELECT * FROM loans WHERE item_id = ?", (item_id,)).fetchone()
        if loan is None:
            return Circulation(
                False,
                item_id,
                item["title"],
                library=item["library_code"],
                message="Cet exemplaire n'était pas en prêt.",
            )
        connection.execute("DELETE FROM loans WHERE id = ?", (loan["id"],))
        waiting = connection.execute(
            "SELECT id, patron_id FROM holds WHERE title_id = ? AND status = 'WAITING'"
            " ORDER BY placed_at, id LIMIT 1",
            (item["title_id"],),
        ).fetchone()
        if waiting is None:
            connection.execute("UPDATE items SET status = 'AVAILABLE' WHERE id = ?", (item_id,))
            return Circulation(True, item_id, item["title"], loan["patron_id"], library=item["library_code"])
        _set_aside(connection, waiting["id"], item_id, today)
        return Circulation(
            True,
            item_id,
            item["title"],
            loan["patron_id"],
            library=item["library_code"],
            held_for=waiting["patron_id"],
            message="Exemplaire réservé : à mettre de côté.",
        )


def check_out(connection: sqlite3.Connection, patron_id: str, item_id: str, today: date) -> Circulation:
    """Lend a copy (fulfilling the patron's hold on it, if any), or say why not."""
    with transaction(connection):
        item = connection.execute(
            "SELECT items.*, titles.title, titles.is_digital FROM items"
            " JOIN titles ON titles.id = items.title_id WHERE items.id = ?",
            (item_id,),
        ).fetchone()
        patron = connection.execute("SELECT * FROM patrons WHERE id = ?", (patron_id,)).fetchone()
        if item is None or patron is None:
            message = "Exemplaire inconnu." if item is None else "Lecteur inconnu."
            return Circulation(
                False, item_id, None if item is None else item["title"], patron_id, message=message
            )
        refusal = _checkout_refusal(connection, patron, item, today)
        if refusal is not None:
            return Circulation(False, item_id, item["title"], patron_id, message=refusal)
        connection.execute(
            "DELETE FROM holds WHERE patron_id = ? AND title_id = ?", (patron_id, item["title_id"])
        )
        loan_type = "DIGITAL" if item["is_digital"] else "STANDARD"
        due = today + timedelta(days=LOAN_DAYS[loan_type])
        connection.execute(
            INSERT_LOAN,
            (patron_id, item_id, today.isoformat(), due.isoformat(), 0, loan_type),
        )
        connection.execute("UPDATE items SET status = 'CHECKED_OUT' WHERE id = ?", (item_id,))
        return Circulation(True, item_id, item["title"], patron_id, due, item["library_code"])


def _checkout_refusal(
    connection: sqlite3.Connection, patron: sqlite3.Row, item: sqlite3.Row, today: date
) -> str | None:
    blocks = patron_blocks(patron, today)
    if blocks:
        return blocked_message(blocks)
    if connection.execute("SELECT 1 FROM loans WHERE item_id = ?", (item["id"],)).fetchone():
        return "Exemplaire déjà en prêt."
    if item["status"] in ("ON_HOLD_SHELF", "IN_TRANSIT"):
        held = connection.execute("SELECT patron_id FROM holds WHERE item_id = ?", (item["id"],)).fetchone()
        if held is not None and held[0] != patron["id"]:
            return "Exemplaire réservé pour un autre lecteur."
    return None
