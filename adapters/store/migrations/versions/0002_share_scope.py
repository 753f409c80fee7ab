"""Shares get a scope (VIEW or VIEW_AND_RENEW) and an optional end.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("shares") as batch:
        # Existing shares keep what the portal always allowed: view and renew.
        batch.add_column(sa.Column("scope", sa.String(16), nullable=False, server_default="VIEW_AND_RENEW"))
        batch.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shares") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("scope")
