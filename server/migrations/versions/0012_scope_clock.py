"""A clock that moves with every write that can change anyone's scope, so an incremental pull
need not compare a device's whole caseload with its scope when nothing of the kind happened.

`scope_clock.version` is moved by triggers, not by the code that writes: every path that
assigns, ends an assignment, deletes or destroys a client, submits or decides an intake, or
changes a team, a team lead, a role or a device's owner moves it, including paths written later
and hand-made SQL. It is a row in a table, never a sequence: it must become visible together
with the change that moved it (a sequence moves before commit, and a pull reading the new
number with the old scope would take the stale scope as settled).

`device_sync.settled_*`: the clock, cursor and lowest held position at the last pull that found
the device holding exactly its scope (server.sync.pull).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 03:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TICK = "UPDATE scope_clock SET version = version + 1 WHERE id = 1"

# (table, columns whose change moves the clock on UPDATE; None: any update). Inserts and
# deletes always move it. Columns are the ones server.policy.scope_client_ids reads, plus who
# a device belongs to and what role a person has.
WATCHED: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("assignments", None),
    ("clients", ("deleted",)),
    ("intakes", ("client_id", "status", "deleted")),
    ("teams", None),
    ("team_members", None),
    ("users", ("role",)),
    ("devices", ("user_id",)),
)


def _changed(columns: tuple[str, ...], distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


def _sqlite_triggers() -> list[str]:
    statements = []
    for table, columns in WATCHED:
        for event in ("INSERT", "DELETE"):
            statements.append(
                f"CREATE TRIGGER {table}_scope_clock_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {_TICK}; END"
            )
        if columns is None:
            update = f"AFTER UPDATE ON {table}"
        else:
            update = (
                f"AFTER UPDATE OF {', '.join(columns)} ON {table} "
                f"WHEN {_changed(columns, 'IS NOT')}"
            )
        statements.append(f"CREATE TRIGGER {table}_scope_clock_update {update} BEGIN {_TICK}; END")
    return statements


def _postgres_triggers() -> list[str]:
    statements = [
        "CREATE FUNCTION scope_clock_tick() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {_TICK}; RETURN NULL; END $$"
    ]
    for table, columns in WATCHED:
        if columns is None:
            statements.append(
                f"CREATE TRIGGER {table}_scope_clock AFTER INSERT OR UPDATE OR DELETE OR "
                f"TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION scope_clock_tick()"
            )
            continue
        statements.append(
            f"CREATE TRIGGER {table}_scope_clock AFTER INSERT OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION scope_clock_tick()"
        )
        # Per row, so an edit that leaves these columns as they were (a caseworker's every
        # save of a client names `deleted`) does not move the clock.
        statements.append(
            f"CREATE TRIGGER {table}_scope_clock_update AFTER UPDATE OF {', '.join(columns)} "
            f"ON {table} FOR EACH ROW WHEN ({_changed(columns, 'IS DISTINCT FROM')}) "
            "EXECUTE FUNCTION scope_clock_tick()"
        )
    return statements


def upgrade() -> None:
    op.create_table(
        "scope_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scope_clock")),
    )
    op.execute("INSERT INTO scope_clock (id, version) VALUES (1, 0)")
    with op.batch_alter_table("device_sync") as batch:
        batch.add_column(sa.Column("settled_clock", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("settled_page", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("settled_position", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("settled_floor", sa.BigInteger(), nullable=True))
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _postgres_triggers() if postgres else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, columns in WATCHED:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_scope_clock ON {table}")
            if columns is not None:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_scope_clock_update ON {table}")
        else:
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_scope_clock_{event}")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS scope_clock_tick()")
    with op.batch_alter_table("device_sync") as batch:
        batch.drop_column("settled_floor")
        batch.drop_column("settled_position")
        batch.drop_column("settled_page")
        batch.drop_column("settled_clock")
    op.drop_table("scope_clock")
