"""Opaque GraphQL ids of loans and holds: the account's card number and the ILS's own id.

Carrying the card number lets a mutation check the viewer's right to the
account before asking the ILS anything. Never trusted: a malformed id decodes to None.
"""

from __future__ import annotations

from typing import NamedTuple

_SEPARATOR = ":"


class AccountRef(NamedTuple):
    patron_id: str
    ils_id: str


def encode_ref(patron_id: str, ils_id: str) -> str:
    """`<card>:<ils id>` (card numbers never contain the separator)."""
    return f"{patron_id}{_SEPARATOR}{ils_id}"


def decode_ref(value: str) -> AccountRef | None:
    """The card number and ILS id of a loan or hold id; None when malformed."""
    patron_id, separator, ils_id = value.partition(_SEPARATOR)
    if not separator or not patron_id or not ils_id:
        return None
    return AccountRef(patron_id, ils_id)
