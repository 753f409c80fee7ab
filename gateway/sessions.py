"""Server-side sessions: random tokens, stored as keyed hashes, with idle and absolute expiry.

Owns the token's life: minting, hashing (HMAC-SHA256 with the gateway's secret key), the
expiry decisions (with an injectable clock) and ending. Every request resolves its token:
the record read from the store is kept for `cache_seconds` (adapters/store/read_cache.py),
so a busy session costs no store round trip per request. Expiry is still decided on every
request from the record and the clock; a logout is immediate in this process (the record is
forgotten, and a read under way when it was does not keep what it read) and
reaches the other workers and replicas within `cache_seconds`. Never stores, logs or returns
a token except to the client that signed in; the store only ever sees the hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from adapters.store.port import SessionRecord, SessionStore
from adapters.store.read_cache import ReadCache

# Activity is recorded at most this often: one write per minute per session, not per request.
_TOUCH_EVERY = timedelta(minutes=1)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class OpenedSession:
    """A new session: the token goes to the client once and is never kept in clear."""

    record: SessionRecord
    # Kept out of repr so it never reaches a log line by accident.
    token: str = field(repr=False)


class SessionManager:
    """Opens, resolves and ends sessions over a SessionStore."""

    def __init__(
        self,
        store: SessionStore,
        *,
        secret_key: str,
        idle_timeout: timedelta,
        absolute_timeout: timedelta,
        clock: Callable[[], datetime] = utc_now,
        cache_seconds: float = 0.0,
        cache_timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._records: ReadCache[str, SessionRecord | None] = ReadCache(cache_seconds, timer=cache_timer)
        self._key = secret_key.encode()
        self.idle_timeout = idle_timeout
        self.absolute_timeout = absolute_timeout
        self._clock = clock

    def hash_token(self, token: str) -> str:
        """Keyed hash: a stolen database yields no usable token, nor a way to test guesses."""
        return hmac.new(self._key, token.encode(), hashlib.sha256).hexdigest()

    async def open(self, patron_id: str) -> OpenedSession:
        """Mint a token for a patron who just proved who they are."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        record = await self._store.create_session(
            self.hash_token(token), patron_id, now, now + self.absolute_timeout
        )
        return OpenedSession(token=token, record=record)

    async def resolve(self, token: str) -> SessionRecord | None:
        """The live session of a token, recording activity; None when unknown or expired."""
        if not token or len(token) > 128:
            return None
        token_hash = self.hash_token(token)
        record = await self._records.get(token_hash, lambda: self._store.find_session(token_hash))
        if record is None:
            return None
        now = self._clock()
        if now >= record.expires_at or now >= record.last_seen_at + self.idle_timeout:
            await self._store.delete_session(token_hash)
            self._records.forget(token_hash)
            return None
        if now - record.last_seen_at >= _TOUCH_EVERY:
            await self._store.touch_session(record.id, now)
            self._records.forget(token_hash)  # read again next time, with the new last_seen_at
        return record

    async def end(self, token: str) -> bool:
        """Logout: the session ends for every client that holds the token."""
        if not token:
            return False
        token_hash = self.hash_token(token)
        try:
            return await self._store.delete_session(token_hash)
        finally:
            self._records.forget(token_hash)

    async def purge(self) -> int:
        """Delete expired and idle sessions (run periodically)."""
        now = self._clock()
        return await self._store.delete_sessions_before(now, now - self.idle_timeout)
