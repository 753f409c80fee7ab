"""Alembic migrations of the portal store (a package so that it ships in the wheel)."""
