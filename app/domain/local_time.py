"""The one time zone the people of the four municipalities live in. Every date and time shown
or compared with "today" is taken in it, whatever the laptop's own zone setting says."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

ZONE: tzinfo = ZoneInfo("Europe/Amsterdam")


def local(moment: datetime) -> datetime:
    """An aware moment in local time; a naive one is taken to be local already."""
    return moment.replace(tzinfo=ZONE) if moment.tzinfo is None else moment.astimezone(ZONE)


def local_today() -> date:
    """Today's date in the four municipalities."""
    return datetime.now(ZONE).date()
