"""Client import: upload central office's CSV, see the dry run (counts, every problem with its
line and column, the rows that would change), then apply it; the result is kept as an import
record in the audit log (action `import_clients`, the file's SHA-256 as its record id).

Between the dry run and the apply the server keeps nothing: the apply form asks for the same
file again and takes it only when its SHA-256 is the one the dry run was shown for, in this
session, within the last half hour (a ticket signed with the session's secret). Keeping the
bytes on the server instead would tie the apply to the worker process that saw the dry run
(the server runs as several workers behind a balancer, DESIGN.md §4) or need a table, and
would hold a list of BSNs and addresses in memory for minutes. The apply checks the whole file
again in its own transaction, so a caseworker deactivated meanwhile blocks it as in the dry run.

Uploads are parsed in memory only (never spooled to a temporary file): the body cap of
server.body_limit (2 MiB: some 17,000 rows of the export at about 120 bytes a row;
2,000 rows are 240 kB) bounds them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from python_multipart.exceptions import MultipartParseError
from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from app.domain.schema import field_names
from server.api.deps import SessionDep
from server.client_import import parse_clients
from server.console.guard import CurrentAdmin, FormRefused, same_origin
from server.console.shown import bsn, client_name, moment
from server.console.web import PREFIX, language_of, redirect, render
from server.crud import audit
from server.crud.records import changed_values
from server.models import AuditEntry, clients
from server.security import same
from server.seed import ImportReport, import_clients

router = APIRouter(prefix=PREFIX, include_in_schema=False)

ACTION = "import_clients"
TICKET_SECONDS = 30 * 60
SHOWN_ROWS = 500
UPLOAD_BYTES = 4 * 1024 * 1024  # above the body cap: the whole file stays in memory
_CHUNK = 900
_CLIENT_FIELDS = frozenset(field_names("client"))


async def checked_upload(request: Request, admin: CurrentAdmin) -> FormData:
    """A posted multipart form with its CSRF token checked (as `CheckedForm`), parsed in
    memory: a client list never lands in a temporary file."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise FormRefused()
    parser = MultiPartParser(
        request.headers, request.stream(), max_files=1, max_fields=5, max_part_size=4096
    )
    parser.spool_max_size = UPLOAD_BYTES
    try:
        form = await parser.parse()
    except (MultiPartException, MultipartParseError) as error:
        raise FormRefused() from error
    token = form.get("csrf_token")
    if not same_origin(request) or not isinstance(token, str) or not same(token, admin.csrf):
        raise FormRefused()
    return form


CheckedUpload = Annotated[FormData, Depends(checked_upload)]


async def _file(form: FormData) -> tuple[bytes, str]:
    upload = form.get("bestand")
    if not isinstance(upload, UploadFile):
        return b"", ""
    data = await upload.read()
    await upload.close()
    return data, (upload.filename or "")[-100:]


def _ticket(admin: CurrentAdmin, digest: str, issued: int | None = None) -> str:
    issued = int(time.time()) if issued is None else issued
    mac = hmac.new(admin.csrf.encode(), f"{digest}.{issued}".encode(), hashlib.sha256)
    return f"{issued}.{mac.hexdigest()}"


def _ticket_holds(admin: CurrentAdmin, digest: str, ticket: str) -> bool:
    issued, _, _mac = ticket.partition(".")
    if not issued.isdigit() or time.time() - int(issued) > TICKET_SECONDS:
        return False
    return same(ticket, _ticket(admin, digest, int(issued)))


def _records(session: SessionDep, limit: int = 20) -> list[dict[str, Any]]:
    found = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == ACTION)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [_record(entry) for entry in found]


def _record(entry: AuditEntry) -> dict[str, Any]:
    details = entry.details or {}
    return {
        "id": entry.id,
        "at": moment(entry.at),
        "by": entry.actor,
        "sha256": entry.record_id or "",
        "file": str(details.get("file", "")),
        **{k: int(details.get(k, 0)) for k in ("rows", "created", "updated", "unchanged")},
        "assigned": int(details.get("assigned", 0)),
    }


def _upload_page(
    request: Request,
    session: SessionDep,
    admin: CurrentAdmin,
    *,
    status: int = 200,
    error: str | None = None,
) -> Response:
    return render(
        request,
        "import.html",
        status=status,
        admin=admin,
        csrf=admin.csrf,
        records=_records(session),
        error=error,
    )


