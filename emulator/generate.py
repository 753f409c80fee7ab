"""Deterministic generated catalogue, copies, patrons, loans and holds beside the demo data.

Owns the size presets ("demo", "small", "large", or an item count) and the
plausible French titles, authors and names built from word lists with a seeded
`random.Random`: the same seed and size always give the same database. Never
touches the demo records of `seed.py` (its own ids: titles G-nnnnnnn, barcodes
32nnnnnnnn, cards 291nnnnnnn) and never breaks the ILS's invariants: a held
title has all its copies checked out, nobody holds what they borrowed.
"""

from __future__ import annotations

import random
import sqlite3
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from emulator.db import INSERT_LOAN, INSERT_TITLE
from emulator.seed import LIBRARIES, isbn13


def _words(text: str, separator: str = " ") -> tuple[str, ...]:
    return tuple(text.split(separator))


_PHYSICAL_LIBRARIES = tuple(code for code, _, _, _ in LIBRARIES if code != "NUMERIQUE")

_FIRST = _words(
    "Jean Marie Pierre Sophie Julien Camille Nicolas Claire Thomas Élodie Mathieu Aurélie Antoine "
    "Céline François Hélène Louis Manon Hugo Chloé Émile Léa Raphaël Inès Gabriel Zoé Arthur "
    "Juliette Lucas Anaïs Benoît Margaux Olivier Noémie Yannick Mélanie Karim Yasmine Mamadou Aïcha"
)
_LAST = _words(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre "
    "Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont Lambert "
    "Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel "
    "Nicolas Perrin Chevalier Benali Nguyen Diallo Lemaire Brun Gauthier Clément Barbier Arnaud"
)
_NOUNS_F = _words(
    "maison nuit mer forêt route mémoire lumière saison rivière ville montagne lettre promesse "
    "colère fille guerre île chambre frontière voix"
)
_NOUNS_M = _words(
    "jardin silence voyage secret hiver été fleuve miroir chemin royaume souvenir vent rivage destin "
    "village matin port orage navire rêve"
)
_ADJ_F = _words("perdue blanche noire lointaine oubliée secrète dernière douce froide vive")
_ADJ_M = _words("perdu blanc noir lointain oublié secret dernier doux froid immobile")
_PLACES = _words(
    "Paris Marseille Lyon Nantes Brest Trieste Belleville Montmartre Tanger Lisbonne Alger Dakar "
    "Montréal Venise Naples Oran"
)
_PUBLISHERS = _words(
    "Gallimard;Grasset;Actes Sud;Albin Michel;Flammarion;Le Seuil;Stock;P.O.L;Minuit;Julliard;Fayard;"
    "Robert Laffont;Dargaud;Casterman;L'École des loisirs",
    ";",
)
_DOC_TYPES = (
    ("BOOK", 60),
    ("COMIC", 10),
    ("DVD", 8),
    ("MUSIC_CD", 5),
    ("MAGAZINE", 3),
    ("EBOOK", 8),
    ("AUDIOBOOK", 3),
    ("GAME", 1),
    ("SCORE", 1),
    ("OTHER", 1),
)


@dataclass(frozen=True, slots=True)
class Size:
    """How much to generate."""

    titles: int
    items: int
    patrons: int


