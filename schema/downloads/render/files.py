"""Which renderer writes which format: a document and a format in, the file's bytes out. Pure."""

from __future__ import annotations

from schema.downloads.documents import AccountSummary, RecordList
from schema.downloads.formats import ExportFormat, SummaryFormat
from schema.downloads.render.delimited import render_csv, render_tsv
from schema.downloads.render.html import render_html
from schema.downloads.render.labels import Labels
from schema.downloads.render.pdf import render_records_pdf, render_summary_pdf
from schema.downloads.render.ris import render_ris
from schema.downloads.render.table import record_table, summary_table


class UnsupportedFormat(ValueError):
    """A format this gateway has no renderer for (never issued in a token)."""


def render_records(document: RecordList, format: ExportFormat) -> bytes:
    """A page of search results or a basket as a file."""
    labels = Labels(document.info.language)
    if format is ExportFormat.PDF:
        return render_records_pdf(document)
    if format is ExportFormat.CSV:
        return render_csv(record_table(document, labels))
    if format is ExportFormat.HTML:
        return render_html(document)
    if format is ExportFormat.RIS:
        return render_ris(document)
    raise UnsupportedFormat(format.value)


def render_summary(document: AccountSummary, format: SummaryFormat) -> bytes:
    """An account summary as a file."""
    labels = Labels(document.info.language)
    if format is SummaryFormat.PDF:
        return render_summary_pdf(document)
    if format is SummaryFormat.CSV:
        return render_csv(summary_table(document, labels))
    if format is SummaryFormat.TSV:
        return render_tsv(summary_table(document, labels))
    raise UnsupportedFormat(format.value)
