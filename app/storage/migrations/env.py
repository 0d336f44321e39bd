"""Alembic environment for the local database: always handed an open, keyed connection."""

from __future__ import annotations

from typing import Any

from alembic import context

from app.storage.tables import metadata

# FTS5 keeps its index in shadow tables SQLAlchemy does not model; the migration owns them.
_UNMODELLED_PREFIXES = ("client_search",)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(_UNMODELLED_PREFIXES))


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Local migrations run through app.storage.migrations.runner with a keyed connection."
    )
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    include_object=include_object,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