def parse_size(size: str | int) -> Size:
    """'demo' (the default set), 'small' (quick tests), 'large' (1,000,000 items) or an item count."""
    if isinstance(size, str) and not size.isdigit():
        presets = {
            "demo": Size(5_000, 15_000, 1_000),
            "small": Size(300, 900, 60),
            "large": Size(333_334, 1_000_000, 66_667),
        }
        if size not in presets:
            raise ValueError(f"unknown size {size!r}: use demo, small, large or an item count")
        return presets[size]
    items = int(size)
    if items < 1:
        raise ValueError("the item count must be positive")
    return Size(titles=max(1, items // 3), items=items, patrons=max(1, items // 15))


def _title(rng: random.Random) -> str:
    pattern = rng.randrange(7)
    if pattern == 0:
        return f"La {rng.choice(_NOUNS_F)} {rng.choice(_ADJ_F)}"
    if pattern == 1:
        return f"Le {rng.choice(_NOUNS_M)} {rng.choice(_ADJ_M)}"
    if pattern == 2:
        return f"Les {rng.choice(_NOUNS_M)}s de {rng.choice(_PLACES)}"
    if pattern == 3:
        return f"{rng.choice(_FIRST)} et la {rng.choice(_NOUNS_F)}"
    if pattern == 4:
        return f"Une {rng.choice(_NOUNS_F)} à {rng.choice(_PLACES)}"
    if pattern == 5:
        return f"Le {rng.choice(_NOUNS_M)} de la {rng.choice(_NOUNS_F)}"
    return f"Retour à {rng.choice(_PLACES)}"


@dataclass
class _Catalogue:
    """What later steps need to know about the generated titles and copies (compact for 1,000,000 items)."""

    doc_types: list[str] = field(default_factory=list)
    call_numbers: list[str] = field(default_factory=list)
    #: Per item: its title index, library index (-1: NUMERIQUE) and age in days.
    item_title: array[int] = field(default_factory=lambda: array("i"))
    item_library: array[int] = field(default_factory=lambda: array("b"))
    item_age: array[int] = field(default_factory=lambda: array("H"))


def _title_rows(
    rng: random.Random, size: Size, today: date, into: _Catalogue
) -> Iterator[tuple[object, ...]]:
    kinds, weights = zip(*_DOC_TYPES, strict=True)
    for n in range(size.titles):
        doc = rng.choices(kinds, weights)[0]
        author = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        into.doc_types.append(doc)
        into.call_numbers.append(f"{doc[:1]} {author[-3:].upper()}")
        yield (
            _title_id(n),
            _title(rng),
            author,
            rng.randint(1950, today.year),
            doc,
            isbn13(100_000 + n),
            rng.choice(_PUBLISHERS),
            int(doc == "EBOOK"),
            (today - timedelta(days=rng.randrange(1, 2000))).isoformat(),
        )


def _patron_rows(
    rng: random.Random, size: Size, today: date, blocked: list[int]
) -> Iterator[tuple[object, ...]]:
    for n in range(size.patrons):
        row = (
            _card(n),
            rng.choice(_FIRST),
            rng.choice(_LAST),
            date(rng.randint(1940, 2018), rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
            f"lecteur{n + 1}@example.net" if rng.random() < 0.8 else None,
            None,
            None,
            rng.choice(_PHYSICAL_LIBRARIES),
            (today + timedelta(days=rng.randint(30, 1000))).isoformat(),
            "FINES_OWED" if rng.random() < 0.02 else "",
        )
        if row[9]:
            blocked.append(n)
        yield row


def _draw_items(rng: random.Random, size: Size, catalogue: _Catalogue) -> dict[int, list[int]]:
    """Place the copies; returns each title's item indices. Every title gets a copy first."""
    copies: dict[int, list[int]] = {}
    for n in range(size.items):
        t = n if n < size.titles else rng.randrange(size.titles)
        digital = catalogue.doc_types[t] == "EBOOK"
        catalogue.item_title.append(t)
        catalogue.item_library.append(
            -1 if digital else _PHYSICAL_LIBRARIES.index(rng.choice(_PHYSICAL_LIBRARIES))
        )
        catalogue.item_age.append(rng.randrange(0, 1500))
        copies.setdefault(t, []).append(n)
    return copies


def _item_rows(catalogue: _Catalogue, today: date, checked_out: set[int]) -> Iterator[tuple[object, ...]]:
    for n, t in enumerate(catalogue.item_title):
        library = catalogue.item_library[n]
        yield (
            _barcode(n),
            _title_id(t),
            "NUMERIQUE" if library < 0 else _PHYSICAL_LIBRARIES[library],
            catalogue.call_numbers[t],
            "CHECKED_OUT" if n in checked_out else "AVAILABLE",
            (today - timedelta(days=catalogue.item_age[n])).isoformat(),
        )


def _title_id(n: int) -> str:
    return f"G-{n + 1:07d}"


def _card(n: int) -> str:
    return f"291{n + 1:07d}"


def _barcode(n: int) -> str:
    return f"32{n + 1:08d}"


def generate(connection: sqlite3.Connection, today: date, size: str | int = "demo", seed: int = 1) -> Size:
    """Add generated data to a seeded database in one transaction; returns the size it used."""
    chosen = parse_size(size)
    rng = random.Random(seed)
    catalogue = _Catalogue()
    blocked: list[int] = []
    with connection:
        connection.execute("BEGIN")
        # Rows stream from generators: the random draws happen in the same order whatever the size.
        connection.executemany(
            INSERT_TITLE,
            _title_rows(rng, chosen, today, catalogue),
        )
        connection.executemany(
            "INSERT INTO patrons VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _patron_rows(rng, chosen, today, blocked),
        )
        copies = _draw_items(rng, chosen, catalogue)
        loans, holds, checked_out = _circulation(rng, chosen, catalogue.doc_types, copies, today)
        connection.executemany(
            "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)", _item_rows(catalogue, today, checked_out)
        )
        connection.executemany(
            INSERT_LOAN,
            loans,
        )
        connection.executemany(
            "INSERT INTO holds (patron_id, title_id, item_id, status, pickup_library, placed_at,"
            " pickup_deadline) VALUES (?, ?, NULL, 'WAITING', ?, ?, NULL)",
            holds,
        )
        connection.executemany(
            "INSERT INTO fees (patron_id, amount_cents, description) VALUES (?, ?, 'Retards de restitution')",
            [(_card(n), 500 + 50 * (n % 20)) for n in blocked],
        )
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('generated', ?)", (f"{size}:{seed}",))
    return chosen


def _circulation(
    rng: random.Random, size: Size, doc_types: list[str], copies: dict[int, list[int]], today: date
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], set[int]]:
    """Check out about a tenth of the copies; on some fully checked-out titles, queue holds."""
    borrowed: dict[int, set[str]] = {}
    loans: list[tuple[object, ...]] = []
    checked_out: set[int] = set()
    fully_out: list[int] = []
    for t in rng.sample(range(size.titles), k=max(1, size.titles // 10)):
        whole = rng.random() < 0.5
        for item in copies[t] if whole else copies[t][:1]:
            patron = _card(rng.randrange(size.patrons))
            kind = (
                "DIGITAL" if doc_types[t] == "EBOOK" else ("ONE_WEEK" if rng.random() < 0.1 else "STANDARD")
            )
            due = today + timedelta(days=rng.randint(-10, 28))
            renewals = rng.randint(0, 2) if kind == "STANDARD" else 0
            loans.append(
                (
                    patron,
                    _barcode(item),
                    (due - timedelta(days=28)).isoformat(),
                    due.isoformat(),
                    renewals,
                    kind,
                )
            )
            checked_out.add(item)
            borrowed.setdefault(t, set()).add(patron)
        if whole and doc_types[t] != "EBOOK":
            fully_out.append(t)
    holds: list[tuple[object, ...]] = []
    active: dict[str, int] = {}
    for t in fully_out[: max(1, len(fully_out) // 2)]:
        queue: set[str] = set()
        for _ in range(rng.randint(1, 4)):
            patron = _card(rng.randrange(size.patrons))
            if patron in queue or patron in borrowed.get(t, set()) or active.get(patron, 0) >= 8:
                continue
            queue.add(patron)
            active[patron] = active.get(patron, 0) + 1
            placed = datetime.combine(today, time()) - timedelta(
                days=rng.randint(1, 60), minutes=rng.randrange(1440)
            )
            holds.append(
                (
                    patron,
                    _title_id(t),
                    rng.choice(_PHYSICAL_LIBRARIES[:7]),
                    placed.isoformat(timespec="seconds"),
                )
            )
    return loans, holds, checked_out
