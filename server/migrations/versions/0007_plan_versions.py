"""The client plan in full, and its actions as records of their own.

A plan gains the parts the plan of approach needs (support offered, obligations aimed at work and
their consequences, the client's own words, the single-parent exemption, the next evaluation),
the version it replaces, the municipality whose letterhead it carries and the hash of the content
its signatures stand for. Each action in a plan's JSON list becomes a `plan_actions` row with the
same id (devices migrate theirs to the same ids), stamped in the change feed so devices pull them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here: what the old free-text owner of an action meant.
_CLIENT_WORDS = frozenset({"client", "cliënt", "de cliënt", "klant"})
_CASEWORKER_WORDS = frozenset({"caseworker", "klantmanager"})


def action_fields(
    action: dict[str, Any], *, client_id: str, plan_id: str, caseworker: str, rank: int
) -> dict[str, Any]:
    """An old JSON action as the fields of a plan_action row (as the device's 0004 does)."""
    owner_text = str(action.get("owner") or "").strip()
    if owner_text.casefold() in _CLIENT_WORDS or not owner_text:
        owner, partner = "client", ""
    elif owner_text == caseworker or owner_text.casefold() in _CASEWORKER_WORDS:
        owner, partner = "caseworker", ""
    else:
        owner, partner = "partner", owner_text[:200]
    return {
        "client_id": client_id,
        "plan_id": plan_id,
        "description": str(action.get("description") or "").strip() or "-",
        "owner": owner,
        "partner": partner,
        "due_date": action.get("due_date") or None,
        "status": str(action.get("status") or "open"),
        "rank": rank,
    }


def _plan_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("municipality", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("previous_id", sa.String(length=36), nullable=True),
        sa.Column("support_offered", sa.Text(), nullable=False, server_default=""),
        sa.Column("obligations", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("consequences", sa.Text(), nullable=False, server_default=""),
        sa.Column("own_words", sa.Text(), nullable=False, server_default=""),
        sa.Column(
            "single_parent_exemption", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
        sa.Column("next_evaluation", sa.String(length=10), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
    ]


def _next_position(conn: sa.Connection) -> int:
    conn.execute(sa.text("UPDATE sync_counter SET value = value + 1 WHERE id = 1"))
    return int(conn.execute(sa.text("SELECT value FROM sync_counter WHERE id = 1")).scalar_one())


def _move_actions(conn: sa.Connection) -> None:
    plans = sa.Table("client_plans", sa.MetaData(), autoload_with=conn)
    actions = sa.Table("plan_actions", sa.MetaData(), autoload_with=conn)
    now = datetime.now(UTC)
    rows = []
    for plan in conn.execute(sa.select(plans)).mappings():
        for rank, action in enumerate(plan["actions"] or ()):
            fields = action_fields(
                dict(action),
                client_id=plan["client_id"],
                plan_id=plan["id"],
                caseworker=plan["caseworker"],
                rank=rank,
            )
            rows.append(
                {
                    **fields,
                    "id": str(action.get("id") or uuid.uuid4()),
                    "version": 1,
                    "deleted": bool(plan["deleted"]),
                    "updated_at": now,
                    "updated_by": "migration",
                }
            )
    if rows:
        position = _next_position(conn)
        conn.execute(sa.insert(actions), [{**r, "position": position} for r in rows])


def upgrade() -> None:
    with op.batch_alter_table("client_plans", schema=None) as batch_op:
        for column in _plan_columns():
            batch_op.add_column(column)
    op.create_table(
        "plan_actions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=20), nullable=False),
        sa.Column("partner", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_plan_actions_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_actions")),
    )
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_actions_client_id"), ["client_id"], unique=False)
        batch_op.create_index("ix_plan_actions_plan_id", ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_actions_position"), ["position"], unique=False)
    _move_actions(op.get_bind())
    with op.batch_alter_table("client_plans", schema=None) as batch_op:
        batch_op.drop_column("actions")


def downgrade() -> None:
    with op.batch_alter_table("client_plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actions", sa.JSON(), nullable=True))
    conn = op.get_bind()
    grouped: dict[str, list[dict[str, Any]]] = {}
    # A deleted plan's actions went with it (they come back with it); otherwise a deleted
    # action stays out of the list.
    rows = conn.execute(
        sa.text(
            "SELECT a.id, a.plan_id, a.description, a.owner, a.partner, a.due_date, a.status "
            "FROM plan_actions AS a JOIN client_plans AS p ON p.id = a.plan_id "
            "WHERE a.deleted = :no OR p.deleted = :yes ORDER BY a.plan_id, a.rank, a.id"
        ),
        {"no": False, "yes": True},
    ).all()
    for r in rows:
        grouped.setdefault(r.plan_id, []).append(
            {
                "id": r.id,
                "description": r.description,
                "owner": r.partner if r.owner == "partner" else r.owner,
                "due_date": r.due_date,
                "status": r.status,
            }
        )
    plans = sa.Table("client_plans", sa.MetaData(), autoload_with=conn)
    for plan_id in conn.execute(sa.select(plans.c.id)).scalars():
        conn.execute(
            sa.update(plans).where(plans.c.id == plan_id).values(actions=grouped.get(plan_id, []))
        )
    with op.batch_alter_table("client_plans", schema=None) as batch_op:
        batch_op.alter_column("actions", existing_type=sa.JSON(), nullable=False)
    op.drop_table("plan_actions")
    with op.batch_alter_table("client_plans", schema=None) as batch_op:
        for column in reversed(_plan_columns()):
            batch_op.drop_column(column.name)
