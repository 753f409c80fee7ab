"""The demo data of DESIGN.md, seeded into a FakeIls (dates relative to its `today`).

Only data: the people, loans, holds and catalogue records the documentation and
the tests rely on. Card numbers and titles are exactly those of DESIGN.md.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from adapters.ils.models import DocumentType, HoldStatus, ItemStatus, Library, LoanType, Patron, PatronBlock

if TYPE_CHECKING:
    from tests.fakes import FakeIls

CAMILLE, LEO, INES, HUGO, LUCIE, NADIA = (f"290000000{n}" for n in range(1, 7))

LIBRARIES = (
    Library("DURAS", "Médiathèque Marguerite Duras", "75020 Paris", True),
    Library("SAGAN", "Médiathèque Françoise Sagan", "75010 Paris", True),
    Library("LEDUC", "Médiathèque Violette Leduc", "75011 Paris", True),
    Library("HAVEL", "Bibliothèque Václav Havel", "75018 Paris", True),
    Library("MELVILLE", "Médiathèque Jean-Pierre Melville", "75013 Paris", True),
    Library("BERR", "Médiathèque Hélène Berr", "75012 Paris", True),
    Library("CANOPEE", "Médiathèque de la Canopée la fontaine", "75001 Paris", True),
    Library("FORNEY", "Bibliothèque Forney", "75004 Paris", False),
    Library("NUMERIQUE", "Bibliothèque numérique", None, False),
)


def _patron(
    card: str, first: str, last: str, born: date, email: str | None, blocks: tuple[PatronBlock, ...] = ()
) -> Patron:
    return Patron(card, first, last, email, None, None, "DURAS", date(2028, 1, 1), blocks, born)


def seed_demo_data(ils: FakeIls) -> None:
    """Libraries, the six demo patrons with their loans and holds, and the fixed catalogue records."""
    for library in LIBRARIES:
        ils.libraries[library.code] = library
    for patron in (
        _patron(CAMILLE, "Camille", "Martin", date(1985, 7, 14), "camille.martin@example.org"),
        _patron(LEO, "Léo", "Martin", date(2014, 2, 3), None),
        _patron(INES, "Inès", "Martin", date(2011, 9, 21), "ines.martin@example.org"),
        _patron(HUGO, "Hugo", "Bernard", date(1990, 11, 30), "famille.bernard@example.org"),
        _patron(LUCIE, "Lucie", "Bernard", date(1992, 5, 5), "famille.bernard@example.org"),
        _patron(
            NADIA,
            "Nadia",
            "Haddad",
            date(1978, 3, 12),
            "nadia.haddad@example.org",
            blocks=(PatronBlock.FINES_OWED,),
        ),
    ):
        ils.patrons[patron.id] = patron
    _seed_camille(ils)
    _seed_others(ils)
    _seed_catalogue(ils)


def _seed_camille(ils: FakeIls) -> None:
    add = ils.add_title
    ils.add_loan(CAMILLE, add("La Horde du Contrevent", ["Alain Damasio"]), due_in=10)
    ils.add_loan(CAMILLE, add("Les Furtifs", ["Alain Damasio"]), due_in=5, renewals=2)
    asterix = add("Astérix le Gaulois", ["René Goscinny", "Albert Uderzo"], DocumentType.COMIC)
    ils.add_loan(CAMILLE, asterix, due_in=3, kind=LoanType.ONE_WEEK)
    ils.add_loan(CAMILLE, add("Le Bureau des légendes, saison 1", [], DocumentType.DVD), due_in=-4)
    anomalie = add("L'Anomalie", ["Hervé Le Tellier"])
    ils.add_loan(CAMILLE, anomalie, due_in=12, renewals=1)
    ils.add_hold(HUGO, anomalie, "SAGAN")
    chanson = add("Chanson douce", ["Leïla Slimani"], DocumentType.EBOOK)
    ils.add_loan(CAMILLE, chanson, due_in=14, kind=LoanType.DIGITAL)
    ils.add_loan(CAMILLE, add("Vernon Subutex 1", ["Virginie Despentes"]), due_in=2, renewals=1)

    miserables = add("Les Misérables", ["Victor Hugo"])
    for library in ("DURAS", "SAGAN"):
        ils.add_item(miserables, library, ItemStatus.CHECKED_OUT, ils.today + timedelta(days=9))
    ils.add_hold(HUGO, miserables, "HAVEL")
    ils.add_hold(CAMILLE, miserables, "DURAS")
    ils.add_hold(
        CAMILLE,
        add("Mémoires d'Hadrien", ["Marguerite Yourcenar"]),
        "SAGAN",
        HoldStatus.AVAILABLE,
        deadline_in=6,
    )
    ils.add_hold(CAMILLE, add("Le Consentement", ["Vanessa Springora"]), "LEDUC", HoldStatus.IN_TRANSIT)


def _seed_others(ils: FakeIls) -> None:
    add = ils.add_title
    ils.add_loan(LEO, add("Mortelle Adèle, tome 1", ["Mr Tan"], DocumentType.COMIC), due_in=8)
    ils.add_loan(LEO, add("Le Petit Nicolas", ["René Goscinny", "Jean-Jacques Sempé"]), due_in=-2)
    ils.add_loan(INES, add("Harry Potter à l'école des sorciers", ["J. K. Rowling"]), due_in=15)
    ils.add_loan(LUCIE, add("Le Comte de Monte-Cristo", ["Alexandre Dumas"]), due_in=20)
    ils.add_loan(NADIA, add("L'Élégance du hérisson", ["Muriel Barbery"]), due_in=7)
    for n in range(1, 9):
        title = add(f"Roman en attente {n}", ["Auteur Générique"])
        ils.add_item(title, "BERR", ItemStatus.CHECKED_OUT, ils.today + timedelta(days=n))
        ils.add_hold(HUGO, title, "BERR")


def _seed_catalogue(ils: FakeIls) -> None:
    add = ils.add_title
    due = ils.today + timedelta(days=11)
    petit_prince = add("Le Petit Prince", ["Antoine de Saint-Exupéry"])
    ils.add_item(petit_prince, "DURAS")
    ils.add_item(petit_prince, "SAGAN", ItemStatus.CHECKED_OUT, due)
    etranger = add("L'Étranger", ["Albert Camus"], DocumentType.EBOOK)
    ils.add_item(etranger, "NUMERIQUE")
    bovary = add("Madame Bovary", ["Gustave Flaubert"])
    for library in ("DURAS", "LEDUC", "BERR"):
        ils.add_item(bovary, library, ItemStatus.CHECKED_OUT, due)
    notre_dame = add("Notre-Dame de Paris", ["Victor Hugo"])
    ils.add_item(notre_dame, "HAVEL", ItemStatus.CHECKED_OUT, due)
    add("Le Horla", ["Guy de Maupassant"])
