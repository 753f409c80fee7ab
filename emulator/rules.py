"""The emulated ILS's own circulation rules, and the writes they allow.

Owns renew, renew all, place and cancel hold (check-in and check-out are in
`circulation.py`), and the helpers both share, as functions over
a `sqlite3.Connection` and `today`. Each write runs in one transaction. A
refusal is data: `ok=False` with a French screen message (SIP2 AF) that says
why. Never speaks a protocol (see `sip2_answers.py`, `soap/`) and never reads
the clock: `today` is always given.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

RENEWAL_LIMIT = 2
HOLD_LIMIT = 10
LOAN_DAYS = {"STANDARD": 28, "ONE_WEEK": 7, "DIGITAL": 21}


_BLOCK_TEXT = {
    "FINES_OWED": "amendes impayées",
    "CARD_EXPIRED": "carte expirée",
    "ACCOUNT_SUSPENDED": "compte suspendu",
    "TOO_MANY_OVERDUES": "trop de documents en retard",
}


@dataclass(frozen=True, slots=True)
class Renewal:
    ok: bool
    item_id: str
    title: str
    due_date: date | None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class RenewAll:
    renewed: tuple[Renewal, ...]
    unrenewed: tuple[Renewal, ...]


@dataclass(frozen=True, slots=True)
class HoldChange:
    ok: bool
    title_id: str
    title: str
    pickup_library: str | None = None
    queue_position: int | None = None
    available: bool = False
    message: str | None = None


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """One immediate transaction (the connection is in autocommit mode)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def patron_blocks(patron: sqlite3.Row, today: date) -> list[str]:
    """The patron's blocks, with CARD_EXPIRED added once the card's date has passed."""
    blocks = [b for b in str(patron["blocks"]).split(",") if b]
    expires = patron["card_expires_on"]
    if expires and date.fromisoformat(expires) < today and "CARD_EXPIRED" not in blocks:
        blocks.append("CARD_EXPIRED")
    return blocks


def blocked_message(blocks: list[str]) -> str:
    reasons = ", ".join(_BLOCK_TEXT.get(b, b) for b in blocks)
    return f"Compte bloqué ({reasons}) : opération refusée."


def queue_position(connection: sqlite3.Connection, title_id: str, placed_at: str, hold_id: int) -> int:
    """1-based rank of a waiting hold among the title's waiting holds (by placed_at, then id)."""
    row = connection.execute(
        "SELECT COUNT(*) FROM holds WHERE title_id = ? AND status = 'WAITING'"
        " AND (placed_at < ? OR (placed_at = ? AND id <= ?))",
        (title_id, placed_at, placed_at, hold_id),
    ).fetchone()
    return int(row[0])


