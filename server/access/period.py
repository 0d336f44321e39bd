"""The period of an access report: whole days in the municipalities' own time zone.

A client asks about "November", not about UTC instants, so `--from 2026-11-01 --to 2026-11-30`
means from midnight at the start of 1 November to midnight at the end of 30 November, Dutch time
(summer time included). Either end may be left open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.domain.formatting import date_text
from app.domain.local_time import ZONE
from server.access.errors import InvalidDate, InvalidPeriod

__all__ = ["Period", "parse_day"]


def parse_day(text: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option's day; None when the option was not given."""
    if text is None:
        return None
    try:
        if len(text) != 10:  # fromisoformat also takes 20261101 and 2026-W44-7
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidDate(option) from None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), ZONE).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Period:
    first: date | None
    last: date | None  # inclusive

    def __post_init__(self) -> None:
        if self.first is not None and self.last is not None and self.last < self.first:
            raise InvalidPeriod()

    @property
    def start(self) -> datetime | None:
        """The first instant in the period (UTC), or None for "from the beginning"."""
        return _midnight(self.first) if self.first is not None else None

    @property
    def end(self) -> datetime | None:
        """The first instant after the period (UTC), or None for "until now"."""
        return _midnight(self.last + timedelta(days=1)) if self.last is not None else None

    def text(self, today: date) -> str:
        """In words for the client: "01-11-2026 t/m 30-11-2026"; an open end is the beginning
        of the records or the day of printing."""
        last = date_text(self.last or today)
        if self.first is None:
            return f"Tot en met {last}"
        return f"{date_text(self.first)} t/m {last}"
