"""Every format a download can be asked in has a renderer, and each renderer's output is that format."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest
import rispy

from adapters.ils.models import DocumentType, Title
from schema.downloads.documents import AccountSection, AccountSummary, DocumentInfo, RecordEntry, RecordList
from schema.downloads.formats import ExportFormat, SummaryContent, SummaryFormat
from schema.downloads.render.files import render_records, render_summary
from schema.downloads.render.ris import reference_type

INFO = DocumentInfo("Réseau des bibliothèques", "Zoé Dvořák", date(2026, 12, 1), "fr")
TITLE = Title("T1", "Łódź : cœur", ("Antonín Dvořák",), 1893, DocumentType.SCORE, None, None, False)
RECORDS = RecordList(INFO, True, "Œuvres", (RecordEntry(TITLE, "https://example.org/T1"),))
SUMMARY = AccountSummary(INFO, SummaryContent.LOANS_AND_HOLDS, (AccountSection("1", "Zoé Dvořák", (), ()),))
LOOKS = {
    "PDF": b"%PDF-",
    "CSV": b"\xef\xbb\xbf",
    "TSV": b"\xef\xbb\xbf",
    "HTML": b"<!doctype html>",
    "RIS": b"TY  - ",
}


@pytest.mark.parametrize("format", list(ExportFormat))
def test_every_export_format_renders(format: ExportFormat) -> None:
    assert render_records(RECORDS, format).startswith(LOOKS[format.value])


@pytest.mark.parametrize("format", list(SummaryFormat))
def test_every_summary_format_renders(format: SummaryFormat) -> None:
    assert render_summary(SUMMARY, format).startswith(LOOKS[format.value])


@pytest.mark.parametrize("kind", list(DocumentType))
def test_every_document_type_has_a_ris_type(kind: DocumentType) -> None:
    record = RecordList(
        INFO, True, "x", (RecordEntry(Title("T", "t", (), None, kind, None, None, False), "u"),)
    )

    (reference,) = rispy.loads(render_records(record, ExportFormat.RIS).decode())

    assert reference["type_of_reference"] == reference_type(kind)


def test_an_empty_summary_section_says_so() -> None:
    text = pypdf.PdfReader(io.BytesIO(render_summary(SUMMARY, SummaryFormat.PDF))).pages[0].extract_text()

    assert "Zoé Dvořák — carte 1" in text
    assert "Rien à signaler." in text
