"""Per-request memo of the accepted shares a viewer may see (read from the portal store).

Authorization asks it for every patron-scoped field; the store is asked once per viewer
and request. Never caches across requests: a revoked share ends at once. Expiry is the
access rule's (schema/access.py): shares come back as stored.
"""

from __future__ import annotations

import asyncio

from adapters.store.port import Share, ShareRepository


class ShareDirectory:
    """`ShareRepository.seen_by` memoized for one request (concurrent askers share one store call)."""

    def __init__(self, shares: ShareRepository) -> None:
        self._shares = shares
        self._pending: dict[str, asyncio.Task[list[Share]]] = {}

    async def seen_by(self, viewer_id: str) -> list[Share]:
        """Accepted shares whose viewer is `viewer_id`."""
        task = self._pending.get(viewer_id)
        if task is None:
            task = asyncio.ensure_future(self._shares.seen_by(viewer_id))
            self._pending[viewer_id] = task
        return list(await asyncio.shield(task))

    def known(self, viewer_id: str) -> list[Share] | None:
        """The shares if this request has already read them, without waiting; None otherwise.

        Lets authorization decide synchronously (no coroutine per field) once the one store
        read is done; a failed read answers None, so the awaiting path raises its error.
        """
        task = self._pending.get(viewer_id)
        if task is None or not task.done() or task.cancelled() or task.exception() is not None:
            return None
        return list(task.result())

    def clear(self, viewer_id: str) -> None:
        """Forget a viewer's shares (after a change to them)."""
        self._pending.pop(viewer_id, None)
