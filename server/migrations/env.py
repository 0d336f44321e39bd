"""Alembic environment of the central database: runs on a connection handed in by the runner."""

from __future__ import annotations

from alembic import context

from server.models import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Server migrations run through server.migrations.runner (veldwerk-server init-db)."
    )
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
