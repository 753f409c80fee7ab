"""SQLAlchemy table models of the portal store: sessions, shares, idempotency keys, portal data.

Owns the mapping to SQL only. Never stores a raw session token (only its keyed hash), a
password or a birth date. Migrations in `migrations/` must match these models.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC out, stored as naive UTC on every dialect.

    SQLite keeps no offset; storing naive UTC everywhere keeps both dialects identical.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class SessionRow(Base):
    __tablename__ = "sessions"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_sessions_token_hash"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # HMAC-SHA256 of the token with the gateway's secret key, hex.
    token_hash: Mapped[str] = mapped_column(String(64))
    patron_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class ShareRow(Base):
    __tablename__ = "shares"
    __table_args__ = (
        UniqueConstraint("owner_id", "viewer_id", name="uq_shares_owner_viewer"),
        Index("ix_shares_viewer_id", "viewer_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_id: Mapped[str] = mapped_column(String(64))
    viewer_id: Mapped[str] = mapped_column(String(64))
    since: Mapped[datetime] = mapped_column(UtcDateTime())
    # adapters.store.port.ShareScope
    scope: Mapped[str] = mapped_column(String(16), default="VIEW_AND_RENEW", server_default="VIEW_AND_RENEW")
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # The request it was accepted from (None: made otherwise, as the demo's): its history is the share's.
    request_id: Mapped[str | None] = mapped_column(String(32), nullable=True)


class ShareRequestRow(Base):
    __tablename__ = "share_requests"
    __table_args__ = (
        Index("ix_share_requests_requester_id", "requester_id", "created_at"),
        Index("ix_share_requests_owner_id", "owner_id"),
        Index("ix_share_requests_status_expires_at", "status", "expires_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    requester_id: Mapped[str] = mapped_column(String(64))
    # The card asked for, normalized; owner_id is the same card when the ILS knows it, else NULL.
    card_number: Mapped[str] = mapped_column(String(64))
    owner_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # adapters.store.share_port.ShareDelivery and ShareRequestStatus
    delivery: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    language: Mapped[str] = mapped_column(String(8))
    # Keyed hash of the accept token's nonce (never the token); NULL once used or when none was made.
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    share_id: Mapped[str | None] = mapped_column(String(32), nullable=True)


class ShareEventRow(Base):
    """One event of a share's audit trail: kinds, actors and dates only, never text about a person."""

    __tablename__ = "share_events"
    __table_args__ = (
        Index("ix_share_events_request_id", "request_id"),
        Index("ix_share_events_share_id", "share_id"),
    )

    # Increasing: the order of the trail, whatever the clock says.
    seq: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=True)
    request_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    share_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # adapters.store.share_port.ShareEventKind and ShareActor
    kind: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    scope: Mapped[str | None] = mapped_column(String(16), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class IdempotencyRow(Base):
    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    patron_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    result: Mapped[str] = mapped_column(Text())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SearchPreferencesRow(Base):
    __tablename__ = "search_preferences"

    patron_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # JSON lists of strings: library codes, DocumentType and CatalogueSource values.
    library_codes: Mapped[list[str]] = mapped_column(JSON())
    document_types: Mapped[list[str]] = mapped_column(JSON())
    sources: Mapped[list[str]] = mapped_column(JSON())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PatronWriteLockRow(Base):
    """One row per patron, updated first by every write that checks a per-patron limit.

    The update locks the row (PostgreSQL) or the database (SQLite) until the transaction
    ends, so two concurrent writes of one patron see each other's rows when they count.
    """

    __tablename__ = "patron_write_locks"

    patron_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    writes: Mapped[int] = mapped_column(Integer())


class BasketRow(Base):
    __tablename__ = "baskets"
    __table_args__ = (UniqueConstraint("patron_id", "name_key", name="uq_baskets_patron_name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    patron_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    # The name case-folded: what "unique whatever the case" compares (folding may lengthen it).
    name_key: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class BasketRecordRow(Base):
    __tablename__ = "basket_records"

    basket_id: Mapped[str] = mapped_column(String(32), ForeignKey("baskets.id"), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Order of addition within the basket.
    position: Mapped[int] = mapped_column(Integer())


class SavedSearchRow(Base):
    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("patron_id", "name_key", name="uq_saved_searches_patron_name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    patron_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    # The name case-folded, as for baskets.
    name_key: Mapped[str] = mapped_column(String(400))
    query: Mapped[str] = mapped_column(Text())
    # The scope, as search_preferences keeps it.
    library_codes: Mapped[list[str]] = mapped_column(JSON())
    document_types: Mapped[list[str]] = mapped_column(JSON())
    sources: Mapped[list[str]] = mapped_column(JSON())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AlertListRow(Base):
    __tablename__ = "alert_lists"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    library_code: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    checked_on: Mapped[date | None] = mapped_column(Date(), nullable=True)


class AlertSubscriptionRow(Base):
    __tablename__ = "alert_subscriptions"
    __table_args__ = (Index("ix_alert_subscriptions_patron_id", "patron_id"),)

    alert_id: Mapped[str] = mapped_column(String(32), ForeignKey("alert_lists.id"), primary_key=True)
    patron_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    since: Mapped[datetime] = mapped_column(UtcDateTime())


class AlertDigestRow(Base):
    __tablename__ = "alert_digests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    patron_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    # What the message shows (lists and titles); never the address, which the ILS keeps.
    content: Mapped[dict[str, Any]] = mapped_column(JSON())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Set once the mailer holds the message (its queue key is the digest id).
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True, index=True)


class AlertDeliveryRow(Base):
    """A title recorded as sent to a patron: the primary key makes it once per patron, ever."""

    __tablename__ = "alert_deliveries"

    patron_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    digest_id: Mapped[str] = mapped_column(String(32), ForeignKey("alert_digests.id"))


class OutgoingMailRow(Base):
    """A mail to send (adapters/mail): kept until sent, then only its state (address and content erased)."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (
        UniqueConstraint("key", name="uq_outgoing_mail_key"),
        Index("ix_outgoing_mail_due", "state", "next_attempt_at"),
    )

    # Also the Message-ID's local part.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The caller's idempotency key: one mail per key, ever.
    key: Mapped[str] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    # Empty once sent or failed for good.
    recipient: Mapped[str] = mapped_column(String(254))
    context: Mapped[dict[str, Any]] = mapped_column(JSON())
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer())
    last_error: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # When a QUEUED or RETRYING mail is tried next; while a sender holds it, the end of its lease.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