@router.get("/import")
def import_form(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    return _upload_page(request, session, admin)


def _changes(session: SessionDep, data: bytes) -> list[dict[str, Any]]:
    """The rows of a file without problems that would change something, in the file's order,
    as `server.seed.import_clients` decides it: new, which fields, a new caseworker."""
    plan = parse_clients(data)
    bsns = [row.client.bsn.value for row in plan.rows]
    stored: dict[str, dict[str, Any]] = {}
    for start in range(0, len(bsns), _CHUNK):
        chunk = bsns[start : start + _CHUNK]
        for found in session.execute(select(clients).where(clients.c.bsn.in_(chunk))):
            stored[str(found.bsn)] = dict(found._mapping)
    changes = []
    for row in plan.rows:
        fields = row.client.to_fields()
        before = stored.get(row.client.bsn.value)
        if before is None:
            what: list[str] = []
            kind = "new"
        else:
            client = replace(
                row.client,
                id=str(before["id"]),
                participation_step=before["participation_step"],
                caseworker=row.caseworker or str(before["caseworker"]),
            )
            values = changed_values(client, before, by="") or {}
            what = sorted(name for name in values if name in _CLIENT_FIELDS)
            if not what and not before["deleted"]:
                continue
            kind = "changed"
        changes.append(
            {
                "line": row.line,
                "kind": kind,
                "name": client_name(fields),
                "bsn": bsn(row.client.bsn.value),
                "village": fields.get("village", ""),
                "caseworker": row.caseworker or "",
                "fields": what,
            }
        )
    return changes


# server.client_import words every problem "Regel 4, kolom 'bsn': ..." ("Line 4, column ...";
# "Bestand: ..." for the whole file); the page shows line and column in columns of their own.
_WHERE = re.compile(
    r"(?:(?:Regel|Line) (\d+)(?:, (?:kolom|column) '(.*?)')?|Bestand|File): (.*)", re.S
)


def problem_row(message: str) -> dict[str, str]:
    found = _WHERE.fullmatch(message)
    if found is None:
        return {"line": "", "column": "", "message": message}
    line, column, rest = found.groups()
    return {"line": line or "", "column": column or "", "message": rest[:1].upper() + rest[1:]}


def _dry_run_page(
    request: Request,
    session: SessionDep,
    admin: CurrentAdmin,
    report: ImportReport,
    data: bytes,
    file_name: str,
    *,
    status: int = 200,
    error: str | None = None,
) -> Response:
    language = language_of(request)
    digest = hashlib.sha256(data).hexdigest()
    changes = [] if report.blocked else _changes(session, data)
    session.rollback()  # the dry run's own work was rolled back; nothing else is kept either
    return render(
        request,
        "import_dry_run.html",
        status=status,
        admin=admin,
        csrf=admin.csrf,
        report=report,
        problems=[problem_row(problem.message(language)) for problem in report.problems],
        changes=changes[:SHOWN_ROWS],
        more_changes=max(0, len(changes) - SHOWN_ROWS),
        file_name=file_name,
        sha256=digest,
        ticket=_ticket(admin, digest),
        error=error,
    )


def _check(session: SessionDep, data: bytes, *, dry_run: bool, by: str) -> ImportReport:
    return import_clients(session, data, dry_run=dry_run, skip_invalid=False, by=by)


@router.post("/import/proef")
async def dry_run(
    request: Request, session: SessionDep, admin: CurrentAdmin, form: CheckedUpload
) -> Response:
    data, file_name = await _file(form)
    if not data:
        return _upload_page(request, session, admin, status=422, error="import.no_file")
    report = _check(session, data, dry_run=True, by=admin.username)
    return _dry_run_page(request, session, admin, report, data, file_name)


@router.post("/import/toepassen")
async def apply(
    request: Request, session: SessionDep, admin: CurrentAdmin, form: CheckedUpload
) -> Response:
    data, file_name = await _file(form)
    if not data:
        return _upload_page(request, session, admin, status=422, error="import.no_file")
    digest = hashlib.sha256(data).hexdigest()
    ticket = form.get("ticket")
    expected = form.get("sha256")
    if (
        expected != digest
        or not isinstance(ticket, str)
        or not _ticket_holds(admin, digest, ticket)
    ):
        # Another file, or a dry run of another session or too long ago: show this file's.
        report = _check(session, data, dry_run=True, by=admin.username)
        return _dry_run_page(
            request, session, admin, report, data, file_name, status=409, error="import.not_seen"
        )
    report = _check(session, data, dry_run=False, by=admin.username)
    if report.blocked:
        session.rollback()
        return _dry_run_page(
            request, session, admin, report, data, file_name, status=422, error="import.blocked"
        )
    entry = AuditEntry(
        **audit.row(
            actor=admin.username,
            action=ACTION,
            entity="client_import",
            record_id=digest,
            file=file_name,
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            assigned=report.assigned,
            ignored_columns=list(report.ignored_columns),
        )
    )
    session.add(entry)
    session.commit()
    return redirect(f"/import/{entry.id}", melding="import.done")


@router.get("/import/{import_id}")
def import_record(
    request: Request,
    import_id: Annotated[int, Path(ge=1, le=2**62)],
    session: SessionDep,
    admin: CurrentAdmin,
) -> Response:
    entry = session.get(AuditEntry, import_id)
    if entry is None or entry.action != ACTION:
        return _upload_page(request, session, admin, status=404, error="import.gone")
    done = request.query_params.get("melding") == "import.done"
    return render(
        request,
        "import_record.html",
        admin=admin,
        csrf=admin.csrf,
        record=_record(entry),
        notice="import.done" if done else None,
    )
