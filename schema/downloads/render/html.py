"""HTML files: a standalone, accessible page of a list of records (a page of results, a basket).

Owns the HTML format: a whole document in the file's language (`<html lang>`), its title and
heading, what the file states (the network, the patron, the day as a `<time>`), and one table
with a caption, column headers (`scope="col"`) and each record's title as its row header
(`scope="row"`) linking to the record. The style is inline: no script, font, image or sheet
is loaded from anywhere (the page opens offline). Every value is escaped. Pure.
"""

from __future__ import annotations

from html import escape

from schema.downloads.documents import DocumentInfo, RecordList
from schema.downloads.render.labels import Labels
from schema.downloads.render.table import Table, record_table

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; line-height: 1.4; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border: 1px solid #767676; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #e8e8e8; }
a { color: #0b4f9c; }
@media print { a { color: inherit; text-decoration: none; } }
""".strip()


def _text(value: str) -> str:
    return escape(value, quote=False)


def _attribute(value: str) -> str:
    return escape(value, quote=True)


def _about(info: DocumentInfo, labels: Labels) -> list[str]:
    lines = [f"<p>{_text(info.network)}</p>"]
    if info.patron_name:
        lines.append(f"<p>{_text(labels('prepared_for', name=info.patron_name))}</p>")
    day = labels("produced_on", day=labels.day(info.produced_on))
    lines.append(f'<p><time datetime="{info.produced_on.isoformat()}">{_text(day)}</time></p>')
    return lines


def _table(table: Table, caption: str) -> list[str]:
    lines = ["<table>", f"<caption>{_text(caption)}</caption>", "<thead><tr>"]
    lines += [f'<th scope="col">{_text(column)}</th>' for column in table.columns]
    lines += ["</tr></thead>", "<tbody>"]
    links = table.links or ("",) * len(table.rows)
    for row, link in zip(table.rows, links, strict=True):
        first = _text(row[0])
        if link:
            first = f'<a href="{_attribute(link)}">{first}</a>'
        cells = "".join(f"<td>{_text(value)}</td>" for value in row[1:])
        lines.append(f'<tr><th scope="row">{first}</th>{cells}</tr>')
    lines += ["</tbody>", "</table>"]
    return lines


def render_html(document: RecordList) -> bytes:
    """The records as one HTML page (UTF-8)."""
    info = document.info
    labels = Labels(info.language)
    table = record_table(document, labels, with_links=False)
    heading = table.caption
    caption = f"{heading} — {labels('record_count', count=len(table.rows))}"
    lines = [
        "<!doctype html>",
        f'<html lang="{_attribute(labels.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(heading)} — {_text(info.network)}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_text(heading)}</h1>",
        *_about(info, labels),
    ]
    lines += _table(table, caption) if table.rows else [f"<p>{_text(labels('nothing'))}</p>"]
    lines += ["</main>", "</body>", "</html>", ""]
    return "\n".join(lines).encode("utf-8")
