"""Accept tokens of share requests: a request id and a random nonce, signed with the gateway's key.

Owns issuing and reading them, and the CSRF token of the confirmation page. A token is the
URL-safe JSON {request id, nonce} with an HMAC-SHA256 (itsdangerous, a key derived for this
one purpose, so no other signed value of the gateway passes for one). The store keeps only
the keyed hash of the nonce; accepting compares it and clears it, so a token works once and
only for its own request. The page's CSRF token is an HMAC of the share token under another
derived key: a form can only be posted with the token it was shown for. Never logs a token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadData, URLSafeSerializer

_SALT = "ils-gateway.share-accept.v1"
_NONCE_KEY = b"ils-gateway.share-accept.nonce.v1"
_CSRF_KEY = b"ils-gateway.share-accept.csrf.v1"
# A token we issue is about 120 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 512


class InvalidAcceptToken(Exception):
    """Not a token this gateway issued (malformed, tampered with, another key)."""


@dataclass(frozen=True, slots=True)
class AcceptClaims:
    """What a genuine token says: its request, and the hash the store must hold for it."""

    request_id: str
    nonce_hash: str


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    nonce_hash: str


class AcceptTokens:
    """Issues and reads accept tokens, and makes and checks the page's CSRF tokens, with one key."""

    def __init__(self, secret_key: str) -> None:
        self._key = secret_key.encode()
        self._serializer = URLSafeSerializer(
            secret_key, salt=_SALT, signer_kwargs={"digest_method": hashlib.sha256}
        )

    def issue(self, request_id: str) -> IssuedToken:
        nonce = secrets.token_urlsafe(18)
        token = self._serializer.dumps({"r": request_id, "n": nonce})
        return IssuedToken(token, self._nonce_hash(nonce))

    def read(self, token: str) -> AcceptClaims:
        if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
            raise InvalidAcceptToken()
        try:
            payload = self._serializer.loads(token)
        except BadData as error:
            raise InvalidAcceptToken() from error
        if not isinstance(payload, dict) or set(payload) != {"r", "n"}:
            raise InvalidAcceptToken()
        request_id, nonce = payload["r"], payload["n"]
        if not isinstance(request_id, str) or not isinstance(nonce, str):
            raise InvalidAcceptToken()
        return AcceptClaims(request_id, self._nonce_hash(nonce))

    def csrf(self, token: str) -> str:
        """The CSRF token of the confirmation page shown for `token`."""
        return hmac.new(self._derived(_CSRF_KEY), token.encode(), hashlib.sha256).hexdigest()

    def csrf_matches(self, token: str, csrf: str) -> bool:
        return hmac.compare_digest(self.csrf(token), csrf)

    def _nonce_hash(self, nonce: str) -> str:
        return hmac.new(self._derived(_NONCE_KEY), nonce.encode(), hashlib.sha256).hexdigest()

    def _derived(self, purpose: bytes) -> bytes:
        return hmac.new(self._key, purpose, hashlib.sha256).digest()
