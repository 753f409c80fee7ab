"""CSV and TSV files: a header row, then one row per record, loan or hold.

Owns the delimited formats. UTF-8 with a byte-order mark, so spreadsheets open accents
right; CSV as RFC 4180 (commas, quotes doubled, CRLF); TSV as text/tab-separated-values
(no quoting exists there, so tabs and line breaks inside a value become spaces). A cell
that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe
(OWASP's advice on CSV injection): a title or basket name is text, never a formula. Pure.
"""

from __future__ import annotations

import csv
import io
import re

from schema.downloads.render.table import Table

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TSV_BREAKS = re.compile(r"[\t\r\n]+")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def render_csv(table: Table) -> bytes:
    """The table as CSV (UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([_cell(value) for value in row] for row in table.rows)
    return (BOM + out.getvalue()).encode("utf-8")


def render_tsv(table: Table) -> bytes:
    """The table as TSV (UTF-8 with BOM)."""
    lines = ["\t".join(_tsv(value) for value in table.columns)]
    lines += ["\t".join(_tsv(_cell(value)) for value in row) for row in table.rows]
    return (BOM + "\r\n".join(lines) + "\r\n").encode("utf-8")


def _tsv(value: str) -> str:
    return _TSV_BREAKS.sub(" ", value)
