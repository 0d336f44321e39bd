"""The client plan in full, and its actions as records of their own.

A plan gains the parts the plan of approach needs (support offered, obligations aimed at work and
their consequences, the client's own words, the single-parent exemption, the next evaluation),
the version it replaces, the municipality whose letterhead it carries and the hash of the content
its signatures stand for. Each action in a plan's JSON list becomes a `plan_actions` row with the
same id (the server's migration gives its rows the same ids, so both sides agree without a new
download). Pending changes that carried the actions list become entries of those rows, so
nothing waiting to be sent is lost.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here: what the old free-text owner of an action meant.
_CLIENT_WORDS = frozenset({"client", "cliënt", "de cliënt", "klant"})
_CASEWORKER_WORDS = frozenset({"caseworker", "klantmanager"})


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def action_fields(
    action: dict[str, Any], *, client_id: str, plan_id: str, caseworker: str, rank: int
) -> dict[str, Any]:
    """An old JSON action as the fields of a plan_action row."""
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


def _create_actions_table() -> None:
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
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_plan_actions_client_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_actions")),
    )
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_actions_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_actions_plan_id"), ["plan_id"], unique=False)


_INSERT_ACTION = sa.text(
    "INSERT INTO plan_actions (id, client_id, plan_id, description, owner, partner, due_date, "
    "status, rank, version, updated_at, deleted) VALUES (:id, :client_id, :plan_id, "
    ":description, :owner, :partner, :due_date, :status, :rank, :version, :updated_at, "
    ":deleted)"
)


def _move_actions(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.text(
            "SELECT id, client_id, caseworker, actions, version, updated_at, deleted "
            "FROM client_plans"
        )
    ).all()
    for row in rows:
        for rank, action in enumerate(_json(row.actions) or ()):
            fields = action_fields(
                action,
                client_id=row.client_id,
                plan_id=row.id,
                caseworker=row.caseworker,
                rank=rank,
            )
            conn.execute(
                _INSERT_ACTION,
                {
                    **fields,
                    "id": str(action.get("id") or uuid.uuid4()),
                    # A synced plan's actions are on the server under the same ids (version 1
                    # there); an unsynced plan's go up with it, below.
                    "version": 1 if row.version is not None else None,
                    "updated_at": row.updated_at,
                    # A deleted plan's actions are gone with it, as on the server.
                    "deleted": bool(row.deleted),
                },
            )


def _action_entries(
    base: list[dict[str, Any]],
    new: list[dict[str, Any]],
    *,
    client_id: str,
    plan_id: str,
    caseworker: str,
) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(op, record id, base values, new values) for the actions a pending plan entry changed."""

    def fields(action: dict[str, Any], rank: int) -> dict[str, Any]:
        return action_fields(
            action, client_id=client_id, plan_id=plan_id, caseworker=caseworker, rank=rank
        )

    before = {str(a.get("id")): fields(a, i) for i, a in enumerate(base) if a.get("id")}
    entries: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
    for rank, action in enumerate(new):
        action_id = str(action.get("id") or uuid.uuid4())
        now = fields(action, rank)
        was = before.pop(action_id, None)
        if was is None:
            entries.append(("create", action_id, {}, now))
            continue
        changed = {k: v for k, v in now.items() if was.get(k) != v}
        if changed:
            entries.append(("update", action_id, {k: was.get(k) for k in changed}, changed))
    entries += [("delete", action_id, {}, {}) for action_id in before]
    return entries


def _rewrite_journal(conn: sa.Connection) -> None:
    caseworkers = {
        r.id: r.caseworker for r in conn.execute(sa.text("SELECT id, caseworker FROM client_plans"))
    }
    entries = conn.execute(
        sa.text(
            "SELECT seq, record_id, client_id, base_values, new_values FROM journal "
            "WHERE entity = 'client_plan' ORDER BY seq"
        )
    ).all()
    now = datetime.now(UTC).isoformat()
    for entry in entries:
        base, new = _json(entry.base_values) or {}, _json(entry.new_values) or {}
        if "actions" not in new:
            continue
        conn.execute(
            sa.text("UPDATE journal SET base_values = :base, new_values = :new WHERE seq = :seq"),
            {
                "base": json.dumps({k: v for k, v in base.items() if k != "actions"}),
                "new": json.dumps({k: v for k, v in new.items() if k != "actions"}),
                "seq": entry.seq,
            },
        )
        for kind, record_id, was, values in _action_entries(
            list(base.get("actions") or ()),
            list(new.get("actions") or ()),
            client_id=entry.client_id,
            plan_id=entry.record_id,
            caseworker=caseworkers.get(entry.record_id, ""),
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO journal (mutation_id, entity, record_id, client_id, op, "
                    "base_version, base_values, new_values, created_at) VALUES (:mutation_id, "
                    "'plan_action', :record_id, :client_id, :op, NULL, :base, :new, :at)"
                ),
                {
                    "mutation_id": str(uuid.uuid4()),
                    "record_id": record_id,
                    "client_id": entry.client_id,
                    "op": kind,
                    "base": json.dumps(was),
                    "new": json.dumps(values),
                    "at": now,
                },
            )


def upgrade() -> None:
    with op.batch_alter_table("client_plans", schema=None) as batch_op:
        for column in _plan_columns():
            batch_op.add_column(column)
    _create_actions_table()
    conn = op.get_bind()
    _move_actions(conn)
    _rewrite_journal(conn)
    with op.batch_alter_table("client_plans", schema=None) as batch_op:
        batch_op.drop_column("actions")


def downgrade() -> None:
    with op.batch_alter_table("client_plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actions", sa.JSON(), nullable=False, server_default="[]"))
    conn = op.get_bind()
    grouped: dict[str, list[dict[str, Any]]] = {}
    rows = conn.execute(
        sa.text(
            "SELECT id, plan_id, description, owner, partner, due_date, status FROM plan_actions "
            "WHERE deleted = 0 ORDER BY plan_id, rank, id"
        )
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
    for plan_id, actions in grouped.items():
        conn.execute(
            sa.text("UPDATE client_plans SET actions = :actions WHERE id = :id"),
            {"actions": json.dumps(actions), "id": plan_id},
        )
    op.drop_table("plan_actions")
    with op.batch_alter_table("client_plans", schema=None) as batch_op:
        for column in reversed(_plan_columns()):
            batch_op.drop_column(column.name)
