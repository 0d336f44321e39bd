"""Conversions between domain values and the JSON-like field dicts that storage and sync carry.

Dates travel as ISO strings and times as ISO strings in UTC, so a field dict compares equal on the
device and on the server and can be merged field by field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from app.domain.errors import ValidationError

Fields = dict[str, Any]
E = TypeVar("E", bound=StrEnum)


def date_out(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def date_in(value: object, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(
            "invalid_date",
            f"Ongeldige datum in veld '{field}'.",
            f"Invalid date in field '{field}'.",
        ) from exc


def required_date(value: object, field: str) -> date:
    result = date_in(value, field)
    if result is None:
        raise ValidationError(
            "date_required", f"Datum '{field}' is verplicht.", f"Date '{field}' is required."
        )
    return result


def aware(value: datetime) -> datetime:
    """Naive datetimes are refused: ordering and audit need to know the zone."""
    if value.tzinfo is None:
        raise ValidationError(
            "naive_datetime",
            "Tijdstip zonder tijdzone.",
            "Timestamp without a time zone.",
        )
    return value.astimezone(UTC)


def datetime_out(value: datetime | None) -> str | None:
    return aware(value).isoformat() if value is not None else None


def datetime_in(value: object, field: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return aware(value)
    try:
        return aware(datetime.fromisoformat(str(value)))
    except ValueError as exc:
        raise ValidationError(
            "invalid_datetime",
            f"Ongeldig tijdstip in veld '{field}'.",
            f"Invalid timestamp in field '{field}'.",
        ) from exc


def text_in(value: object) -> str:
    return "" if value is None else str(value)


def enum_in(enum: type[E], value: object, field: str) -> E:
    try:
        return enum(str(value))
    except ValueError as exc:
        raise ValidationError(
            "invalid_choice",
            f"Ongeldige keuze in veld '{field}'.",
            f"Invalid choice in field '{field}'.",
        ) from exc
