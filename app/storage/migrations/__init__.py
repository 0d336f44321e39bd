"""Alembic migrations of the local (encrypted) database."""
