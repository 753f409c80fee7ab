"""Share requests (by card number, consent by link or in the account) and the shares' audit trail.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("shares") as batch:
        batch.add_column(sa.Column("request_id", sa.String(32), nullable=True))
    op.create_table(
        "share_requests",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("requester_id", sa.String(64), nullable=False),
        sa.Column("card_number", sa.String(64), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=True),
        sa.Column("delivery", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("share_id", sa.String(32), nullable=True),
    )
    op.create_index("ix_share_requests_requester_id", "share_requests", ["requester_id", "created_at"])
    op.create_index("ix_share_requests_owner_id", "share_requests", ["owner_id"])
    op.create_index("ix_share_requests_status_expires_at", "share_requests", ["status", "expires_at"])
    op.create_table(
        "share_events",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.String(32), nullable=True),
        sa.Column("share_id", sa.String(32), nullable=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("actor", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("scope", sa.String(16), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_share_events_request_id", "share_events", ["request_id"])
    op.create_index("ix_share_events_share_id", "share_events", ["share_id"])


def downgrade() -> None:
    op.drop_index("ix_share_events_share_id", table_name="share_events")
    op.drop_index("ix_share_events_request_id", table_name="share_events")
    op.drop_table("share_events")
    op.drop_index("ix_share_requests_status_expires_at", table_name="share_requests")
    op.drop_index("ix_share_requests_owner_id", table_name="share_requests")
    op.drop_index("ix_share_requests_requester_id", table_name="share_requests")
    op.drop_table("share_requests")
    with op.batch_alter_table("shares") as batch:
        batch.drop_column("request_id")
