"""Indexes for finding one client's entries in the audit trails: the access report (NEN 7513)
and the scrub after destruction looked them up by record and by client, and each lookup read
the whole trail, which only grows.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 23:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_audit_log_record_id"), "audit_log", ["record_id"])
    op.create_index(op.f("ix_device_audit_events_record_id"), "device_audit_events", ["record_id"])
    op.create_index(op.f("ix_device_audit_events_client_id"), "device_audit_events", ["client_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_device_audit_events_client_id"), table_name="device_audit_events")
    op.drop_index(op.f("ix_device_audit_events_record_id"), table_name="device_audit_events")
    op.drop_index(op.f("ix_audit_log_record_id"), table_name="audit_log")
