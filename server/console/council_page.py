"""The council report for download (issue #16's back end, server.council): central office
chooses a half year and, if it wants, one former municipality, and gets the PDF, the SQLite
file, or both with Datasette's metadata.json in one zip — the files `veldwerk-server
council-report` writes. Nothing personal is in them by construction (server.council: counts
below 10 withheld, others rounded, means over groups of at least 10; no identifier, name,
date of birth, postcode or free text). The files are made in memory and in a temporary folder
that is removed at once; every download is audited in the administrator's name, as the
command's report is."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.domain.errors import VeldwerkError
from app.domain.local_time import local_today
from server.api.deps import SessionDep
from server.console.forms import text_field
from server.console.guard import CheckedForm, CurrentAdmin
from server.console.text import TEXT
from server.console.web import PREFIX, SECURITY_HEADERS, render
from server.council.areas import REGION, areas, choose_areas
from server.council.outputs_pdf import report_pdf
from server.council.outputs_sqlite import (
    METADATA,
    database_name,
    make_database,
    metadata_bytes,
)
from server.council.periods import Period
from server.council.report import FuturePeriod, Report, council_report
from server.crud import audit

router = APIRouter(prefix=PREFIX, include_in_schema=False)

# What the form's buttons ask for: the file's suffix and its media type.
KINDS = {
    "pdf": ("pdf", "application/pdf"),
    "sqlite": ("db", "application/vnd.sqlite3"),
    "zip": ("zip", "application/zip"),
}


def _today() -> date:
    """The day a running half year is counted up to: central office's local date."""
    return local_today()


def _page(
    request: Request,
    admin: CurrentAdmin,
    *,
    status: int = 200,
    error: str | None = None,
    period: str | None = None,
    area: str = "",
) -> Response:
    today = _today()
    current = Period.containing(today)
    return render(
        request,
        "council.html",
        status=status,
        admin=admin,
        csrf=admin.csrf,
        period=Period.containing(today).label if period is None else period,
        examples=(current.label, current.previous().label),
        areas=areas(),
        region=REGION,
        area=area,
        error=error,
    )


@router.get("/raadsinformatie")
def council_form(request: Request, admin: CurrentAdmin) -> Response:
    return _page(request, admin)


def _sqlite_file(report: Report, folder: Path) -> bytes:
    path = folder / f"{database_name(report)}.db"
    make_database(report, path)
    return path.read_bytes()


def _files(report: Report, kind: str) -> tuple[str, bytes, list[str]]:
    """The download (its name and bytes) and the names of the report's files in it."""
    name = database_name(report)
    if kind == "pdf":
        return f"{name}.pdf", report_pdf(report), [f"{name}.pdf"]
    with tempfile.TemporaryDirectory(prefix="veldwerk-raad-") as scratch:
        folder = Path(scratch)
        database = _sqlite_file(report, folder)
        if kind == "sqlite":
            return f"{name}.db", database, [f"{name}.db"]
        packed = io.BytesIO()
        inside = {
            f"{name}.db": database,
            f"{name}.pdf": report_pdf(report),
            METADATA: metadata_bytes(report, folder),
        }
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in inside.items():
                archive.writestr(member, data)
        return f"{name}.zip", packed.getvalue(), list(inside)


@router.post("/raadsinformatie")
def council_download(
    request: Request, session: SessionDep, admin: CurrentAdmin, form: CheckedForm
) -> Response:
    period_text = text_field(form, "period", 20)
    area = text_field(form, "municipality", 60)
    kind = text_field(form, "bestand", 10)
    today = _today()
    error = "council.unknown_kind" if kind not in KINDS else None
    try:
        period = Period.parse(period_text)
        choose_areas(area or None)
        if period.first > today:
            raise FuturePeriod(period)
    except VeldwerkError as refused:
        key = f"council.{refused.code}"
        error = key if key in TEXT else "council.refused"
    if error is not None:
        return _page(request, admin, status=422, error=error, period=period_text, area=area)
    report = council_report(
        session, period, municipality=area or None, as_of=today, now=datetime.now(UTC)
    )
    name, data, files = _files(report, kind)
    audit.record(
        session,
        actor=admin.username,
        action="council_report",
        entity="server",
        period=period.label,
        areas=list(report.areas),
        files=files,
    )
    session.commit()
    return Response(
        data,
        media_type=KINDS[kind][1],
        headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )
