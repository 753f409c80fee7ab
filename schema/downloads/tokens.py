"""Download tokens: a grant (schema/downloads/grants.py) signed with the gateway's secret key.

Owns signing and verifying. A token is the grant's compact JSON (zlib-compressed when that
is shorter), URL-safe base64, and an HMAC-SHA256 of it with a key derived from the secret
key for this one purpose (itsdangerous, salt below): a session token, a share link or any
other signed value of the gateway can never pass for a download token, nor the reverse.
Verification checks the signature first (nothing unsigned is ever decompressed or parsed),
then the grant's shape, then the expiry with the caller's clock. Never logs a token.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta

from itsdangerous import BadData, URLSafeSerializer

from schema.downloads.grants import DownloadGrant, MalformedGrant, Subject, grant_from_json, grant_to_json

# Purpose of the derived key: a new layout would take a new salt.
_SALT = "ils-gateway.download.v1"
# A token we issue is a few hundred characters (a search text is at most 254); longer is forged.
MAX_TOKEN_LENGTH = 2048


class InvalidDownload(Exception):
    """Not a token this gateway issued: malformed, tampered with, or signed with another key."""


class ExpiredDownload(Exception):
    """A genuine token whose link has expired."""


class DownloadTokens:
    """Issues and verifies download tokens with one secret key and one lifetime."""

    def __init__(self, secret_key: str, ttl: timedelta) -> None:
        self.ttl = ttl
        self._serializer = URLSafeSerializer(
            secret_key,
            salt=_SALT,
            serializer=_CompactJson,
            signer_kwargs={"digest_method": hashlib.sha256},
        )

    def grant(
        self, viewer_id: str | None, staff: bool, subject: Subject, language: str, now: datetime, today: date
    ) -> DownloadGrant:
        """The grant of a link issued now, for this viewer and subject."""
        # Whole seconds: the token carries the expiry as a Unix time.
        expires_at = (now + self.ttl).replace(microsecond=0)
        return DownloadGrant(viewer_id, staff, subject, language, today, expires_at)

    def sign(self, grant: DownloadGrant) -> str:
        """The token of a grant."""
        return self._serializer.dumps(grant_to_json(grant))

    def verify(self, token: str, now: datetime) -> DownloadGrant:
        """The grant of a genuine, unexpired token; InvalidDownload or ExpiredDownload otherwise."""
        if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
            raise InvalidDownload()
        try:
            grant = grant_from_json(self._serializer.loads(token))
        except (BadData, MalformedGrant, UnicodeError) as error:
            raise InvalidDownload() from error
        if now >= grant.expires_at:
            raise ExpiredDownload()
        return grant


class _CompactJson:
    """JSON without spaces (the token travels in a URL); itsdangerous's serializer interface."""

    @staticmethod
    def dumps(value: object) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    @staticmethod
    def loads(text: str | bytes) -> object:
        return json.loads(text)
