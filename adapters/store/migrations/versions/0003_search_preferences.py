"""Search preferences: one row per patron (libraries, document types, sources).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "search_preferences",
        sa.Column("patron_id", sa.String(64), primary_key=True),
        sa.Column("library_codes", sa.JSON(), nullable=False),
        sa.Column("document_types", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("search_preferences")
