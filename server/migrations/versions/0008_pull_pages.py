"""A first sync in bounded pages. Each page that carries clients in or out gets the next number
of its device (`device_sync.pages`), kept on the enter or exit it carried; a device's cursor
names the last such page it applied, so a page it never applied is sent again while the pages it
did apply are not.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device_clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("entered_page", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("exited_page", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("device_sync", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pages", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("device_sync", schema=None) as batch_op:
        batch_op.drop_column("pages")
    with op.batch_alter_table("device_clients", schema=None) as batch_op:
        batch_op.drop_column("exited_page")
        batch_op.drop_column("entered_page")
