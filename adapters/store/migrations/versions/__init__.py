"""Alembic revisions of the portal store."""
