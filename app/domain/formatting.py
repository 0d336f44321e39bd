"""How Veldwerk writes values for people: 22-11-2026, 14:05, "Jan de Vries", ******782, 1,2 MB.

One module so that every screen, message and document writes them the same way. Dates and times
are shown in the municipalities' own zone (app.domain.local_time), whatever the laptop's setting.
A naive `datetime` object is taken to be local already (the rule of `local_time.local`); a naive
ISO *string* is taken to be UTC, because stored and synced times are written in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from app.domain.local_time import ZONE

__all__ = [
    "capitalised",
    "date_text",
    "first_line",
    "full_name",
    "masked_bsn",
    "mid_sentence",
    "moment_text",
    "size_text",
    "sort_name",
    "time_text",
]

DATE_FORMAT = "%d-%m-%Y"
TIME_FORMAT = "%H:%M"


def _moment(value: datetime | str, zone: tzinfo) -> datetime:
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(zone)
    return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)


def date_text(value: date | datetime | str | None, *, zone: tzinfo = ZONE) -> str:
    """A day as 22-11-2026; a moment is first taken to the local zone (its local day). "" for
    None. A string is an ISO date ("2026-11-22") or moment; a malformed one raises ValueError."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            day: date = date.fromisoformat(value)
        except ValueError:
            day = _moment(value, zone)
    elif isinstance(value, datetime):
        day = _moment(value, zone)
    else:
        day = value
    return day.strftime(DATE_FORMAT)


def time_text(value: datetime | str | None, *, zone: tzinfo = ZONE) -> str:
    """A time as 14:05, local time. "" for None."""
    return _moment(value, zone).strftime(TIME_FORMAT) if value is not None else ""


def moment_text(value: datetime | str | None, *, zone: tzinfo = ZONE) -> str:
    """A moment as 22-11-2026 14:05, local time. "" for None; a malformed ISO string raises
    ValueError."""
    if value is None:
        return ""
    return _moment(value, zone).strftime(f"{DATE_FORMAT} {TIME_FORMAT}")


# -------------------------------------------------------------------------------------- text


def capitalised(text: str) -> str:
    """The first letter as a capital, the rest untouched; the Dutch digraph ij becomes IJ
    ("ijsbrand" -> "IJsbrand", never "Ijsbrand")."""
    if text[:2] in ("ij", "Ij"):
        return "IJ" + text[2:]
    return text[:1].upper() + text[1:]


def mid_sentence(text: str) -> str:
    """A caption as it reads inside a sentence: "Postcode" -> "postcode", but an abbreviation
    stays as it is ("BSN", "ZRM")."""
    first_word = text.split(" ", 1)[0]
    if first_word[:2] == "IJ" and first_word[2:3].islower():
        return "ij" + text[2:]
    if len(first_word) > 1 and first_word[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def first_line(text: str, limit: int = 80) -> str:
    """The first non-empty line, cut at `limit` characters with an ellipsis."""
    stripped = text.strip()
    line = stripped.splitlines()[0].strip() if stripped else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


# ------------------------------------------------------------------------------------- names


def _given(first_names: str, initials: str) -> str:
    given = first_names.split(maxsplit=1)[0] if first_names.strip() else initials.strip()
    return capitalised(given)


def full_name(
    *, surname: str, first_names: str = "", initials: str = "", name_prefix: str = ""
) -> str:
    """The display form, in Dutch order: "Jan de Vries"; "J. de Vries" without a first name.

    The first of the first names is the name people use; it starts with a capital (IJ as one
    letter: "IJsbrand"). The prefix stays lower case inside the name, and the surname is kept as
    registered: some start with a small letter ("d'Ancona")."""
    parts = (_given(first_names, initials), name_prefix.strip().lower(), surname.strip())
    return " ".join(p for p in parts if p)


def sort_name(
    *, surname: str, first_names: str = "", initials: str = "", name_prefix: str = ""
) -> str:
    """The list form, sorted on the surname: "Vries, Jan de" ("Vries, J. de")."""
    tail = " ".join(p for p in (_given(first_names, initials), name_prefix.strip().lower()) if p)
    return f"{surname.strip()}, {tail}" if tail else surname.strip()


def masked_bsn(bsn: str | None) -> str:
    """A BSN as ******782: enough to tell two clients apart on screen, not enough to be a BSN."""
    if not bsn:
        return ""
    return "*" * max(len(bsn) - 3, 0) + bsn[-3:]


# -------------------------------------------------------------------------------------- sizes


def size_text(size: int, language: str = "nl") -> str:
    """A file size for people: "512 bytes", "4 kB", "1,5 MB" ("1.5 MB" in English), "2 GB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size // 1024} kB"
    unit, amount = "MB", size / (1024 * 1024)
    if amount >= 1024:
        unit, amount = "GB", amount / 1024
    text = f"{amount:.0f}" if amount == int(amount) else f"{amount:.1f}"
    if language.startswith("nl"):
        text = text.replace(".", ",")
    return f"{text} {unit}"
