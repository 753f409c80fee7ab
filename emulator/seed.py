"""The demo data of DESIGN.md ("Demo data": a contract), written relative to the seeding day T.

Owns the fixed records every test and the documentation rely on: the nine
libraries, the six demo patrons, their loans, holds and fee, and the catalogue
records with a fixed role. A handful of background readers (cards 29000001xx)
hold the copies that must be "checked out by other patrons" and the first place
in the Les Misérables queue. Never generates random data (see `generate.py`)
and never applies circulation rules (see `rules.py`): it states facts.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from emulator.db import INSERT_LOAN, INSERT_TITLE

#: The frozen "today" of the tests: the demo data is seeded on this day there.
DEMO_TODAY = date(2026, 12, 1)

CAMILLE = "2900000001"
LEO = "2900000002"
INES = "2900000003"
HUGO = "2900000004"
LUCIE = "2900000005"
NADIA = "2900000006"
DEMO_CARDS = (CAMILLE, LEO, INES, HUGO, LUCIE, NADIA)
# Background readers: they hold the copies "checked out by other patrons".
PAUL, SOPHIE, ANTOINE, CLAIRE, MARC = (f"29000001{n:02d}" for n in range(1, 6))

# Title ids of the records with a role in the demo.
HORDE, FURTIFS, ASTERIX, BUREAU = "T-HORDE", "T-FURTIFS", "T-ASTERIX", "T-BUREAU"
ANOMALIE, CHANSON, VERNON = "T-ANOMALIE", "T-CHANSON", "T-VERNON"
MISERABLES, HADRIEN, CONSENTEMENT = "T-MISERABLES", "T-HADRIEN", "T-CONSENTEMENT"
ADELE, NICOLAS, POTTER, HERISSON, VIE = "T-ADELE", "T-NICOLAS", "T-POTTER", "T-HERISSON", "T-VIE"
PRINCE, ETRANGER, BOVARY, NOTREDAME, HORLA = "T-PRINCE", "T-ETRANGER", "T-BOVARY", "T-NOTREDAME", "T-HORLA"
HUGO_EXTRA_TITLES = (
    "T-MAGE",
    "T-VEILLER",
    "T-HOURIS",
    "T-MEMOIRE",
    "T-ENFANTS",
    "T-CONNEMARA",
    "T-CHOSES",
    "T-CIVILIZATIONS",
    "T-DUBOIS",
)

LIBRARIES: tuple[tuple[str, str, str | None, bool], ...] = (
    ("DURAS", "Médiathèque Marguerite Duras", "115 rue de Bagnolet, 75020 Paris", True),
    ("SAGAN", "Médiathèque Françoise Sagan", "8 rue Léon Schwartzenberg, 75010 Paris", True),
    ("LEDUC", "Médiathèque Violette Leduc", "18 rue Faidherbe, 75011 Paris", True),
    ("HAVEL", "Bibliothèque Václav Havel", "26 esplanade Nathalie Sarraute, 75018 Paris", True),
    ("MELVILLE", "Médiathèque Jean-Pierre Melville", "79 rue Nationale, 75013 Paris", True),
    ("BERR", "Médiathèque Hélène Berr", "70 rue de Picpus, 75012 Paris", True),
    ("CANOPEE", "Médiathèque de la Canopée la fontaine", "10 passage de la Canopée, 75001 Paris", True),
    ("FORNEY", "Bibliothèque Forney", "1 rue du Figuier, 75004 Paris", False),
    ("NUMERIQUE", "Bibliothèque numérique", None, False),
)

# card, first name, last name, birth date, e-mail, phone, home library, blocks
_PATRONS: tuple[tuple[str, str, str, date, str | None, str | None, str, str], ...] = (
    (
        CAMILLE,
        "Camille",
        "Martin",
        date(1985, 7, 14),
        "camille.martin@example.org",
        "0140000001",
        "DURAS",
        "",
    ),
    (LEO, "Léo", "Martin", date(2014, 2, 3), None, None, "DURAS", ""),
    (INES, "Inès", "Martin", date(2011, 9, 21), "ines.martin@example.org", None, "DURAS", ""),
    (HUGO, "Hugo", "Bernard", date(1990, 11, 30), "famille.bernard@example.org", "0140000004", "SAGAN", ""),
    (LUCIE, "Lucie", "Bernard", date(1992, 5, 5), "famille.bernard@example.org", None, "SAGAN", ""),
    (
        NADIA,
        "Nadia",
        "Haddad",
        date(1978, 3, 12),
        "nadia.haddad@example.org",
        "0140000006",
        "LEDUC",
        "FINES_OWED",
    ),
    (PAUL, "Paul", "Lefèvre", date(1970, 1, 9), "paul.lefevre@example.net", None, "HAVEL", ""),
    (SOPHIE, "Sophie", "Girard", date(1982, 6, 17), "sophie.girard@example.net", None, "BERR", ""),
    (ANTOINE, "Antoine", "Rousseau", date(1965, 10, 2), None, None, "MELVILLE", ""),
    (CLAIRE, "Claire", "Fontaine", date(1999, 4, 25), "claire.fontaine@example.net", None, "CANOPEE", ""),
    (MARC, "Marc", "Dubois", date(1958, 12, 8), None, "0140000105", "LEDUC", ""),
)

# id, title, authors, year, document type, publisher, digital
_TITLES: tuple[tuple[str, str, str, int, str, str, bool], ...] = (
    (HORDE, "La Horde du Contrevent", "Alain Damasio", 2004, "BOOK", "La Volte", False),
    (FURTIFS, "Les Furtifs", "Alain Damasio", 2019, "BOOK", "La Volte", False),
    (ASTERIX, "Astérix le Gaulois", "René Goscinny ; Albert Uderzo", 1961, "COMIC", "Dargaud", False),
    (BUREAU, "Le Bureau des légendes, saison 1", "Éric Rochant", 2015, "DVD", "Canal+", False),
    (ANOMALIE, "L'Anomalie", "Hervé Le Tellier", 2020, "BOOK", "Gallimard", False),
    (CHANSON, "Chanson douce", "Leïla Slimani", 2016, "EBOOK", "Gallimard", True),
    (VERNON, "Vernon Subutex 1", "Virginie Despentes", 2015, "BOOK", "Grasset", False),
    (MISERABLES, "Les Misérables", "Victor Hugo", 1862, "BOOK", "Lacroix, Verboeckhoven et Cie", False),
    (HADRIEN, "Mémoires d'Hadrien", "Marguerite Yourcenar", 1951, "BOOK", "Plon", False),
    (CONSENTEMENT, "Le Consentement", "Vanessa Springora", 2020, "BOOK", "Grasset", False),
    (ADELE, "Mortelle Adèle, tome 1", "Mr Tan ; Miss Prickly", 2012, "COMIC", "Tourbillon", False),
    (NICOLAS, "Le Petit Nicolas", "René Goscinny ; Jean-Jacques Sempé", 1960, "BOOK", "Denoël", False),
    (
        POTTER,
        "Harry Potter à l'école des sorciers",
        "J. K. Rowling",
        1998,
        "BOOK",
        "Gallimard Jeunesse",
        False,
    ),
    (HERISSON, "L'Élégance du hérisson", "Muriel Barbery", 2006, "BOOK", "Gallimard", False),
    (VIE, "La Vie devant soi", "Romain Gary", 1975, "BOOK", "Mercure de France", False),
    (PRINCE, "Le Petit Prince", "Antoine de Saint-Exupéry", 1943, "BOOK", "Gallimard", False),
    (ETRANGER, "L'Étranger", "Albert Camus", 1942, "EBOOK", "Gallimard", True),
    (BOVARY, "Madame Bovary", "Gustave Flaubert", 1857, "BOOK", "Michel Lévy frères", False),
    (NOTREDAME, "Notre-Dame de Paris", "Victor Hugo", 1831, "BOOK", "Gosselin", False),
    (HORLA, "Le Horla", "Guy de Maupassant", 1887, "BOOK", "Ollendorff", False),
    ("T-MAGE", "Le Mage du Kremlin", "Giuliano da Empoli", 2022, "BOOK", "Gallimard", False),
    ("T-VEILLER", "Veiller sur elle", "Jean-Baptiste Andrea", 2023, "BOOK", "L'Iconoclaste", False),
    ("T-HOURIS", "Houris", "Kamel Daoud", 2024, "BOOK", "Gallimard", False),
    (
        "T-MEMOIRE",
        "La plus secrète mémoire des hommes",
        "Mohamed Mbougar Sarr",
        2021,
        "BOOK",
        "Philippe Rey",
        False,
    ),
    ("T-ENFANTS", "Leurs enfants après eux", "Nicolas Mathieu", 2018, "BOOK", "Actes Sud", False),
    ("T-CONNEMARA", "Connemara", "Nicolas Mathieu", 2021, "BOOK", "Actes Sud", False),
    ("T-CHOSES", "Les Choses humaines", "Karine Tuil", 2019, "BOOK", "Gallimard", False),
    ("T-CIVILIZATIONS", "Civilizations", "Laurent Binet", 2019, "BOOK", "Grasset", False),
    (
        "T-DUBOIS",
        "Tous les hommes n'habitent pas le monde de la même façon",
        "Jean-Paul Dubois",
        2019,
        "BOOK",
        "L'Olivier",
        False,
    ),
)


@dataclass(frozen=True, slots=True)
class _Copy:
    """One item: its title, library, status; and the loan on it, if any (days relative to T)."""

    title_id: str
    library: str
    status: str = "CHECKED_OUT"
    borrower: str | None = None
    due_in: int = 0
    renewals: int = 0
    loan_type: str = "STANDARD"


_COPIES: tuple[_Copy, ...] = (
    # Camille's seven loans (3100000001..7), in DESIGN.md's order.
    _Copy(HORDE, "DURAS", borrower=CAMILLE, due_in=10),
    _Copy(FURTIFS, "DURAS", borrower=CAMILLE, due_in=5, renewals=2),
    _Copy(ASTERIX, "DURAS", borrower=CAMILLE, due_in=3, loan_type="ONE_WEEK"),
    _Copy(BUREAU, "SAGAN", borrower=CAMILLE, due_in=-4),
    _Copy(ANOMALIE, "DURAS", borrower=CAMILLE, due_in=12, renewals=1),
    _Copy(CHANSON, "NUMERIQUE", borrower=CAMILLE, due_in=14, loan_type="DIGITAL"),
    _Copy(VERNON, "DURAS", borrower=CAMILLE, due_in=2, renewals=1),
    # Léo (8, 9), Inès (10), Lucie (11), Nadia (12).
    _Copy(ADELE, "DURAS", borrower=LEO, due_in=8),
    _Copy(NICOLAS, "DURAS", borrower=LEO, due_in=-2),
    _Copy(POTTER, "DURAS", borrower=INES, due_in=15),
    _Copy(HERISSON, "SAGAN", borrower=LUCIE, due_in=20),
    _Copy(VIE, "LEDUC", borrower=NADIA, due_in=7),
    # Camille's holds: the copy set aside at SAGAN (13), the copy travelling to LEDUC (14).
    _Copy(HADRIEN, "SAGAN", status="ON_HOLD_SHELF"),
    _Copy(CONSENTEMENT, "HAVEL", status="IN_TRANSIT"),
    # Records with a fixed role (15..22).
    _Copy(MISERABLES, "DURAS", borrower=PAUL, due_in=9),
    _Copy(MISERABLES, "HAVEL", borrower=SOPHIE, due_in=18),
    _Copy(PRINCE, "DURAS", status="AVAILABLE"),
    _Copy(ETRANGER, "NUMERIQUE", status="AVAILABLE"),
    _Copy(BOVARY, "DURAS", borrower=ANTOINE, due_in=6),
    _Copy(BOVARY, "SAGAN", borrower=CLAIRE, due_in=11),
    _Copy(BOVARY, "BERR", borrower=MARC, due_in=21),
    _Copy(NOTREDAME, "MELVILLE", borrower=PAUL, due_in=13),
    # One copy of each other title Hugo waits for (23..31), all out.
    *(
        _Copy(title, "CANOPEE", borrower=(SOPHIE, ANTOINE, CLAIRE, MARC)[n % 4], due_in=4 + 2 * n)
        for n, title in enumerate(HUGO_EXTRA_TITLES)
    ),
)

_FIRST_BARCODE = 3100000001
#: Barcode of the demo copy of each title id (the first copy where there are several).
BARCODES: dict[str, str] = {}
for _n, _copy in enumerate(_COPIES):
    BARCODES.setdefault(_copy.title_id, str(_FIRST_BARCODE + _n))
#: Every barcode of each demo title.
ALL_BARCODES: dict[str, tuple[str, ...]] = {
    tid: tuple(str(_FIRST_BARCODE + n) for n, c in enumerate(_COPIES) if c.title_id == tid)
    for tid in {c.title_id for c in _COPIES}
}

# patron, title, status, pickup library, placed (days before T), pickup deadline (days after T)
_HOLDS: tuple[tuple[str, str, str, str, int, int | None], ...] = (
    (CLAIRE, MISERABLES, "WAITING", "CANOPEE", 40, None),
    (CAMILLE, MISERABLES, "WAITING", "DURAS", 10, None),
    (CAMILLE, HADRIEN, "AVAILABLE", "SAGAN", 25, 6),
    (CAMILLE, CONSENTEMENT, "IN_TRANSIT", "LEDUC", 20, None),
    (HUGO, ANOMALIE, "WAITING", "SAGAN", 15, None),
    *((HUGO, title, "WAITING", "SAGAN", 14 - n, None) for n, title in enumerate(HUGO_EXTRA_TITLES)),
)

_LOAN_DAYS = {"STANDARD": 28, "ONE_WEEK": 7, "DIGITAL": 21}


def _call_number(title_id: str, authors: dict[str, str]) -> str:
    surname = authors[title_id].split(" ; ")[0].split()[-1]
    return f"R {surname[:3].upper()}"


def seed_demo(connection: sqlite3.Connection, today: date) -> None:
    """Write the demo data as of `today` (T) and record T in meta 'seeded_on'; one transaction."""
    t = today
    authors = {row[0]: row[2] for row in _TITLES}
    held_item = {HADRIEN: str(_FIRST_BARCODE + 12), CONSENTEMENT: str(_FIRST_BARCODE + 13)}
    with connection:
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO libraries VALUES (?, ?, ?, ?)", [(c, n, a, int(p)) for c, n, a, p in LIBRARIES]
        )
        connection.executemany(
            "INSERT INTO patrons VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
            [
                (
                    card,
                    first,
                    last,
                    born.isoformat(),
                    email,
                    phone,
                    home,
                    (t + timedelta(days=400 + n * 30)).isoformat(),
                    blocks,
                )
                for n, (card, first, last, born, email, phone, home, blocks) in enumerate(_PATRONS)
            ],
        )
        connection.executemany(
            INSERT_TITLE,
            [
                (
                    tid,
                    title,
                    auth,
                    year,
                    doc,
                    isbn13(n),
                    pub,
                    int(digital),
                    (t - timedelta(days=200 + n)).isoformat(),
                )
                for n, (tid, title, auth, year, doc, pub, digital) in enumerate(_TITLES)
            ],
        )
        items, loans = [], []
        for n, copy in enumerate(_COPIES):
            barcode = str(_FIRST_BARCODE + n)
            items.append(
                (
                    barcode,
                    copy.title_id,
                    copy.library,
                    _call_number(copy.title_id, authors),
                    copy.status,
                    (t - timedelta(days=150)).isoformat(),
                )
            )
            if copy.borrower is not None:
                due = t + timedelta(days=copy.due_in)
                out = due - timedelta(days=_LOAN_DAYS[copy.loan_type] * (copy.renewals + 1))
                loans.append(
                    (copy.borrower, barcode, out.isoformat(), due.isoformat(), copy.renewals, copy.loan_type)
                )
        connection.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)", items)
        connection.executemany(
            INSERT_LOAN,
            loans,
        )
        connection.executemany(
            "INSERT INTO holds (patron_id, title_id, item_id, status, pickup_library, placed_at,"
            " pickup_deadline) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    patron,
                    title,
                    held_item.get(title) if status != "WAITING" else None,
                    status,
                    pickup,
                    f"{(t - timedelta(days=placed)).isoformat()}T10:00:00",
                    None if deadline is None else (t + timedelta(days=deadline)).isoformat(),
                )
                for patron, title, status, pickup, placed, deadline in _HOLDS
            ],
        )
        connection.execute(
            "INSERT INTO fees (patron_id, amount_cents, description) VALUES (?, ?, ?)",
            (NADIA, 1250, "Retards de restitution"),
        )
        connection.execute("INSERT INTO meta VALUES ('seeded_on', ?)", (t.isoformat(),))


def isbn13(n: int) -> str:
    """A valid ISBN-13 in the French range (978-2-…), unique per n."""
    body = f"9782{n:08d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)
