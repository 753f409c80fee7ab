"""GraphQL answers are encoded by orjson: compact UTF-8 bytes, the same JSON as json.dumps."""

from __future__ import annotations

import json

from gateway.graphql import GraphQLEndpoint


def test_answers_are_compact_utf8_bytes_equal_to_the_standard_encoder() -> None:
    data = {
        "data": {"me": {"displayName": "Léo Œuvray", "loans": [{"id": "TDox", "renewalsLeft": 2}]}},
        "errors": [{"message": "Trop de demandes", "extensions": {"code": "THROTTLED"}, "path": None}],
    }
    encoded = GraphQLEndpoint.encode_json(None, data)  # type: ignore[arg-type]  # no view state used
    assert isinstance(encoded, bytes)
    assert "Léo Œuvray".encode() in encoded  # UTF-8 as is, not \\u escapes
    assert encoded == json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    assert json.loads(encoded) == data
