"""The emulator's database: a file written before a column existed is given it on opening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from emulator import db


def test_an_older_database_gets_the_language_of_its_titles(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE titles (id TEXT PRIMARY KEY, title TEXT NOT NULL, authors TEXT NOT NULL DEFAULT '',"
        " publication_year INTEGER, document_type TEXT NOT NULL, isbn TEXT, publisher TEXT,"
        " is_digital INTEGER NOT NULL DEFAULT 0, added_on TEXT NOT NULL)"
    )
    old.execute("INSERT INTO titles VALUES ('T1', 'Le Horla', '', 1887, 'BOOK', NULL, NULL, 0, '2026-01-01')")
    old.commit()
    old.close()

    connection = db.connect(path)
    try:
        row = connection.execute("SELECT title, language FROM titles").fetchone()
        connection.execute(db.INSERT_TITLE, ("T2", "Houris", "", 2024, "BOOK", None, None, 0, "2026-01-02"))
    finally:
        connection.close()

    assert (row["title"], row["language"]) == ("Le Horla", "fre")


def test_a_new_database_has_the_language_column_once(tmp_path: Path) -> None:
    first = db.connect(tmp_path / "ils.db")
    first.close()
    connection = db.connect(tmp_path / "ils.db")  # opening again adds nothing
    try:
        columns = [row["name"] for row in connection.execute("PRAGMA table_info(titles)")]
    finally:
        connection.close()

    assert columns.count("language") == 1
    assert columns[-1] == "language"
