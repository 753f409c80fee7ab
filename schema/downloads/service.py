"""The downloads' configuration as the schema and the route use it: tokens, link and record addresses.

Owns the addresses a download involves: the link of a token (`{public_url}/downloads/{token}`)
and the link to a record written in exports (RIS `UR`, HTML). Built once by the gateway from
its settings; the schema never reads settings itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from schema.downloads.tokens import DownloadTokens

# What the default record link shows: the record's public data, through this gateway.
_RECORD_QUERY = 'query {{ record(id: "{id}") {{ id title authors publicationYear isbn publisher }} }}'


@dataclass(frozen=True, slots=True)
class DownloadService:
    tokens: DownloadTokens
    public_url: str
    network_name: str
    # A URL with `{id}` (where the portal shows a record), or None for the GraphQL GET default.
    record_url_template: str | None = None

    def link(self, token: str) -> str:
        """The address that serves a token's file."""
        return f"{self.public_url.rstrip('/')}/downloads/{token}"

    def record_url(self, record_id: str) -> str:
        """The address of a record, for the exports' links."""
        if self.record_url_template is not None:
            return self.record_url_template.replace("{id}", quote(record_id, safe=""))
        # Ids are ILS ids (no quote or backslash reaches here: they are escaped by JSON rules below).
        literal = record_id.replace("\\", "\\\\").replace('"', '\\"')
        query = urlencode({"query": _RECORD_QUERY.format(id=literal)}, quote_via=quote)
        return f"{self.public_url.rstrip('/')}/graphql?{query}"
