"""RIS files (Research Information Systems), as Zotero and other reference managers import them.

Owns the RIS format: one reference per record, `TY` first and `ER` last, each tag as
`XX  - value` on its own line (CRLF), in UTF-8. Tags: TY (by document type), TI, AU (one per
author), PY, SN (the ISBN), PB, LA (the ILS's ISO 639-2 code), M3 (the document type in the
file's language), DB (the network, Zotero's "Library Catalog") and UR (the record's link).
RIS is line-based: a line break inside a value would start a forged tag, so breaks become
spaces. Pure.
"""

from __future__ import annotations

import re

from adapters.ils.models import DocumentType
from schema.downloads.documents import RecordEntry, RecordList
from schema.downloads.render.labels import Labels

# RIS reference types; Zotero maps BOOK/EBOOK to a book, VIDEO to a video recording, SOUND to an
# audio recording, MGZN to a magazine article, MUSIC to a score (RIS 2011), GEN to a document.
_TYPES = {
    DocumentType.BOOK: "BOOK",
    DocumentType.COMIC: "BOOK",
    DocumentType.DVD: "VIDEO",
    DocumentType.MUSIC_CD: "SOUND",
    DocumentType.MAGAZINE: "MGZN",
    DocumentType.EBOOK: "EBOOK",
    DocumentType.AUDIOBOOK: "SOUND",
    DocumentType.GAME: "GEN",
    DocumentType.SCORE: "MUSIC",
    DocumentType.OTHER: "GEN",
}
_BREAKS = re.compile(r"[ \t]*[\r\n\u0085\u2028\u2029]+[ \t]*")


def reference_type(kind: DocumentType) -> str:
    """The RIS `TY` of a document type."""
    return _TYPES[kind]


def _line(tag: str, value: str) -> str:
    return f"{tag}  - {_BREAKS.sub(' ', value).strip()}"


def _reference(entry: RecordEntry, labels: Labels, network: str) -> list[str]:
    title = entry.title
    lines = [_line("TY", reference_type(title.document_type)), _line("TI", title.title)]
    lines += [_line("AU", author) for author in title.authors]
    optional = (
        ("PY", None if title.publication_year is None else str(title.publication_year)),
        ("SN", title.isbn),
        ("PB", title.publisher),
        ("LA", title.language),
    )
    lines += [_line(tag, value) for tag, value in optional if value]
    lines += [
        _line("M3", labels.document_type(title.document_type)),
        _line("DB", network),
        _line("UR", entry.url),
        # The end tag has nothing after its dash.
        "ER  - ",
    ]
    return lines


def render_ris(document: RecordList) -> bytes:
    """The records as RIS references, in order."""
    labels = Labels(document.info.language)
    references = (
        "".join(line + "\r\n" for line in _reference(entry, labels, document.info.network))
        for entry in document.records
    )
    # A blank line between references, as reference managers write them.
    return "\r\n".join(references).encode("utf-8")
