"""Half-year periods of the council reports: "2026-H2" is 1 July to 31 December 2026.

The policy asks for reports twice a year; a report shows its period beside the one before it
(2026-H2 beside 2026-H1, 2026-H1 beside 2025-H2). Days are the municipalities' own days: a moment
stored in UTC belongs to the period of its local date (app.domain.local_time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.domain.errors import VeldwerkError
from app.domain.local_time import ZONE

__all__ = ["InvalidPeriod", "Month", "Period"]

_PATTERN = re.compile(r"(?P<year>\d{4})-H(?P<half>[12])")
# Veldwerk holds nothing from before the merger's run-up; a year far outside this is a typo.
FIRST_YEAR = 2000
LAST_YEAR = 2099
MONTH_NAMES = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


class InvalidPeriod(VeldwerkError):
    def __init__(self, text: str) -> None:
        shown = text[:20]
        super().__init__(
            "invalid_period",
            f"--period {shown!r}: geen geldige periode; schrijf JJJJ-H1 of JJJJ-H2, zoals "
            f"2026-H2 (1 juli t/m 31 december 2026). Er is niets geschreven.",
            f"--period {shown!r}: not a valid period; write YYYY-H1 or YYYY-H2, like 2026-H2 "
            f"(1 July to 31 December 2026). Nothing was written.",
        )


def local_midnight(day: date) -> datetime:
    """The UTC instant at which `day` begins in the municipalities' time zone."""
    return datetime.combine(day, time(), ZONE).astimezone(UTC)


def iso_instant(moment: datetime) -> str:
    """A UTC instant written as stored moments are (`datetime.isoformat` of an aware UTC
    value), so that comparing strings compares instants."""
    return moment.astimezone(UTC).isoformat()


@dataclass(frozen=True, slots=True, order=True)
class Month:
    first: date
    last: date

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}"

    @property
    def name_nl(self) -> str:
        return f"{MONTH_NAMES[self.first.month - 1]} {self.first.year}"


@dataclass(frozen=True, slots=True, order=True)
class Period:
    year: int
    half: int  # 1: January-June, 2: July-December

    def __post_init__(self) -> None:
        if self.half not in (1, 2) or not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise InvalidPeriod(f"{self.year}-H{self.half}")

    @classmethod
    def parse(cls, text: str) -> Period:
        found = _PATTERN.fullmatch(text.strip())
        if found is None:
            raise InvalidPeriod(text)
        year = int(found["year"])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidPeriod(text)
        return cls(year, int(found["half"]))

    @classmethod
    def containing(cls, day: date) -> Period:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def label(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def first(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def last(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def start(self) -> datetime:
        """The first instant of the period (UTC)."""
        return local_midnight(self.first)

    @property
    def end(self) -> datetime:
        """The first instant after the period (UTC)."""
        return local_midnight(self.last + timedelta(days=1))

    def previous(self) -> Period:
        return Period(self.year, 1) if self.half == 2 else Period(self.year - 1, 2)

    def months(self) -> tuple[Month, ...]:
        found = []
        for number in range(self.first.month, self.first.month + 6):
            first = date(self.year, number, 1)
            following = date(self.year + number // 12, number % 12 + 1, 1)
            found.append(Month(first, following - timedelta(days=1)))
        return tuple(found)

    def text_nl(self) -> str:
        """ "1 juli t/m 31 december 2026"."""
        first, last = self.first, self.last
        return (
            f"{first.day} {MONTH_NAMES[first.month - 1]} t/m "
            f"{last.day} {MONTH_NAMES[last.month - 1]} {last.year}"
        )
