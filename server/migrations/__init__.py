"""Alembic migrations of the central database (SQLite and PostgreSQL)."""
