"""The emulator's SQLite database: the schema and how to open it.

The ILS's state of record. Dates are ISO strings; `holds.placed_at` is an ISO
datetime that orders each title's queue. Circulation rules live in `rules.py`,
never here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS libraries (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT,
    accepts_pickup INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS patrons (
    id TEXT PRIMARY KEY,                -- card number
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,           -- ISO date; the SIP2 password is it as ddmmyyyy
    email TEXT,
    phone TEXT,
    mobile TEXT,
    home_library TEXT REFERENCES libraries(code),
    card_expires_on TEXT,
    blocks TEXT NOT NULL DEFAULT ''     -- comma-separated PatronBlock names
);
CREATE INDEX IF NOT EXISTS patrons_email ON patrons(email);
CREATE TABLE IF NOT EXISTS titles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '',   -- authors joined by ' ; '
    publication_year INTEGER,
    document_type TEXT NOT NULL,        -- DocumentType name
    isbn TEXT,
    publisher TEXT,
    is_digital INTEGER NOT NULL DEFAULT 0,
    added_on TEXT NOT NULL,             -- ISO date, for new arrivals
    language TEXT NOT NULL DEFAULT 'fre'  -- ISO 639-2/B; the network's catalogue is French
);
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY,                -- barcode
    title_id TEXT NOT NULL REFERENCES titles(id),
    library_code TEXT NOT NULL REFERENCES libraries(code),
    call_number TEXT,
    status TEXT NOT NULL,               -- ItemStatus name
    added_on TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_title ON items(title_id);
CREATE INDEX IF NOT EXISTS items_library_added ON items(library_code, added_on);
CREATE TABLE IF NOT EXISTS loans (
    id INTEGER PRIMARY KEY,
    patron_id TEXT NOT NULL REFERENCES patrons(id),
    item_id TEXT NOT NULL UNIQUE REFERENCES items(id),
    checked_out_on TEXT NOT NULL,
    due_date TEXT NOT NULL,
    renewal_count INTEGER NOT NULL DEFAULT 0,
    loan_type TEXT NOT NULL             -- LoanType name
);
CREATE INDEX IF NOT EXISTS loans_patron ON loans(patron_id);
CREATE TABLE IF NOT EXISTS holds (
    id INTEGER PRIMARY KEY,
    patron_id TEXT NOT NULL REFERENCES patrons(id),
    title_id TEXT NOT NULL REFERENCES titles(id),
    item_id TEXT REFERENCES items(id),  -- the copy set aside, once there is one
    status TEXT NOT NULL,               -- HoldStatus name
    pickup_library TEXT NOT NULL REFERENCES libraries(code),
    placed_at TEXT NOT NULL,            -- ISO datetime; orders the queue
    pickup_deadline TEXT
);
CREATE INDEX IF NOT EXISTS holds_patron ON holds(patron_id);
CREATE INDEX IF NOT EXISTS holds_title ON holds(title_id, status, placed_at);
-- SIP2 item information (17) reads the hold a copy is set aside for, per message.
CREATE INDEX IF NOT EXISTS holds_item ON holds(item_id);
CREATE TABLE IF NOT EXISTS fees (
    id INTEGER PRIMARY KEY,
    patron_id TEXT NOT NULL REFERENCES patrons(id),
    amount_cents INTEGER NOT NULL,
    description TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notices (
    id INTEGER PRIMARY KEY,
    patron_id TEXT NOT NULL REFERENCES patrons(id),
    kind TEXT NOT NULL,                 -- e.g. HOLD_AVAILABLE
    hold_id INTEGER REFERENCES holds(id),
    created_at TEXT NOT NULL
);
"""

# Seeding and generation write titles with these columns (the language takes its default).
INSERT_TITLE = (
    "INSERT INTO titles (id, title, authors, publication_year, document_type, isbn, publisher, is_digital,"
    " added_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

# Every writer of loans (seeding, generation, check-out) names the same columns in the same order.
INSERT_LOAN = (
    "INSERT INTO loans (patron_id, item_id, checked_out_on, due_date, renewal_count, loan_type)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (and create if needed) the database; rows come back as `sqlite3.Row`."""
    connection = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        connection.execute("PRAGMA journal_mode = WAL")
    connection.executescript(SCHEMA)
    _add_missing_columns(connection)
    return connection


def _add_missing_columns(connection: sqlite3.Connection) -> None:
    # A database written before a column existed gets it (CREATE TABLE IF NOT EXISTS keeps old tables).
    titles = {row["name"] for row in connection.execute("PRAGMA table_info(titles)")}
    if "language" not in titles:
        connection.execute("ALTER TABLE titles ADD COLUMN language TEXT NOT NULL DEFAULT 'fre'")


def seeded_on(connection: sqlite3.Connection) -> str | None:
    """The ISO date the demo data was seeded (T), or None for an empty database."""
    row = connection.execute("SELECT value FROM meta WHERE key = 'seeded_on'").fetchone()
    return None if row is None else str(row["value"])


def library_entries(connection: sqlite3.Connection) -> list[dict[str, object]]:
    """The libraries as a SIP2-only gateway's GATEWAY_ILS_LIBRARIES_FILE lists them."""
    rows = connection.execute("SELECT code, name, address, accepts_pickup FROM libraries ORDER BY code")
    return [
        {"code": code, "name": name, "address": address, "acceptsPickup": bool(pickup)}
        for code, name, address, pickup in rows.fetchall()
    ]
