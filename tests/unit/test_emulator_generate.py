"""Generated data: sizes, determinism, plausibility and the ILS's invariants."""

from __future__ import annotations

import sqlite3
import time

import pytest

from emulator import db
from emulator.generate import Size, generate, parse_size
from emulator.seed import DEMO_TODAY, seed_demo


def _database(size: str | int, seed: int = 1) -> sqlite3.Connection:
    connection = db.connect(":memory:")
    seed_demo(connection, DEMO_TODAY)
    generate(connection, DEMO_TODAY, size, seed)
    return connection


def _count(connection: sqlite3.Connection, sql: str) -> int:
    return int(connection.execute(sql).fetchone()[0])


def test_parse_size() -> None:
    assert parse_size("demo") == Size(5_000, 15_000, 1_000)
    assert parse_size("large").items == 1_000_000
    assert parse_size("3000") == parse_size(3000) == Size(1_000, 3_000, 200)
    for bad in ("huge", "0", -5):
        with pytest.raises(ValueError):
            parse_size(bad)


def test_the_default_set_is_big_enough_and_fast() -> None:
    started = time.perf_counter()
    connection = _database("demo")
    assert time.perf_counter() - started < 3.0
    assert _count(connection, "SELECT COUNT(*) FROM titles WHERE id LIKE 'G-%'") >= 5_000
    assert _count(connection, "SELECT COUNT(*) FROM items WHERE id LIKE '32%'") >= 15_000
    assert _count(connection, "SELECT COUNT(*) FROM patrons WHERE id LIKE '291%'") >= 1_000
    assert _count(connection, "SELECT COUNT(*) FROM loans") > 500
    assert _count(connection, "SELECT COUNT(*) FROM holds") > 100


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not() -> None:
    def dump(connection: sqlite3.Connection) -> list[tuple[object, ...]]:
        return [
            tuple(r)
            for table in ("titles", "patrons", "items", "loans", "holds")
            for r in connection.execute(f"SELECT * FROM {table} ORDER BY 1")
        ]

    assert dump(_database("small", 7)) == dump(_database("small", 7))
    assert dump(_database("small", 7)) != dump(_database("small", 8))


def test_generated_data_keeps_the_ils_invariants() -> None:
    connection = _database("small")
    assert (
        _count(
            connection,
            "SELECT COUNT(*) FROM items WHERE (status = 'CHECKED_OUT')"
            " <> (id IN (SELECT item_id FROM loans))",
        )
        == 0
    )
    # A held title has no copy on the shelf, nobody holds what they borrowed, nobody exceeds 10 holds.
    assert (
        _count(
            connection,
            "SELECT COUNT(*) FROM holds JOIN items ON items.title_id = holds.title_id"
            " WHERE items.status = 'AVAILABLE'",
        )
        == 0
    )
    assert (
        _count(
            connection,
            "SELECT COUNT(*) FROM holds JOIN items ON items.title_id = holds.title_id"
            " JOIN loans ON loans.item_id = items.id AND loans.patron_id = holds.patron_id",
        )
        == 0
    )
    assert _count(connection, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM holds GROUP BY patron_id)") <= 10
    assert (
        _count(
            connection,
            "SELECT COUNT(*) FROM items JOIN titles ON titles.id = items.title_id"
            " WHERE titles.is_digital = 1 AND items.library_code <> 'NUMERIQUE'",
        )
        == 0
    )


def test_titles_and_names_look_french() -> None:
    connection = _database("small")
    titles = [r[0] for r in connection.execute("SELECT title FROM titles WHERE id LIKE 'G-%' LIMIT 200")]
    assert any(t.startswith(("La ", "Le ", "Les ", "Une ")) for t in titles)
    assert any(ch in "".join(titles) for ch in "éèàêô")
    names = [r[0] for r in connection.execute("SELECT first_name FROM patrons WHERE id LIKE '291%'")]
    assert len(set(names)) > 10
