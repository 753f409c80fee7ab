"""What the schema may ask of the portal store. The SQLAlchemy repositories implement it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Share:
    """An accepted share: `viewer_id` may see `owner_id`'s loans and holds, and renew its loans."""

    id: str
    owner_id: str
    viewer_id: str
    since: datetime


class PortalStore(Protocol):
    async def shares_seen_by(self, viewer_id: str) -> list[Share]:
        """Accepted shares whose viewer is `viewer_id` (the accounts it may see)."""
        ...

    async def shares_of(self, owner_id: str) -> list[Share]:
        """Accepted shares whose owner is `owner_id` (who may see it)."""
        ...

    async def create_share(self, owner_id: str, viewer_id: str) -> Share:
        """Record an accepted share (demo seeding; the request/accept flow comes later)."""
        ...

    async def idempotent_result(self, key: str, patron_id: str) -> str | None:
        """The recorded result (opaque JSON) of an earlier request with this key, if any."""
        ...

    async def record_idempotent_result(self, key: str, patron_id: str, result: str) -> None:
        """Record the result of a request with this key; the first record wins."""
        ...


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A signed-in session as stored: the token itself is never stored, only its keyed hash."""

    id: str
    patron_id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


class SessionStore(Protocol):
    """Server-side sessions, looked up by the keyed hash of their token."""

    async def create_session(
        self, token_hash: str, patron_id: str, now: datetime, expires_at: datetime
    ) -> SessionRecord:
        """Record a new session (absolute expiry `expires_at`)."""
        ...

    async def find_session(self, token_hash: str) -> SessionRecord | None:
        """The session with that token hash, if any (expiry is the caller's decision)."""
        ...

    async def touch_session(self, session_id: str, now: datetime) -> None:
        """Record activity (for the idle expiry)."""
        ...

    async def delete_session(self, token_hash: str) -> bool:
        """End a session; True if one was ended."""
        ...

    async def delete_sessions_before(self, now: datetime, idle_since: datetime) -> int:
        """Purge sessions past their absolute expiry or idle since `idle_since`; how many."""
        ...
