"""Who is asking: the viewer of a request, as the gateway identified it (no Strawberry, no Starlette)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking. A staff token has `is_staff` and usually no patron."""

    patron_id: str | None
    is_staff: bool = False
    session_id: str | None = None
