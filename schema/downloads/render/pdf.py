"""PDF files: a list of records, or an account summary with one section per account.

Owns the PDF format, drawn with ReportLab (BSD licence) and the Roboto font (Apache 2.0, from
the `font-roboto` package), embedded as a TrueType subset so that French accents, œ and Latin
Extended names ("Dvořák", "Łódź") show and copy as typed. Every page carries the network's
name and the document's heading at the top and "Page n / N" at the bottom; the first page
says who the file is for and the day; tables repeat their header row on each page and wrap
long cells. Document language and title are in the file's metadata. Values are escaped
(ReportLab's paragraphs read markup). Pure: no clock (the output is invariant), no I/O but
reading the font once per process.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache, partial
from importlib.resources import files
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from schema.downloads.documents import AccountSummary, DocumentInfo, RecordList
from schema.downloads.render.labels import Labels
from schema.downloads.render.table import Table, record_table, section_table

REGULAR, BOLD = "Roboto", "Roboto-Bold"
_PAGE = landscape(A4)
_MARGIN = 15 * mm
_WIDTH = _PAGE[0] - 2 * _MARGIN
# Shares of the width per column: records (title, authors, year, type, ISBN, publisher) and
# summary lines (kind, title, authors, type, library, date, status, renewals).
_RECORD_COLUMNS = (0.30, 0.21, 0.05, 0.10, 0.12, 0.22)
_SUMMARY_COLUMNS = (0.10, 0.23, 0.15, 0.10, 0.15, 0.08, 0.10, 0.09)
_GRID = colors.HexColor("#767676")
_HEADER_FILL = colors.HexColor("#e8e8e8")
_PADDING = 4


@cache
def register_fonts() -> None:
    """Make Roboto regular and bold known to ReportLab (once per process: parsing takes a while)."""
    folder = files("font_roboto") / "files"
    for name, file in ((REGULAR, "Roboto-Regular.ttf"), (BOLD, "Roboto-Bold.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


_CELL = ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.5)
_HEAD = ParagraphStyle("head", parent=_CELL, fontName=BOLD)
_TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=4)
_SECTION = ParagraphStyle("section", fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4)
_TEXT = ParagraphStyle("text", fontName=REGULAR, fontSize=10, leading=13)


def _para(text: str, style: ParagraphStyle, link: str | None = None) -> Paragraph:
    body = escape(text)
    if link:
        body = f'<a href="{escape(link, {chr(34): "&quot;"})}" color="#0b4f9c">{body}</a>'
    return Paragraph(body, style)


def _cell(value: str, width: float) -> str | Paragraph:
    # A value that fits on one line is drawn as plain text (the table's FONT), far
    # cheaper than a paragraph (a 1,000-row PDF: 2.2 s -> 0.7 s); a longer one wraps in one.
    if "\n" not in value and stringWidth(value, REGULAR, _CELL.fontSize) <= width - 2 * _PADDING:
        return value
    return _para(value, _CELL)


def _table(table: Table, shares: Sequence[float]) -> LongTable:
    widths = [share * _WIDTH for share in shares]
    header = [_para(column, _HEAD) for column in table.columns]
    links = table.links or (None,) * len(table.rows)
    rows = [
        [
            _para(row[0], _CELL, link) if link else _cell(row[0], widths[0]),
            *(_cell(value, width) for value, width in zip(row[1:], widths[1:], strict=True)),
        ]
        for row, link in zip(table.rows, links, strict=True)
    ]
    drawn = LongTable([header, *rows], colWidths=widths, repeatRows=1)
    drawn.setStyle(
        TableStyle(
            [
                # Plain cells' font (paragraphs have their own); never Helvetica, which is not embedded.
                ("FONT", (0, 0), (-1, -1), REGULAR, _CELL.fontSize),
                ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
                ("GRID", (0, 0), (-1, -1), 0.4, _GRID),
                ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return drawn


def _about(info: DocumentInfo, labels: Labels, heading: str) -> list[Flowable]:
    story: list[Flowable] = [_para(heading, _TITLE), _para(info.network, _TEXT)]
    if info.patron_name:
        story.append(_para(labels("prepared_for", name=info.patron_name), _TEXT))
    story += [_para(labels("produced_on", day=labels.day(info.produced_on)), _TEXT), Spacer(1, 4 * mm)]
    return story


class _NumberedCanvas(Canvas):
    """Draws the running header and "Page n / N" once the number of pages is known."""

    def __init__(self, *args: Any, running_head: str, page_label: Labels, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._running_head = running_head
        self._labels = page_label
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        # Keep the page to number it when the total is known (save): ReportLab's own recipe,
        # which starts the next page with Canvas._startPage (absent from the type stubs).
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._furniture(number, total)
            super().showPage()
        super().save()

    def _furniture(self, number: int, total: int) -> None:
        width, height = _PAGE
        self.setFont(REGULAR, 8)
        self.setFillColor(colors.HexColor("#444444"))
        self.drawString(_MARGIN, height - 10 * mm, self._running_head)
        self.drawCentredString(width / 2, 8 * mm, self._labels("page", page=number, pages=total))


def _build(info: DocumentInfo, labels: Labels, heading: str, story: list[Flowable]) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=_PAGE,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN + 3 * mm,
        bottomMargin=_MARGIN,
        title=heading,
        author=info.network,
        lang=labels.language,
        invariant=True,
        pageCompression=1,
        # Otherwise every page names Helvetica, a font the file does not embed.
        initialFontName=REGULAR,
    )
    running_head = f"{info.network} — {heading}"
    canvas = partial(_NumberedCanvas, running_head=running_head, page_label=labels)
    document.build(story, canvasmaker=canvas)
    return out.getvalue()


def render_records_pdf(document: RecordList) -> bytes:
    """A page of results or a basket as a PDF: one row per record, its title linking to the record."""
    register_fonts()
    labels = Labels(document.info.language)
    table = record_table(document, labels, with_links=False)
    story = _about(document.info, labels, table.caption)
    story.append(_para(labels("record_count", count=len(table.rows)), _TEXT))
    story.append(Spacer(1, 2 * mm))
    story.append(_table(table, _RECORD_COLUMNS) if table.rows else _para(labels("nothing"), _TEXT))
    return _build(document.info, labels, table.caption, story)


def render_summary_pdf(document: AccountSummary) -> bytes:
    """An account summary as a PDF: one section (heading and table) per account."""
    register_fonts()
    labels = Labels(document.info.language)
    heading = labels("summary_title")
    story = _about(document.info, labels, heading)
    story.append(_para(labels.content(document.content), _TEXT))
    for section in document.sections:
        table = section_table(section, labels, labels.day)
        story.append(_para(table.caption, _SECTION))
        story.append(_table(table, _SUMMARY_COLUMNS) if table.rows else _para(labels("nothing"), _TEXT))
    return _build(document.info, labels, heading, story)
