"""New-arrivals alerts: lists per library, subscriptions, digests and the titles each patron was sent.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "alert_lists",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("library_code", sa.String(64), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_alert_lists_library_code", "alert_lists", ["library_code"])
    op.create_table(
        "alert_subscriptions",
        sa.Column("alert_id", sa.String(32), sa.ForeignKey("alert_lists.id"), primary_key=True),
        sa.Column("patron_id", sa.String(64), primary_key=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_alert_subscriptions_patron_id", "alert_subscriptions", ["patron_id"])
    op.create_table(
        "alert_digests",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("patron_id", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_alert_digests_queued_at", "alert_digests", ["queued_at"])
    op.create_table(
        "alert_deliveries",
        sa.Column("patron_id", sa.String(64), primary_key=True),
        sa.Column("title_id", sa.String(64), primary_key=True),
        sa.Column("digest_id", sa.String(32), sa.ForeignKey("alert_digests.id"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("alert_deliveries")
    op.drop_index("ix_alert_digests_queued_at", table_name="alert_digests")
    op.drop_table("alert_digests")
    op.drop_index("ix_alert_subscriptions_patron_id", table_name="alert_subscriptions")
    op.drop_table("alert_subscriptions")
    op.drop_index("ix_alert_lists_library_code", table_name="alert_lists")
    op.drop_table("alert_lists")
