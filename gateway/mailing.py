"""The gateway's mailer from its settings: SMTP (`GATEWAY_SMTP_URL`) or the outbox folder, over the store.

Owns the assembly only (adapters/mail does the work), shared by `serve` (with the
background sender) and `send-alerts`. Never prints the SMTP password.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.mail.queue import Mailer
from adapters.mail.smtp_url import parse_smtp_url
from adapters.mail.transport import transport_for
from adapters.store.outgoing_mail import SqlOutgoingMailRepository
from gateway.settings import Settings


def open_mailer(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    clock: Callable[[], datetime],
    *,
    tls_context: ssl.SSLContext | None = None,
) -> Mailer:
    """The mail queue in the store, sending through SMTP or into the outbox folder."""
    endpoint = parse_smtp_url(settings.smtp_url) if settings.smtp_url else None
    return Mailer(
        SqlOutgoingMailRepository(sessions, clock),
        transport_for(endpoint, settings.mail_outbox, tls_context=tls_context),
        sender=settings.mail_from,
        clock=clock,
    )


def mail_destination(settings: Settings) -> str:
    """Where mail goes, for the start-up banner: the SMTP server (no password) or the outbox folder."""
    if settings.smtp_url:
        return parse_smtp_url(settings.smtp_url).describe()
    return f"{settings.mail_outbox.resolve()} (.eml files; set GATEWAY_SMTP_URL to send)"
