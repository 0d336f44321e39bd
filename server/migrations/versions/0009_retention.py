"""Retention, legal hold and erasure on request (server.retention).

- An enrollment gains its outcome (granted, refused, broken off); everything stored was granted.
- Legal holds, erasure requests, destruction statements (permanent: no update, no delete) and the
  ids of destroyed clients.
- A stored push answer names the client its entry was about, so the record values an answer may
  carry go with the client's file. Answers stored before get it from their conflict rows, the
  client id among their values, or the BSN among a client record's values.
- The audit log stays append-only, except that a destruction may take personal data out of an
  entry's details: an update may only drop detail keys and mark the entry `"scrubbed": true`;
  every other column, and every kept key's value, must stay as it was. Deletes stay refused.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite: `IS`, not `=`, where a side may be NULL (a missing key): a WHEN that comes out NULL
# does not fire, and would let the update through.
_SQLITE_SCRUB_ONLY = """
CREATE TRIGGER audit_log_scrub_only BEFORE UPDATE ON audit_log
WHEN NOT (
    NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor
    AND NEW.device_id IS OLD.device_id AND NEW.action = OLD.action
    AND NEW.entity = OLD.entity AND NEW.record_id IS OLD.record_id
    AND json_type(NEW.details, '$.scrubbed') IS 'true'
    AND NOT EXISTS (
        SELECT 1 FROM json_each(NEW.details) AS n
        WHERE n.key <> 'scrubbed' AND NOT EXISTS (
            SELECT 1 FROM json_each(OLD.details) AS o
            WHERE o.key = n.key AND o.type = n.type AND o.value IS n.value
        )
    )
)
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END
"""

_POSTGRES_SCRUB_ONLY = """
CREATE FUNCTION audit_log_scrub_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor
        AND NEW.device_id IS NOT DISTINCT FROM OLD.device_id AND NEW.action = OLD.action
        AND NEW.entity = OLD.entity AND NEW.record_id IS NOT DISTINCT FROM OLD.record_id
        AND (NEW.details::jsonb -> 'scrubbed') = 'true'::jsonb
        AND NOT EXISTS (
            SELECT 1 FROM jsonb_each(NEW.details::jsonb) AS n
            WHERE n.key <> 'scrubbed'
                AND (OLD.details::jsonb -> n.key) IS DISTINCT FROM n.value
        )
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit log is append-only';
END $$
"""


def upgrade() -> None:
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outcome", sa.String(length=20), nullable=False, server_default="granted")
        )
    _create_tables()
    with op.batch_alter_table("device_mutations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.String(length=36), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_device_mutations_client_id"), ["client_id"], unique=False
        )
    _name_answer_clients(op.get_bind())
    _allow_audit_scrub()
    _protect_statements()


def _create_tables() -> None:
    op.create_table(
        "destruction_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("made_by", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("totals", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_destruction_statements")),
    )
    op.create_table(
        "destroyed_clients",
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_destroyed_clients")),
    )
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.String(length=100), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_by", sa.String(length=100), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legal_holds_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            "uq_legal_holds_current",
            ["client_id"],
            unique=True,
            sqlite_where=sa.text("lifted_at IS NULL"),
            postgresql_where=sa.text("lifted_at IS NULL"),
        )
    op.create_table(
        "erasure_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("statutory", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("carried_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("statement_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["destruction_statements.id"],
            name=op.f("fk_erasure_requests_statement_id_destruction_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_requests")),
    )
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_erasure_requests_client_id"), ["client_id"], unique=False
        )


def _name_answer_clients(conn: sa.Connection) -> None:
    """Name the client of each stored answer that carries record values (see the docstring)."""
    mutations = sa.table(
        "device_mutations",
        sa.column("device_id", sa.String()),
        sa.column("seq", sa.BigInteger()),
        sa.column("mutation_id", sa.String()),
        sa.column("answer", sa.JSON()),
        sa.column("client_id", sa.String()),
    )
    conflicts = sa.table(
        "conflicts",
        sa.column("device_id", sa.String()),
        sa.column("mutation_id", sa.String()),
        sa.column("client_id", sa.String()),
    )
    clients = sa.table("clients", sa.column("id", sa.String()), sa.column("bsn", sa.String()))
    by_mutation = {
        (str(row.device_id), str(row.mutation_id)): str(row.client_id)
        for row in conn.execute(
            sa.select(conflicts.c.device_id, conflicts.c.mutation_id, conflicts.c.client_id)
        )
    }
    by_bsn = {str(row.bsn): str(row.id) for row in conn.execute(sa.select(clients))}
    named: list[dict[str, Any]] = []
    rows = conn.execute(
        sa.select(
            mutations.c.device_id, mutations.c.seq, mutations.c.mutation_id, mutations.c.answer
        )
    )
    for row in rows:
        answer = row.answer if isinstance(row.answer, dict) else {}
        values = answer.get("server_values") or {}
        if not values and not answer.get("conflicts"):
            continue
        client = (
            by_mutation.get((str(row.device_id), str(row.mutation_id)))
            or values.get("client_id")
            or by_bsn.get(str(values.get("bsn")))
        )
        if client:
            named.append({"d": row.device_id, "s": row.seq, "c": str(client)})
    if named:
        conn.execute(
            sa.update(mutations)
            .where(mutations.c.device_id == sa.bindparam("d"), mutations.c.seq == sa.bindparam("s"))
            .values(client_id=sa.bindparam("c")),
            named,
        )


def _allow_audit_scrub() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE DELETE OR TRUNCATE "
            "ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
        op.execute(_POSTGRES_SCRUB_ONLY)
        op.execute(
            "CREATE TRIGGER audit_log_scrub_only BEFORE UPDATE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_scrub_only()"
        )
        return
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute(_SQLITE_SCRUB_ONLY)


def _forbid_audit_scrub() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_scrub_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_scrub_only()")
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
            "ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
        return
    op.execute("DROP TRIGGER IF EXISTS audit_log_scrub_only")
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )


def _protect_statements() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION destruction_statements_permanent() RETURNS trigger "
            "LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'destruction statements are permanent'; END $$"
        )
        op.execute(
            "CREATE TRIGGER destruction_statements_permanent BEFORE UPDATE OR DELETE OR TRUNCATE "
            "ON destruction_statements FOR EACH STATEMENT "
            "EXECUTE FUNCTION destruction_statements_permanent()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER destruction_statements_no_{event.lower()} BEFORE {event} "
            "ON destruction_statements "
            "BEGIN SELECT RAISE(ABORT, 'destruction statements are permanent'); END"
        )


def _unprotect_statements() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP TRIGGER IF EXISTS destruction_statements_permanent ON destruction_statements"
        )
        op.execute("DROP FUNCTION IF EXISTS destruction_statements_permanent()")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS destruction_statements_no_{event}")


def downgrade() -> None:
    _unprotect_statements()
    _forbid_audit_scrub()
    with op.batch_alter_table("device_mutations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_mutations_client_id"))
        batch_op.drop_column("client_id")
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_requests_client_id"))
    op.drop_table("erasure_requests")
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_legal_holds_current",
            sqlite_where=sa.text("lifted_at IS NULL"),
            postgresql_where=sa.text("lifted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_legal_holds_client_id"))
    op.drop_table("legal_holds")
    op.drop_table("destroyed_clients")
    op.drop_table("destruction_statements")
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("outcome")
