"""What a device says of itself in hello: the Veldwerk version it runs, and how many conflicts
wait on it for a person (they are settled there; the team lead's overview counts them).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("app_version", sa.String(length=40), nullable=True))
    with op.batch_alter_table("device_sync", schema=None) as batch_op:
        batch_op.add_column(sa.Column("open_conflicts", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device_sync", schema=None) as batch_op:
        batch_op.drop_column("open_conflicts")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("app_version")
