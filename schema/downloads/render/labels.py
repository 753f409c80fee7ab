"""The words of downloaded files in French (the default) and English: headings, column names, values.

Owns the labels only (the error pages' messages are in schema/i18n.py). Never holds
personal data: values are filled in by the renderers.
"""

from __future__ import annotations

from datetime import date

from adapters.ils.models import DocumentType, HoldStatus, LoanType
from schema.downloads.formats import SummaryContent
from schema.i18n import normalize_language

_LABELS: dict[str, dict[str, str]] = {
    "search_title": {"fr": "Résultats de recherche : « {text} »", "en": "Search results: “{text}”"},
    "basket_title": {"fr": "Panier « {name} »", "en": "Basket “{name}”"},
    "summary_title": {"fr": "Synthèse du compte", "en": "Account summary"},
    "prepared_for": {"fr": "Pour : {name}", "en": "For: {name}"},
    "produced_on": {"fr": "Le {day}", "en": "On {day}"},
    "page": {"fr": "Page {page} / {pages}", "en": "Page {page} of {pages}"},
    "record_count": {"fr": "{count} notice(s)", "en": "{count} record(s)"},
    "account_heading": {"fr": "{name} — carte {card}", "en": "{name} — card {card}"},
    "loans": {"fr": "Prêts", "en": "Loans"},
    "holds": {"fr": "Réservations", "en": "Holds"},
    "nothing": {"fr": "Rien à signaler.", "en": "Nothing to list."},
    # Record columns.
    "col_title": {"fr": "Titre", "en": "Title"},
    "col_authors": {"fr": "Auteurs", "en": "Authors"},
    "col_year": {"fr": "Année", "en": "Year"},
    "col_type": {"fr": "Type de document", "en": "Document type"},
    "col_isbn": {"fr": "ISBN", "en": "ISBN"},
    "col_publisher": {"fr": "Éditeur", "en": "Publisher"},
    "col_link": {"fr": "Lien", "en": "Link"},
    # Summary columns.
    "col_card": {"fr": "Carte", "en": "Card"},
    "col_patron": {"fr": "Usager", "en": "Patron"},
    "col_kind": {"fr": "Nature", "en": "Kind"},
    "col_library": {"fr": "Bibliothèque", "en": "Library"},
    "col_date": {"fr": "Échéance", "en": "Due / collect by"},
    "col_status": {"fr": "État", "en": "Status"},
    "col_renewals": {"fr": "Prolongations", "en": "Renewals"},
    # Values.
    "overdue": {"fr": "En retard", "en": "Overdue"},
    "queue": {"fr": "En attente (rang {position})", "en": "Waiting (place {position})"},
}

_DOCUMENT_TYPES: dict[DocumentType, tuple[str, str]] = {
    DocumentType.BOOK: ("Livre", "Book"),
    DocumentType.COMIC: ("Bande dessinée", "Comic"),
    DocumentType.DVD: ("DVD", "DVD"),
    DocumentType.MUSIC_CD: ("CD musical", "Music CD"),
    DocumentType.MAGAZINE: ("Revue", "Magazine"),
    DocumentType.EBOOK: ("Livre numérique", "E-book"),
    DocumentType.AUDIOBOOK: ("Livre audio", "Audiobook"),
    DocumentType.GAME: ("Jeu", "Game"),
    DocumentType.SCORE: ("Partition", "Score"),
    DocumentType.OTHER: ("Autre", "Other"),
}

_LOAN_TYPES: dict[LoanType, tuple[str, str]] = {
    LoanType.STANDARD: ("Prêt", "Loan"),
    LoanType.ONE_WEEK: ("Prêt d'une semaine", "One-week loan"),
    LoanType.DIGITAL: ("Prêt numérique", "Digital loan"),
    LoanType.UNKNOWN: ("Type de prêt non communiqué", "Loan type not given by the library system"),
}

_HOLD_STATUSES: dict[HoldStatus, tuple[str, str]] = {
    HoldStatus.WAITING: ("En attente", "Waiting"),
    HoldStatus.IN_TRANSIT: ("En transit", "In transit"),
    HoldStatus.AVAILABLE: ("Disponible", "Ready for pickup"),
}

_CONTENTS: dict[SummaryContent, tuple[str, str]] = {
    SummaryContent.LOANS_AND_HOLDS: ("Prêts physiques et réservations", "Physical loans and holds"),
    SummaryContent.LOANS_AND_HOLDS_WITH_DIGITAL: (
        "Prêts physiques et numériques, réservations",
        "Physical and digital loans, holds",
    ),
    SummaryContent.OVERDUE_PHYSICAL_LOANS: ("Prêts physiques en retard", "Overdue physical loans"),
}

HOLD = {"fr": "Réservation", "en": "Hold"}


class Labels:
    """The labels of one language."""

    def __init__(self, language: str) -> None:
        self.language = normalize_language(language)
        self._english = self.language == "en"

    def __call__(self, key: str, **params: object) -> str:
        text = _LABELS[key][self.language]
        return text.format(**params) if params else text

    def _pick(self, pair: tuple[str, str]) -> str:
        return pair[1] if self._english else pair[0]

    def document_type(self, kind: DocumentType) -> str:
        return self._pick(_DOCUMENT_TYPES[kind])

    def loan_type(self, kind: LoanType) -> str:
        return self._pick(_LOAN_TYPES[kind])

    def hold_status(self, status: HoldStatus) -> str:
        return self._pick(_HOLD_STATUSES[status])

    def content(self, content: SummaryContent) -> str:
        return self._pick(_CONTENTS[content])

    def hold(self) -> str:
        return HOLD[self.language]

    def day(self, value: date) -> str:
        """A date as people read it: 05/12/2026 in French, 2026-12-05 in English."""
        return value.isoformat() if self._english else value.strftime("%d/%m/%Y")
