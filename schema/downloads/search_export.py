"""`RecordConnection.export(format)`: a link to the page of search results exactly as shown.

The link's token carries the search as it ran (text, effective scope, offset, limit), so
the download runs the same search again whatever the client's session has become.
Catalogue data is public: anyone who may search may export what they see.
"""

from __future__ import annotations

from typing import Protocol

from adapters.ils.models import SearchQuery
from schema.context import Info
from schema.downloads import formats
from schema.downloads.grants import SearchPage
from schema.downloads.issue import issue_download
from schema.downloads.types import Download, ExportFormat, domain


class SearchedPage(Protocol):
    """A page of results that knows the search it came from (RecordConnection)."""

    @property
    def query(self) -> SearchQuery: ...


def export_search_page(root: SearchedPage, info: Info, format: ExportFormat) -> Download:
    """The page's download link."""
    return issue_download(info, SearchPage(query=root.query, format=domain(formats.ExportFormat, format)))
