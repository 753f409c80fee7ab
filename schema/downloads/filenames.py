"""The names of downloaded files: what the file is, a word of its subject, the day, the extension.

Owns `filename` (the UTF-8 name, as `Download.filename` and `filename*` give it) and
`ascii_filename` (the fallback `filename=` of Content-Disposition). Pure; a name never
holds a card number, only the kind of file and, for a search or a basket, the patron's
own words, reduced to letters, digits and hyphens.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from schema.downloads.formats import extension
from schema.downloads.grants import BasketFile, SearchPage, Subject
from schema.i18n import normalize_language

_NOT_WORD = re.compile(r"[^\w]+")
_MAX_WORDS_LENGTH = 40
_KINDS = {
    "search": ("recherche", "search"),
    "basket": ("panier", "basket"),
    "summary": ("synthese-compte", "account-summary"),
}


def _slug(text: str) -> str:
    words = _NOT_WORD.sub("-", unicodedata.normalize("NFC", text)).strip("-_")
    return words[:_MAX_WORDS_LENGTH].strip("-_").lower()


def filename(subject: Subject, issued_on: date, language: str, basket_name: str | None = None) -> str:
    """E.g. `recherche-horde-2026-12-01.csv`, `panier-à-lire-cet-été-2026-12-01.ris`."""
    if isinstance(subject, SearchPage):
        kind, words = "search", _slug(subject.query.text)
    elif isinstance(subject, BasketFile):
        kind, words = "basket", _slug(basket_name or "")
    else:
        kind, words = "summary", ""
    french, english = _KINDS[kind]
    parts = [english if normalize_language(language) == "en" else french, words, issued_on.isoformat()]
    return "-".join(part for part in parts if part) + "." + extension(subject.format)


def ascii_filename(name: str) -> str:
    """The name in ASCII (accents dropped, anything else a hyphen), for clients without `filename*`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-") or "download"
