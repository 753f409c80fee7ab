"""SQL for the SOAP service over the emulator's SQLite schema (emulator/db.py).

Owns the read queries (and the one contact-info write) that the SOAP operations
need. Values always travel as bound parameters, never in the SQL text. Knows
nothing of XML or HTTP; circulation rules live in emulator/rules.py, not here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date

from emulator.soap import search_index

Rows = list[sqlite3.Row]


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


# ---- patrons and accounts


def patrons_by_email(connection: sqlite3.Connection, email: str) -> Rows:
    return connection.execute(
        "SELECT * FROM patrons WHERE email = ? COLLATE NOCASE ORDER BY id", (email.strip(),)
    ).fetchall()


def patrons_by_ids(connection: sqlite3.Connection, ids: Sequence[str]) -> Rows:
    return connection.execute(f"SELECT * FROM patrons WHERE id IN ({_marks(ids)})", tuple(ids)).fetchall()


def loans_of(connection: sqlite3.Connection, patron_ids: Sequence[str]) -> Rows:
    return connection.execute(
        f"""SELECT l.id, l.patron_id, l.item_id, i.title_id, l.checked_out_on, l.due_date,
                   l.renewal_count, l.loan_type
            FROM loans l JOIN items i ON i.id = l.item_id
            WHERE l.patron_id IN ({_marks(patron_ids)})
            ORDER BY l.patron_id, l.due_date, l.id""",
        tuple(patron_ids),
    ).fetchall()


def holds_of(connection: sqlite3.Connection, patron_ids: Sequence[str]) -> Rows:
    # Queue position: rank among the title's WAITING holds ordered by placed_at, then id.
    return connection.execute(
        f"""SELECT h.id, h.patron_id, h.title_id, h.item_id, h.status, h.pickup_library,
                   h.placed_at, h.pickup_deadline,
                   CASE WHEN h.status = 'WAITING' THEN (
                       SELECT COUNT(*) FROM holds w
                       WHERE w.title_id = h.title_id AND w.status = 'WAITING'
                         AND (w.placed_at < h.placed_at OR (w.placed_at = h.placed_at AND w.id <= h.id))
                   ) END AS queue_position,
                   (SELECT COUNT(*) FROM holds w
                    WHERE w.title_id = h.title_id AND w.status = 'WAITING') AS queue_length
            FROM holds h
            WHERE h.patron_id IN ({_marks(patron_ids)})
            ORDER BY h.patron_id, h.placed_at, h.id""",
        tuple(patron_ids),
    ).fetchall()


def fees_of(connection: sqlite3.Connection, patron_ids: Sequence[str]) -> Rows:
    return connection.execute(
        f"SELECT * FROM fees WHERE patron_id IN ({_marks(patron_ids)}) ORDER BY patron_id, id",
        tuple(patron_ids),
    ).fetchall()


def update_contact(connection: sqlite3.Connection, patron_id: str, changes: dict[str, str | None]) -> bool:
    """Set the given contact columns (email, phone, mobile); False when the patron is unknown."""
    allowed = {"email", "phone", "mobile"}
    columns = [column for column in changes if column in allowed]
    if columns:
        assignments = ", ".join(f"{column} = ?" for column in columns)
        cursor = connection.execute(
            f"UPDATE patrons SET {assignments} WHERE id = ?",
            (*(changes[column] for column in columns), patron_id),
        )
        return cursor.rowcount == 1
    return connection.execute("SELECT 1 FROM patrons WHERE id = ?", (patron_id,)).fetchone() is not None


# ---- catalogue


_ITEM_COLUMNS = """i.id, i.title_id, i.library_code, i.call_number, i.status, l.due_date,
    (SELECT COUNT(*) FROM holds h WHERE h.title_id = i.title_id AND h.status = 'WAITING') AS queue_length"""


def items_by_ids(connection: sqlite3.Connection, ids: Sequence[str]) -> Rows:
    return connection.execute(
        f"""SELECT {_ITEM_COLUMNS} FROM items i LEFT JOIN loans l ON l.item_id = i.id
            WHERE i.id IN ({_marks(ids)})""",
        tuple(ids),
    ).fetchall()


def items_of_titles(connection: sqlite3.Connection, title_ids: Sequence[str]) -> Rows:
    return connection.execute(
        f"""SELECT {_ITEM_COLUMNS} FROM items i LEFT JOIN loans l ON l.item_id = i.id
            WHERE i.title_id IN ({_marks(title_ids)}) ORDER BY i.title_id, i.id""",
        tuple(title_ids),
    ).fetchall()


def item_ids_of_titles(connection: sqlite3.Connection, title_ids: Sequence[str]) -> dict[str, list[str]]:
    rows = connection.execute(
        f"SELECT id, title_id FROM items WHERE title_id IN ({_marks(title_ids)}) ORDER BY title_id, id",
        tuple(title_ids),
    ).fetchall()
    result: dict[str, list[str]] = {}
    for row in rows:
        result.setdefault(row["title_id"], []).append(row["id"])
    return result


def titles_by_ids(connection: sqlite3.Connection, ids: Sequence[str]) -> Rows:
    return connection.execute(f"SELECT * FROM titles WHERE id IN ({_marks(ids)})", tuple(ids)).fetchall()


def search_titles(
    connection: sqlite3.Connection,
    *,
    text: str,
    library_ids: Sequence[str],
    document_types: Sequence[str],
    digital: bool | None,
    offset: int,
    limit: int,
) -> tuple[int, Rows]:
    """Titles matching every word of `text` (see search_index), filtered; (total, page)."""
    clauses: list[str] = []
    params: list[object] = []
    if library_ids:
        # Not a correlated EXISTS: SQLite would pick the library index and scan a whole
        # library's items per title. The set of titles held there is built once.
        clauses.append(f"t.id IN (SELECT title_id FROM items WHERE library_code IN ({_marks(library_ids)}))")
        params.extend(library_ids)
    if document_types:
        clauses.append(f"t.document_type IN ({_marks(document_types)})")
        params.extend(document_types)
    if digital is not None:
        clauses.append("t.is_digital = ?")
        params.append(1 if digital else 0)
    expression = search_index.match_expression(text)
    if expression is not None:
        search_index.ensure(connection)
        table = search_index.TABLE
        clauses.append(f"t.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)")
        params.append(expression)
    where = " AND ".join(clauses) or "1"
    # One scan for the page and the total (the window runs before LIMIT); a page past the end
    # has no row to carry the total, so only then count separately.
    page = connection.execute(
        f"""SELECT t.*, COUNT(*) OVER () AS total FROM titles t WHERE {where}
            ORDER BY t.title, t.id LIMIT ? OFFSET ?""",
        (*params, limit, offset),
    ).fetchall()
    if page:
        return int(page[0]["total"]), page
    total = connection.execute(f"SELECT COUNT(*) FROM titles t WHERE {where}", params).fetchone()[0]
    return int(total), page


def new_arrivals(connection: sqlite3.Connection, library_id: str, since: date, limit: int) -> Rows:
    """Titles with a copy added to the library on or after `since`, newest first."""
    return connection.execute(
        """SELECT t.*, MAX(i.added_on) AS arrived_on FROM items i JOIN titles t ON t.id = i.title_id
           WHERE i.library_code = ? AND i.added_on >= ?
           GROUP BY t.id ORDER BY arrived_on DESC, t.id LIMIT ?""",
        (library_id, since.isoformat(), limit),
    ).fetchall()


# ---- libraries


def libraries(connection: sqlite3.Connection) -> Rows:
    return connection.execute("SELECT * FROM libraries ORDER BY code").fetchall()


def library_exists(connection: sqlite3.Connection, code: str) -> bool:
    return connection.execute("SELECT 1 FROM libraries WHERE code = ?", (code,)).fetchone() is not None
