"""The mail queue's repository on SQLite and PostgreSQL: one mail per key, claimed once, erased once sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.mail.port import MailState, OutgoingMail
from adapters.store.database import Database
from adapters.store.outgoing_mail import SqlOutgoingMailRepository
from adapters.store.tables import OutgoingMailRow
from tests.integration.store_db import database

__all__ = ["database"]

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LEASE = timedelta(minutes=5)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def mail(key: str = "share-request:1", to: str = "ines.martin@example.org") -> OutgoingMail:
    return OutgoingMail(to, "fr", "new_arrivals", {"lists": [{"title": "Nouveautés"}]}, key)


async def test_a_key_is_recorded_once(database: Database) -> None:
    queue = SqlOutgoingMailRepository(database.sessions, Clock())
    first, created = await queue.add(mail())
    again, created_again = await queue.add(mail(to="other@example.org"))
    assert (created, created_again) == (True, False) and again == first
    assert (first.state, first.attempts, first.next_attempt_at, first.created_at) == (
        MailState.QUEUED,
        0,
        NOW,
        NOW,
    )
    assert await queue.statuses(["share-request:1", "unknown"]) == {"share-request:1": first}
    assert await queue.statuses([]) == {}


async def test_a_due_mail_is_claimed_by_one_sender_only(database: Database) -> None:
    clock = Clock()
    queue = SqlOutgoingMailRepository(database.sessions, clock)
    status, _ = await queue.add(mail())
    assert await queue.due(10) == [status.id]
    claimed = await queue.claim(status.id, LEASE)
    assert claimed is not None and (claimed.to, claimed.attempt, claimed.context) == (
        "ines.martin@example.org",
        1,
        {"lists": [{"title": "Nouveautés"}]},
    )
    assert await queue.claim(status.id, LEASE) is None  # held by the first
    assert await queue.due(10) == [] and await queue.next_due() == NOW + LEASE

    # The holder died: once its lease is over, another sender takes the mail over...
    clock.now = NOW + LEASE
    taken = await queue.claim(status.id, LEASE)
    assert taken is not None and taken.attempt == 2
    # ...and the first one's late answer changes nothing.
    assert await queue.mark_sent(claimed) is None
    sent = await queue.mark_sent(taken)
    assert sent is not None and (sent.state, sent.sent_at, sent.next_attempt_at) == (
        MailState.SENT,
        NOW + LEASE,
        None,
    )
    assert await queue.claim(status.id, LEASE) is None and await queue.next_due() is None


async def test_sent_or_failed_mail_keeps_no_address_nor_content(database: Database) -> None:
    queue = SqlOutgoingMailRepository(database.sessions, Clock())
    sent_status, _ = await queue.add(mail("a"))
    failed_status, _ = await queue.add(mail("b", to="nobody@example.org"))
    sent_claim = await queue.claim(sent_status.id, LEASE)
    failed_claim = await queue.claim(failed_status.id, LEASE)
    assert sent_claim is not None and failed_claim is not None
    await queue.mark_sent(sent_claim)
    failed = await queue.mark_failed(failed_claim, "recipient-refused 550")
    assert failed is not None and (failed.state, failed.last_error) == (
        MailState.FAILED,
        "recipient-refused 550",
    )
    async with database.sessions() as session:
        for mail_id in (sent_status.id, failed_status.id):
            row = await session.get_one(OutgoingMailRow, mail_id)
            assert (row.recipient, row.context) == ("", {})


async def test_a_failed_attempt_waits_for_its_retry(database: Database) -> None:
    clock = Clock()
    queue = SqlOutgoingMailRepository(database.sessions, clock)
    status, _ = await queue.add(mail())
    later, _ = await queue.add(mail("later"))
    claimed = await queue.claim(status.id, LEASE)
    assert claimed is not None
    retry_at = NOW + timedelta(seconds=30)
    retrying = await queue.mark_retry(claimed, "connect", retry_at)
    assert retrying is not None and (retrying.state, retrying.attempts, retrying.last_error) == (
        MailState.RETRYING,
        1,
        "connect",
    )
    assert retrying.next_attempt_at == retry_at
    assert await queue.due(10) == [later.id] and await queue.next_due() == NOW
    clock.now = retry_at
    assert await queue.due(10) == [later.id, status.id]  # the longest waiting first
    assert await queue.due(1) == [later.id]
