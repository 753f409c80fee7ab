"""Saved searches: a named query with its scope, per patron.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("patron_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(400), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("library_codes", sa.JSON(), nullable=False),
        sa.Column("document_types", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("patron_id", "name_key", name="uq_saved_searches_patron_name"),
    )


def downgrade() -> None:
    op.drop_table("saved_searches")
