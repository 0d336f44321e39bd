"""Alembic environment of the central database: runs on a connection handed in by the runner."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context

from server.models import UtcDateTime, metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Migrations stay free of our own types: UtcDateTime is a timezone-aware DateTime underneath.
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


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
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
