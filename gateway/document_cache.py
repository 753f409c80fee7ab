"""The parsed documents and their validation results, kept in an LRU bounded by bytes.

Owns the cache of the DocumentGuard (gateway/security.py): query text → parsed document,
its measure and its validation errors per rule set. Each entry is charged its text plus an
estimate of the parsed tree (`BYTES_PER_TOKEN` per token, measured with tracemalloc on the
contract's operations and on token-dense documents: 270 to 600 bytes a token), so unique
documents, however many, cannot hold more than the budget. Entries larger than the whole
budget are used once and not kept. Holds no request data but the query text.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from cachetools import LRUCache
from graphql import DocumentNode, GraphQLError

from gateway.document_measure import DocumentMeasure

BYTES_PER_TOKEN = 600
# The validation errors and measure kept beside the tree, a fixed charge per entry.
ENTRY_OVERHEAD = 2048
_NO_DOCUMENT = DocumentNode(definitions=())


def estimated_size(query: str, document: DocumentNode) -> int:
    """Bytes the entry holds: the text (UTF-8) and the parsed tree."""
    tokens = 0
    token = document.loc.start_token if document.loc is not None else None
    while token is not None:
        tokens += 1
        token = token.next
    return len(query.encode("utf-8", "surrogatepass")) + tokens * BYTES_PER_TOKEN + ENTRY_OVERHEAD


@dataclass(slots=True)
class CachedDocument:
    """One query text: its tree (or its syntax error), its measure once taken, its validation errors."""

    document: DocumentNode
    size: int
    measure: DocumentMeasure | None = None
    validations: dict[Hashable, tuple[GraphQLError, ...]] = field(default_factory=dict)
    syntax_error: GraphQLError | None = None


class DocumentCache:
    """Query text → CachedDocument, least recently used first out, `max_bytes` in all."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: LRUCache[str, CachedDocument] = LRUCache(
            maxsize=max_bytes, getsizeof=lambda entry: entry.size
        )

    def get(self, query: str) -> CachedDocument | None:
        return self._entries.get(query)

    def put(self, query: str, document: DocumentNode) -> CachedDocument:
        """The entry for `query`, kept unless it alone exceeds the budget."""
        return self._keep(query, CachedDocument(document, estimated_size(query, document)))

    def put_error(self, query: str, error: GraphQLError) -> CachedDocument:
        """The entry for a `query` that does not parse: its syntax error, and an empty tree."""
        size = len(query.encode("utf-8", "surrogatepass")) + ENTRY_OVERHEAD
        return self._keep(query, CachedDocument(_NO_DOCUMENT, size, syntax_error=error))

    def _keep(self, query: str, entry: CachedDocument) -> CachedDocument:
        if entry.size <= self.max_bytes:
            self._entries[query] = entry
        return entry

    @property
    def current_bytes(self) -> int:
        return int(self._entries.currsize)

    def __len__(self) -> int:
        return len(self._entries)
