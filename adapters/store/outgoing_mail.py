"""The SQL repository of the mailer's queue (adapters/mail/queue.py): one row per mail, by idempotency key.

Owns the queries on outgoing_mail. Sending is claimed: a sender takes a due mail with one
UPDATE that moves its next attempt to the end of a lease and counts the attempt, so two
workers (or a worker and `send-alerts`) never both send it; a sender that dies leaves the
lease to expire and the mail is tried again. The outcome is recorded only by the claimant
of that attempt (the attempt number fences a sender whose lease ran out). Once sent or
refused for good, the address and the content are erased: only the state stays.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.mail.port import MailState, MailStatus, OutgoingMail
from adapters.store.tables import OutgoingMailRow

_PENDING = (MailState.QUEUED.value, MailState.RETRYING.value)


@dataclass(frozen=True, slots=True)
class ClaimedMail:
    """A mail a sender now holds for `attempt` (its number, from 1)."""

    id: str
    key: str
    to: str
    language: str
    template: str
    context: dict[str, Any]
    attempt: int
    created_at: datetime


def _status(row: OutgoingMailRow) -> MailStatus:
    state = MailState(row.state)
    return MailStatus(
        key=row.key,
        id=row.id,
        template=row.template,
        state=state,
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at if row.state in _PENDING else None,
        sent_at=row.sent_at,
    )


class SqlOutgoingMailRepository:
    """The mail queue over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    async def add(self, mail: OutgoingMail) -> tuple[MailStatus, bool]:
        """Record the mail, due now; (its status, True) — or the key's first mail and False."""
        now = self._clock()
        row = OutgoingMailRow(
            id=uuid.uuid4().hex,
            key=mail.key,
            template=mail.template,
            language=mail.language,
            recipient=mail.to,
            context=dict(mail.context),
            state=MailState.QUEUED.value,
            attempts=0,
            created_at=now,
            next_attempt_at=now,
        )
        try:
            async with self._sessions.begin() as session:
                session.add(row)
            return _status(row), True
        except IntegrityError:
            existing = await self.statuses([mail.key])
            return existing[mail.key], False

    async def statuses(self, keys: Sequence[str]) -> dict[str, MailStatus]:
        if not keys:
            return {}
        query = select(OutgoingMailRow).where(OutgoingMailRow.key.in_(list(keys)))
        async with self._sessions() as session:
            return {row.key: _status(row) for row in await session.scalars(query)}

    async def due(self, limit: int) -> list[str]:
        """Ids of the mails due now, the longest waiting first."""
        query = (
            select(OutgoingMailRow.id)
            .where(OutgoingMailRow.state.in_(_PENDING), OutgoingMailRow.next_attempt_at <= self._clock())
            .order_by(OutgoingMailRow.next_attempt_at, OutgoingMailRow.id)
            .limit(limit)
        )
        async with self._sessions() as session:
            return list(await session.scalars(query))

    async def next_due(self) -> datetime | None:
        """When the next pending mail is due (None: nothing pending)."""
        query = (
            select(OutgoingMailRow.next_attempt_at)
            .where(OutgoingMailRow.state.in_(_PENDING))
            .order_by(OutgoingMailRow.next_attempt_at)
            .limit(1)
        )
        async with self._sessions() as session:
            return await session.scalar(query)

    async def claim(self, mail_id: str, lease: timedelta) -> ClaimedMail | None:
        """Hold a due mail for one attempt, until now + lease; None if it is not due or another holds it."""
        now = self._clock()
        async with self._sessions.begin() as session:
            taken = await session.execute(
                update(OutgoingMailRow)
                .where(
                    OutgoingMailRow.id == mail_id,
                    OutgoingMailRow.state.in_(_PENDING),
                    OutgoingMailRow.next_attempt_at <= now,
                )
                .values(next_attempt_at=now + lease, attempts=OutgoingMailRow.attempts + 1)
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                return None
            row = await session.get_one(OutgoingMailRow, mail_id, populate_existing=True)
            return ClaimedMail(
                row.id,
                row.key,
                row.recipient,
                row.language,
                row.template,
                dict(row.context),
                row.attempts,
                row.created_at,
            )

    async def mark_sent(self, claimed: ClaimedMail) -> MailStatus | None:
        """The attempt succeeded: SENT, address and content erased (None: the attempt is not ours now)."""
        erased = {"recipient": "", "context": {}}
        return await self._finish(
            claimed, state=MailState.SENT, sent_at=self._clock(), next_attempt_at=None, **erased
        )

    async def mark_retry(self, claimed: ClaimedMail, error: str, at: datetime) -> MailStatus | None:
        """The attempt failed: RETRYING, tried again at `at`."""
        return await self._finish(claimed, state=MailState.RETRYING, last_error=error, next_attempt_at=at)

    async def mark_failed(self, claimed: ClaimedMail, error: str) -> MailStatus | None:
        """Refused for good: FAILED, never tried again, address and content erased."""
        return await self._finish(
            claimed, state=MailState.FAILED, last_error=error, next_attempt_at=None, recipient="", context={}
        )

    async def _finish(self, claimed: ClaimedMail, *, state: MailState, **values: Any) -> MailStatus | None:
        async with self._sessions.begin() as session:
            done = await session.execute(
                update(OutgoingMailRow)
                .where(
                    OutgoingMailRow.id == claimed.id,
                    OutgoingMailRow.attempts == claimed.attempt,
                    OutgoingMailRow.state.in_(_PENDING),
                )
                .values(state=state.value, **values)
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]
                return None
            row = await session.get_one(OutgoingMailRow, claimed.id, populate_existing=True)
            return _status(row)
