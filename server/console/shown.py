"""How the console writes moments and people: the same forms the desktop app uses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from app.domain.formatting import masked_bsn, moment_text, sort_name


def moment(value: datetime | None) -> str:
    return moment_text(value) if value is not None else ""


def client_name(row: object) -> str:
    """The list form ("Vries, Jan de") of a clients row or a client's field dict."""

    def part(name: str) -> str:
        value = row.get(name) if isinstance(row, Mapping) else getattr(row, name, "")
        return str(value or "")

    return sort_name(
        surname=part("surname"),
        first_names=part("first_names"),
        initials=part("initials"),
        name_prefix=part("name_prefix"),
    )


def bsn(value: str | None) -> str:
    return masked_bsn(value)