def _patron(connection: sqlite3.Connection, patron_id: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = connection.execute(
        "SELECT * FROM patrons WHERE id = ?", (patron_id,)
    ).fetchone()
    return row


def _renewal_refusal(
    connection: sqlite3.Connection, loan: sqlite3.Row, patron_id: str, today: date
) -> str | None:
    if loan["loan_type"] == "DIGITAL":
        return "Les prêts numériques ne se prolongent pas."
    if loan["loan_type"] == "ONE_WEEK":
        return "Les prêts d'une semaine ne se prolongent pas."
    if date.fromisoformat(loan["due_date"]) < today:
        return "Document en retard : prolongation impossible."
    if loan["renewal_count"] >= RENEWAL_LIMIT:
        return f"Nombre maximal de prolongations atteint ({RENEWAL_LIMIT})."
    held = connection.execute(
        "SELECT 1 FROM holds WHERE title_id = ? AND status = 'WAITING' AND patron_id <> ? LIMIT 1",
        (loan["title_id"], patron_id),
    ).fetchone()
    if held is not None:
        return "Document réservé par un autre lecteur : prolongation impossible."
    return None


_LOAN_SQL = (
    "SELECT loans.*, items.title_id, titles.title FROM loans JOIN items ON items.id = loans.item_id"
    " JOIN titles ON titles.id = items.title_id"
)


def _renew_loan(
    connection: sqlite3.Connection, loan: sqlite3.Row, patron_id: str, today: date, blocks: list[str]
) -> Renewal:
    refusal = blocked_message(blocks) if blocks else _renewal_refusal(connection, loan, patron_id, today)
    due = date.fromisoformat(loan["due_date"])
    if refusal is not None:
        return Renewal(False, loan["item_id"], loan["title"], due, refusal)
    new_due = max(today, due) + timedelta(days=LOAN_DAYS[loan["loan_type"]])
    connection.execute(
        "UPDATE loans SET due_date = ?, renewal_count = renewal_count + 1 WHERE id = ?",
        (new_due.isoformat(), loan["id"]),
    )
    return Renewal(True, loan["item_id"], loan["title"], new_due)


def renew(connection: sqlite3.Connection, patron_id: str, item_id: str, today: date) -> Renewal:
    """Renew one loan of the patron, or say why not."""
    with transaction(connection):
        loan = connection.execute(f"{_LOAN_SQL} WHERE loans.item_id = ?", (item_id,)).fetchone()
        patron = _patron(connection, patron_id)
        if patron is None:
            return Renewal(False, item_id, "", None, "Lecteur inconnu.")
        if loan is None or loan["patron_id"] != patron_id:
            return Renewal(False, item_id, "", None, "Ce document n'est pas en prêt sur cette carte.")
        return _renew_loan(connection, loan, patron_id, today, patron_blocks(patron, today))


def renew_all(connection: sqlite3.Connection, patron_id: str, today: date) -> RenewAll | None:
    """Renew every loan that can be; the rest come back with their reasons. None: unknown patron."""
    with transaction(connection):
        patron = _patron(connection, patron_id)
        if patron is None:
            return None
        blocks = patron_blocks(patron, today)
        loans = connection.execute(f"{_LOAN_SQL} WHERE loans.patron_id = ? ORDER BY loans.id", (patron_id,))
        outcomes = [_renew_loan(connection, loan, patron_id, today, blocks) for loan in loans.fetchall()]
    return RenewAll(tuple(o for o in outcomes if o.ok), tuple(o for o in outcomes if not o.ok))


def _hold_refusal(
    connection: sqlite3.Connection, patron: sqlite3.Row, title: sqlite3.Row, pickup: str, today: date
) -> str | None:
    blocks = patron_blocks(patron, today)
    if blocks:
        return blocked_message(blocks)
    if title["is_digital"]:
        return "Les documents numériques ne se réservent pas."
    statuses = [
        r[0] for r in connection.execute("SELECT status FROM items WHERE title_id = ?", (title["id"],))
    ]
    if not statuses:
        return "Aucun exemplaire de ce document : réservation impossible."
    args = (patron["id"], title["id"])
    if connection.execute("SELECT 1 FROM holds WHERE patron_id = ? AND title_id = ?", args).fetchone():
        return "Vous avez déjà réservé ce document."
    if connection.execute(
        "SELECT 1 FROM loans JOIN items ON items.id = loans.item_id"
        " WHERE loans.patron_id = ? AND items.title_id = ?",
        args,
    ).fetchone():
        return "Vous avez déjà ce document en prêt."
    if "AVAILABLE" in statuses:
        return "Un exemplaire est disponible en rayon : seuls les documents empruntés se réservent."
    active = connection.execute("SELECT COUNT(*) FROM holds WHERE patron_id = ?", (patron["id"],)).fetchone()[
        0
    ]
    if active >= HOLD_LIMIT:
        return f"Limite de {HOLD_LIMIT} réservations atteinte."
    library = connection.execute("SELECT accepts_pickup FROM libraries WHERE code = ?", (pickup,)).fetchone()
    if library is None:
        return "Bibliothèque de retrait inconnue."
    if not library[0]:
        return "Cette bibliothèque n'accepte pas les retraits de réservations."
    return None


def place_hold(
    connection: sqlite3.Connection,
    patron_id: str,
    title_id: str,
    pickup: str | None,
    today: date,
    now: datetime | None = None,
) -> HoldChange:
    """Queue a hold on a title (pickup defaults to the home library), or say why not."""
    with transaction(connection):
        patron = _patron(connection, patron_id)
        title = connection.execute("SELECT * FROM titles WHERE id = ?", (title_id,)).fetchone()
        if patron is None or title is None:
            message = "Lecteur inconnu." if patron is None else "Notice inconnue."
            return HoldChange(
                False, title_id, "" if title is None else title["title"], pickup, message=message
            )
        library = pickup or patron["home_library"] or ""
        refusal = _hold_refusal(connection, patron, title, library, today)
        if refusal is not None:
            return HoldChange(False, title_id, title["title"], library, message=refusal)
        # The queue is ordered by placed_at: today's date with the wall-clock time of day.
        placed_at = datetime.combine(today, (now or datetime.now()).time()).isoformat()
        cursor = connection.execute(
            "INSERT INTO holds (patron_id, title_id, item_id, status, pickup_library, placed_at,"
            " pickup_deadline) VALUES (?, ?, NULL, 'WAITING', ?, ?, NULL)",
            (patron_id, title_id, library, placed_at),
        )
        position = queue_position(connection, title_id, placed_at, int(cursor.lastrowid or 0))
        return HoldChange(True, title_id, title["title"], library, position)


def cancel_hold(connection: sqlite3.Connection, patron_id: str, title_id: str) -> HoldChange:
    """Cancel a hold that is not yet available for pickup; a copy in transit goes back on the shelf."""
    with transaction(connection):
        hold = connection.execute(
            "SELECT holds.*, titles.title FROM holds JOIN titles ON titles.id = holds.title_id"
            " WHERE holds.patron_id = ? AND holds.title_id = ?",
            (patron_id, title_id),
        ).fetchone()
        if hold is None:
            return HoldChange(
                False, title_id, "", message="Aucune réservation de ce document sur cette carte."
            )
        if hold["status"] == "AVAILABLE":
            return HoldChange(
                False,
                title_id,
                hold["title"],
                hold["pickup_library"],
                message="Document disponible au retrait : la réservation ne s'annule plus.",
            )
        connection.execute("DELETE FROM notices WHERE hold_id = ?", (hold["id"],))
        connection.execute("DELETE FROM holds WHERE id = ?", (hold["id"],))
        if hold["item_id"] is not None:
            connection.execute("UPDATE items SET status = 'AVAILABLE' WHERE id = ?", (hold["item_id"],))
        return HoldChange(True, title_id, hold["title"], hold["pickup_library"])
