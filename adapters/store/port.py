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
