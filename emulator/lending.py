"""Loans made straight in the emulator's database, for the benchmarks' and suites' data sets.

Shared by `bench/_data.py` and `emulator/write_traffic.py` so that both lend the same way:
available physical copies of titles nobody holds, checked out five days ago, due in 14 to 23 days.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from emulator import db


def free_copies(connection: sqlite3.Connection, count: int) -> list[str]:
    """Available physical copies, one per title, of titles nobody holds."""
    rows = connection.execute(
        "SELECT MIN(id) FROM items WHERE status = 'AVAILABLE' AND library_code <> 'NUMERIQUE'"
        " AND title_id NOT IN (SELECT title_id FROM holds) GROUP BY title_id ORDER BY title_id LIMIT ?",
        (count,),
    ).fetchall()
    if len(rows) < count:
        raise RuntimeError(f"only {len(rows)} free copies for {count} loans")
    return [str(row[0]) for row in rows]


def lend(connection: sqlite3.Connection, patron_id: str, items: list[str], today: date) -> None:
    """Check the copies out to the patron (no renewal yet, standard loans)."""
    out = today - timedelta(days=5)
    for n, item_id in enumerate(items):
        due = today + timedelta(days=14 + n % 10)
        connection.execute(
            db.INSERT_LOAN, (patron_id, item_id, out.isoformat(), due.isoformat(), 0, "STANDARD")
        )
        connection.execute("UPDATE items SET status = 'CHECKED_OUT' WHERE id = ?", (item_id,))
