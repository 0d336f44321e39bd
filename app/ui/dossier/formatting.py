"""How the dossier screen writes dates, times and sizes: 22-11-2026, 14:05, 1,2 MB."""

from __future__ import annotations

from datetime import date, datetime

from app.domain.local_time import local


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return value.strftime("%d-%m-%Y")


def fmt_time(value: datetime | None) -> str:
    return local(value).strftime("%H:%M") if value is not None else ""


def fmt_datetime(value: datetime | None) -> str:
    return f"{fmt_date(value)} {fmt_time(value)}" if value is not None else ""


def first_line(text: str, limit: int = 80) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
