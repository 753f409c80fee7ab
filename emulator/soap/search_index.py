"""The full-text index behind searchCatalog: titles and authors, case- and accent-insensitive.

Owns one derived table, `soap_title_search` (SQLite FTS5, external content = `titles`,
tokenizer unicode61 with diacritics removed), built on first use and rebuilt when
the number of titles changed (the emulator only adds titles while seeding or
generating). Owns the translation of a patron's query into an FTS5 query: every
word must match the start of a word of the title or its authors; the words are
reduced to letters and digits and quoted, so no input is FTS5 syntax. Never
writes the ILS's own tables.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata

TABLE = "soap_title_search"
MAX_WORDS = 12
_WORD = re.compile(r"\w+")
# One builder at a time in this process; SQLite's own locking covers other processes.
_BUILD_LOCK = threading.Lock()


def fold(value: str) -> str:
    """Case- and accent-insensitive form of a text: "Étranger" -> "etranger"."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def match_expression(text: str) -> str | None:
    """The FTS5 query for a search text ("" or only punctuation: None, i.e. match everything)."""
    words = _WORD.findall(fold(text))[:MAX_WORDS]
    # \w+ holds no quote, so each word is a plain quoted prefix term.
    return " AND ".join(f'"{word}"*' for word in words) or None


def _indexed(connection: sqlite3.Connection) -> int | None:
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).fetchone()
    if exists is None:
        return None
    return int(connection.execute(f"SELECT COUNT(*) FROM {TABLE}_docsize").fetchone()[0])


def ensure(connection: sqlite3.Connection) -> None:
    """Create or rebuild the index when it does not cover every title."""
    titles = int(connection.execute("SELECT COUNT(*) FROM titles").fetchone()[0])
    if _indexed(connection) == titles:
        return
    with _BUILD_LOCK:
        if _indexed(connection) == titles:
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(
                f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
                        title, authors, content='titles', content_rowid='rowid',
                        tokenize='unicode61 remove_diacritics 2')"""
            )
            connection.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
