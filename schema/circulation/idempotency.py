"""Claiming an idempotency key for a mutation: the first request with a key runs, the others wait.

Owns the wait: a retry that finds the key claimed by a request still under way (here, in
another worker or replica) polls the store until that request records its result or gives
up the claim, for at most `WAIT_SECONDS`. Never runs the mutation itself.
"""

from __future__ import annotations

import asyncio

from adapters.store.port import PENDING, IdempotencyRepository

# Longer than a write and its confirming re-read take with the ILS's timeouts.
WAIT_SECONDS = 15.0
_FIRST_POLL = 0.005
_LAST_POLL = 0.1


async def claim(records: IdempotencyRepository, key: str, patron_id: str) -> str | None:
    """None when the caller now owns the key; the first request's result; PENDING if it never came."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    poll = _FIRST_POLL
    while True:
        recorded = await records.claim(key, patron_id)
        if recorded != PENDING or loop.time() >= deadline:
            return recorded
        await asyncio.sleep(poll)
        poll = min(poll * 2, _LAST_POLL)
