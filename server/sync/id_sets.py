"""Conditions on sets of ids, as each database takes them best.

A first sync asks about thousands of clients at once. SQLite takes them as `IN (?, ?, …)` in
chunks under its bound-parameter limit; PostgreSQL takes one array (`= ANY(%s)`), which is one
parameter however many ids, so SQLAlchemy renders no placeholder per id (rendering 900 of them
cost more than the query in a profiled pull) and the chunks can be large.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import ColumnElement, String, any_, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

_SQLITE_CHUNK = 900
_ARRAY_CHUNK = 20_000


def uses_arrays(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def chunks(session: Session, ids: Iterable[str]) -> Iterator[list[str]]:
    """The ids sorted, in pieces small enough for one `among` each."""
    ordered = sorted(ids)
    size = _ARRAY_CHUNK if uses_arrays(session) else _SQLITE_CHUNK
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def among(session: Session, column: Any, ids: list[str]) -> ColumnElement[bool]:
    """`column` is one of `ids` (a piece from `chunks`)."""
    if uses_arrays(session):
        return column == any_(literal(ids, ARRAY(String)))  # type: ignore[no-any-return]
    return column.in_(ids)  # type: ignore[no-any-return]
