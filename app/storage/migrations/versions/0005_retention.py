"""Retention: an enrollment's outcome, and a client search index that forgets what it removes.

An enrollment gains its outcome (granted, refused, broken off), which decides how long the file
is kept; everything held before was granted.

A client destroyed at central office (or reassigned) is purged from the device with
secure_delete, which zeroes freed pages of ordinary tables. The FTS5 search index does not free
anything on a delete: it appends a delete marker and keeps the removed name, BSN and address as
terms in its older segments until they happen to be merged. FTS5's `secure-delete` option removes
the terms at the delete instead; `rebuild` drops the terms already left behind by earlier purges.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outcome", sa.String(length=20), nullable=False, server_default="granted")
        )
    op.execute("INSERT INTO client_search(client_search, rank) VALUES ('secure-delete', 1)")
    op.execute("INSERT INTO client_search(client_search) VALUES ('rebuild')")


def downgrade() -> None:
    op.execute("INSERT INTO client_search(client_search, rank) VALUES ('secure-delete', 0)")
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("outcome")
