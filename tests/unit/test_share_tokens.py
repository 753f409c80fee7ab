"""Accept tokens (schema/sharing/tokens.py): genuine ones read back; anything else is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from schema.downloads.tokens import DownloadTokens
from schema.sharing.tokens import AcceptTokens, InvalidAcceptToken

TOKENS = AcceptTokens("secret-key")


def test_a_token_names_its_request_and_the_hash_the_store_keeps() -> None:
    issued = TOKENS.issue("r1")

    claims = TOKENS.read(issued.token)

    assert claims.request_id == "r1" and claims.nonce_hash == issued.nonce_hash
    assert issued.nonce_hash not in issued.token  # the store's value never travels


def test_every_token_is_new() -> None:
    first, second = TOKENS.issue("r1"), TOKENS.issue("r1")
    assert first.token != second.token and first.nonce_hash != second.nonce_hash


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: "x" + t,
        lambda t: t.split(".")[0],
        lambda t: "",
        lambda t: "é" + t,
        lambda t: t * 10,
    ],
    ids=["signature", "payload", "unsigned", "empty", "non-ascii", "too-long"],
)
def test_a_changed_token_is_refused(forge: object) -> None:
    token = TOKENS.issue("r1").token
    with pytest.raises(InvalidAcceptToken):
        TOKENS.read(forge(token))  # type: ignore[operator]


def test_a_token_of_another_key_or_purpose_is_refused() -> None:
    with pytest.raises(InvalidAcceptToken):
        TOKENS.read(AcceptTokens("another-key").issue("r1").token)
    download = DownloadTokens("secret-key", timedelta(minutes=5))
    signed = download._serializer.dumps({"r": "r1", "n": "x"})  # same key, the downloads' purpose
    with pytest.raises(InvalidAcceptToken):
        TOKENS.read(signed)


def test_the_page_s_csrf_token_is_bound_to_its_share_token() -> None:
    one, other = TOKENS.issue("r1").token, TOKENS.issue("r2").token

    assert TOKENS.csrf_matches(one, TOKENS.csrf(one))
    assert not TOKENS.csrf_matches(other, TOKENS.csrf(one))
    assert not TOKENS.csrf_matches(one, "")
    assert not AcceptTokens("another-key").csrf_matches(one, TOKENS.csrf(one))
