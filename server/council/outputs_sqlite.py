"""The report as an SQLite file for the councils' information platform, made with sqlite-utils:
one table per figure, a `columns` table with every column's caption and meaning, a `report`
table with the period and the rules, and beside the file a `metadata.json` that Datasette reads
(`datasette FOLDER` opens the folder with titles and column descriptions; or
`datasette FILE.db -m metadata.json`).

Withheld values are NULL. Nothing else than the published tables goes into the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlite_utils

from app.domain.formatting import date_text
from server.council.disclosure import BASE, THRESHOLD
from server.council.report import Report
from server.council.tables import Table
from server.council.texts import COLUMNS, FIGURES

__all__ = ["METADATA", "database_name", "make_database", "metadata"]

METADATA = "metadata.json"
_TYPES = {"text": str, "count": int, "share": int, "number": int, "mean": float}


def database_name(report: Report) -> str:
    """The file's stem, which is also the database's name in Datasette."""
    area = "" if len(report.areas) > 1 else "-" + report.areas[0].lower().replace(" ", "-")
    return f"raadsinformatie-{report.period.label}{area}"


def _title(report: Report) -> str:
    return f"Raadsinformatie {report.whole} {report.period.label}"


def _facts(report: Report) -> list[dict[str, Any]]:
    return [
        {"key": "period", "value": report.period.label, "text_nl": report.period.text_nl()},
        {
            "key": "previous_period",
            "value": report.previous.label,
            "text_nl": report.previous.text_nl(),
        },
        {
            "key": "counted_until",
            "value": report.as_of.isoformat(),
            "text_nl": f"Geteld tot en met {date_text(report.as_of)}",
        },
        {"key": "areas", "value": ", ".join(report.areas), "text_nl": "Gebieden in dit rapport"},
        {
            "key": "threshold",
            "value": str(THRESHOLD),
            "text_nl": "Aantallen kleiner dan dit zijn weggelaten (leeg)",
        },
        {
            "key": "rounding",
            "value": str(BASE),
            "text_nl": "Overige aantallen afgerond op een veelvoud hiervan",
        },
        {
            "key": "made_on",
            "value": report.made_at.date().isoformat(),
            "text_nl": f"Gemaakt op {date_text(report.made_at)}",
        },
    ]


def _column_rows(tables: list[Table]) -> list[dict[str, Any]]:
    return [
        {
            "table_name": table.name,
            "column_name": column,
            "caption_nl": COLUMNS[column].caption[0],
            "caption_en": COLUMNS[column].caption[1],
            "about_nl": COLUMNS[column].about[0],
            "about_en": COLUMNS[column].about[1],
        }
        for table in tables
        for column in table.columns
    ]


def make_database(report: Report, path: Path) -> None:
    """Write the report's tables into a new SQLite file at `path`."""
    tables = list(report.tables)
    db = sqlite_utils.Database(path)
    try:
        for table in tables:
            created = db.table(table.name).create(
                {column: _TYPES[COLUMNS[column].kind] for column in table.columns},
                column_order=list(table.columns),
            )
            created.insert_all(table.records())
        db.table("columns").insert_all(_column_rows(tables))
        db.table("report").insert_all(_facts(report), pk="key")
    finally:
        db.close()


def metadata(report: Report, existing: dict[str, Any] | None = None) -> dict[str, Any]:
    """Datasette's metadata for this report's database, added to what the folder's metadata
    already says about other reports (so one folder can hold every half year)."""
    tables: dict[str, Any] = {}
    for table in report.tables:
        text = FIGURES[table.name]
        tables[table.name] = {
            "title": f"{text.title[0]} ({text.title[1]})",
            "description": f"{text.about[0]}\n\n{text.about[1]}",
            "columns": {
                column: f"{COLUMNS[column].about[0]} — {COLUMNS[column].about[1]}".strip(" —")
                for column in table.columns
            },
        }
    tables["columns"] = {
        "title": "Kolommen (Columns)",
        "description": "Wat elke kolom betekent. What each column means.",
    }
    tables["report"] = {
        "title": "Over dit rapport (About this report)",
        "description": "Periode, peildatum en regels. Period, reference day and rules.",
    }
    found = dict(existing or {})
    found.setdefault("title", "Raadsinformatie Werk, Inkomen en Zorg")
    found.setdefault(
        "description",
        "Cijfers over het sociaal domein van Het Hogeland, zonder persoonsgegevens: aantallen "
        f"kleiner dan {THRESHOLD} weggelaten, overige afgerond op {BASE}. Figures on the social "
        f"domain of Het Hogeland without personal data: counts below {THRESHOLD} withheld, "
        f"others rounded to {BASE}.",
    )
    found.setdefault("source", "Veldwerk")
    databases = dict(found.get("databases") or {})
    databases[database_name(report)] = {
        "title": _title(report),
        "description": (
            f"{report.period.text_nl()}, vergeleken met {report.previous.text_nl()}; geteld "
            f"tot en met {date_text(report.as_of)}."
        ),
        "tables": tables,
    }
    found["databases"] = databases
    return found


def read_existing(folder: Path) -> dict[str, Any] | None:
    """The folder's metadata.json if it is one of ours to add to; otherwise None (replaced)."""
    path = folder / METADATA
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or not isinstance(found.get("databases", {}), dict):
        return None
    return found


def metadata_bytes(report: Report, folder: Path) -> bytes:
    text = json.dumps(metadata(report, read_existing(folder)), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
