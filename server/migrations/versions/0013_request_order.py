"""The number of the last page request each device had answered, so one that arrives after a
later one (a request given up in an outage that TCP still delivered) is refused instead of
owing again what the device has applied since (app.sync.protocol.ORDER_HEADER).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 12:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device_sync") as batch:
        batch.add_column(
            sa.Column("last_order", sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("device_sync") as batch:
        batch.drop_column("last_order")
