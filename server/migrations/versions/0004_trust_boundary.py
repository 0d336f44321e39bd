"""The trust boundary: partial uploads per device, proof of possession of blobs, the clients a
device ever held, and uniqueness collisions kept for central office.

Partial uploads are keyed by device now; chunks still arriving under the old key are dropped
(their devices resume from zero: the bytes are still on the device).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("blob_chunks")
    op.create_table(
        "blob_chunks",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "sha256", "offset", name=op.f("pk_blob_chunks")),
    )
    op.create_table(
        "blob_uploads",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "sha256", name=op.f("pk_blob_uploads")),
    )
    op.create_table(
        "device_held_clients",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "client_id", name=op.f("pk_device_held_clients")),
    )
    # What devices hold now, they held.
    op.execute(
        "INSERT INTO device_held_clients (device_id, client_id) "
        "SELECT device_id, client_id FROM device_clients"
    )
    op.create_table(
        "uniqueness_collisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("existing_client_id", sa.String(length=36), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uniqueness_collisions")),
    )
    op.create_index(
        op.f("ix_uniqueness_collisions_at"), "uniqueness_collisions", ["at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_uniqueness_collisions_at"), table_name="uniqueness_collisions")
    op.drop_table("uniqueness_collisions")
    op.drop_table("device_held_clients")
    op.drop_table("blob_uploads")
    op.drop_table("blob_chunks")
    op.create_table(
        "blob_chunks",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "offset", name=op.f("pk_blob_chunks")),
    )
