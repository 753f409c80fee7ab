"""Baskets and their records, and the per-patron write lock that keeps portal limits exact.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "patron_write_locks",
        sa.Column("patron_id", sa.String(64), primary_key=True),
        sa.Column("writes", sa.Integer(), nullable=False),
    )
    op.create_table(
        "baskets",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("patron_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(400), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("patron_id", "name_key", name="uq_baskets_patron_name"),
    )
    op.create_table(
        "basket_records",
        sa.Column("basket_id", sa.String(32), sa.ForeignKey("baskets.id"), primary_key=True),
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("basket_records")
    op.drop_table("baskets")
    op.drop_table("patron_write_locks")
