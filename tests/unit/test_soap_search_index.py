"""The searchCatalog index in memory: accent- and case-insensitive word prefixes, no FTS5 syntax."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from emulator import db
from emulator.soap import search_index

INSERT = (
    "INSERT INTO titles (id, title, authors, document_type, added_on) VALUES (?, ?, ?, 'BOOK', '2026-01-01')"
)


@pytest.fixture
def connection() -> Iterator[sqlite3.Connection]:
    connection = db.connect(":memory:")
    connection.executemany(
        INSERT,
        [
            ("T-1", "Les Misérables", "Victor Hugo"),
            ("T-2", "L'Étranger", "Albert Camus"),
            ("T-3", "Notre-Dame de Paris", "Victor Hugo"),
        ],
    )
    yield connection
    connection.close()


def _search(connection: sqlite3.Connection, text: str) -> list[str]:
    expression = search_index.match_expression(text)
    assert expression is not None
    search_index.ensure(connection)
    rows = connection.execute(
        f"SELECT t.id FROM titles t WHERE t.rowid IN "
        f"(SELECT rowid FROM {search_index.TABLE} WHERE {search_index.TABLE} MATCH ?) ORDER BY t.id",
        (expression,),
    ).fetchall()
    return [row[0] for row in rows]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("misérables", ["T-1"]),
        ("MISERABLES hugo", ["T-1"]),
        ("l'étranger", ["T-2"]),
        ("etrang", ["T-2"]),
        ("victor", ["T-1", "T-3"]),
        ("notre dame", ["T-3"]),
        ("hugo camus", []),
    ],
)
def test_words_match_word_prefixes(connection: sqlite3.Connection, text: str, expected: list[str]) -> None:
    assert _search(connection, text) == expected


@pytest.mark.parametrize(
    "text", ['"', 'hugo" OR "camus', "NEAR(hugo camus)", "-hugo", "title:hugo", "hu*go", "^hugo"]
)
def test_fts_syntax_in_input_is_only_words(connection: sqlite3.Connection, text: str) -> None:
    expression = search_index.match_expression(text)
    if expression is not None:
        _search(connection, text)  # never an FTS5 syntax error
    assert search_index.match_expression('hugo" OR "camus') == '"hugo"* AND "or"* AND "camus"*'


def test_blank_text_matches_everything() -> None:
    assert search_index.match_expression(" ,;' ") is None


def test_the_index_follows_new_titles(connection: sqlite3.Connection) -> None:
    assert _search(connection, "horla") == []
    connection.execute(INSERT, ("T-4", "Le Horla", "Guy de Maupassant"))
    assert _search(connection, "horla") == ["T-4"]
