"""The one write-and-confirm path of every circulation and profile write.

Owns the outcome of a write to the ILS (`WriteResult`: APPLIED, REFUSED with the ILS's own
words, NOT_APPLIED, OUTCOME_UNKNOWN) and how a lost answer is settled: by re-reading the
ILS's state (`reconcile`), never by sending the write again. Owns turning an outcome into the
one `UserError` a payload carries. Never retries a write; never says NOT_APPLIED unless the
ILS's state (or a failure before sending) proves it.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from adapters.errors import (
    GatewayError,
    IlsRejected,
    IlsUnavailable,
    LocalProtocolError,
    OutcomeUnknown,
    PeerProtocolError,
)
from adapters.ils.budget import request_budget
from schema.i18n import translate
from schema.payload import UserError, user_error

_log = logging.getLogger(__name__)

Answer = TypeVar("Answer")


class Outcome(enum.Enum):
    """What became of one write."""

    APPLIED = "APPLIED"
    REFUSED = "REFUSED"
    NOT_APPLIED = "NOT_APPLIED"
    # The answer was lost and re-reading the ILS failed too: nobody knows.
    OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN"


@dataclass(frozen=True, slots=True)
class WriteResult(Generic[Answer]):
    """The outcome, the ILS's answer when one came back, its own words when it refused."""

    outcome: Outcome
    answer: Answer | None = None
    message: str | None = None
    # True when the outcome was learnt by re-reading the ILS after a lost answer.
    reconciled: bool = False

    @property
    def applied(self) -> bool:
        return self.outcome is Outcome.APPLIED


async def write_and_confirm(
    operation: str,
    write: Callable[[], Awaitable[Answer]],
    reconcile: Callable[[], Awaitable[bool]],
    *,
    refusal: Callable[[Answer], str | None] = lambda answer: None,
) -> WriteResult[Answer]:
    """Send `write` once; on a lost answer ask `reconcile` (a re-read) whether it was applied.

    `refusal` reads an answer that came back: the ILS's message when it says no, else None.
    """
    try:
        answer = await write()
    except (OutcomeUnknown, PeerProtocolError) as lost:
        # Sent, and what came back (nothing, or garbage) says nothing about the ILS's state.
        _log.info("%s: answer lost (%s); re-reading the ILS", operation, type(lost).__name__)
        return await _reconcile(operation, reconcile)
    except IlsRejected as refused:
        return WriteResult(Outcome.REFUSED, message=refused.message)
    except (IlsUnavailable, LocalProtocolError):
        # Failed before the request left (refused connection, open breaker, value not sendable).
        return WriteResult(Outcome.NOT_APPLIED)
    message = refusal(answer)
    if message is not None:
        return WriteResult(Outcome.REFUSED, answer, message)
    return WriteResult(Outcome.APPLIED, answer)


async def _reconcile(operation: str, reconcile: Callable[[], Awaitable[bool]]) -> WriteResult[Answer]:
    try:
        # Outside the request's time budget: a lost answer often spent it already, and settling
        # the outcome is worth the wait (else the patron is told "nobody knows").
        with request_budget(None):
            applied = await reconcile()
    except GatewayError as error:
        _log.warning("%s: outcome unknown, re-reading failed (%s)", operation, type(error).__name__)
        return WriteResult(Outcome.OUTCOME_UNKNOWN, reconciled=True)
    return WriteResult(Outcome.APPLIED if applied else Outcome.NOT_APPLIED, reconciled=True)


def outcome_error(
    result: WriteResult[Any], language: str, field: Sequence[str] | None = None
) -> UserError | None:
    """The payload's UserError for an outcome (None when applied)."""
    if result.outcome is Outcome.APPLIED:
        return None
    if result.outcome is Outcome.REFUSED:
        message = translate("ILS_REFUSED", language, message=result.message or "")
        return UserError(code="ILS_REFUSED", message=message, field=list(field) if field else None)
    return user_error(result.outcome.value, language, field)
