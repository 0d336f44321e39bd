"""Printed reports of a dossier besides the plan: the report of a recorded home visit and the
written report of the Wmo onderzoek. Built in memory off the UI thread for the preview and the
printer, saved to a file only when asked; every print and save is audited, as the plan's.

    build_visit_report(
        parent=self, session=self._session, visit_id=vid, client_id=cid
    ).success(show).run()
    print_report(parent=self, session=self._session, pdf=pdf, printer=printer).run()

The plan's verbs are `app.ui.operations.plan`; this module reuses its page count and audit
changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from app.domain.intake import Intake
from app.domain.visit import Visit
from app.services import documents
from app.ui.operations.op import Op, QueryOp, Task
from app.ui.operations.plan import audited, page_count
from app.ui.plan import printing
from app.ui.session import Session

__all__ = [
    "ReportPdf",
    "build_visit_report",
    "build_wmo_report",
    "print_report",
    "save_report_pdf",
]


@dataclass(frozen=True, slots=True)
class ReportPdf:
    """A report as a PDF in memory, with what it is about (for the audit) and its pages."""

    entity: str  # "visit" or "intake"
    record_id: str
    client_id: str
    document: str  # documents.VISIT_REPORT or documents.WMO_REPORT
    data: bytes
    pages: int


_ENTITIES = {documents.VISIT_REPORT: Visit.ENTITY, documents.WMO_REPORT: Intake.ENTITY}


def _maker(session: Session, document: str, record_id: str) -> Callable[[], bytes]:
    """What builds the document's bytes on the lane, over the store of the op's session."""
    store = session.store

    def make() -> bytes:
        name = documents.caseworker_name(store)
        if document == documents.VISIT_REPORT:
            return documents.visit_report_pdf(store, visit_id=record_id, caseworker_name=name)
        return documents.wmo_report_pdf(store, intake_id=record_id, caseworker_name=name)

    return make


def _builder(
    session: Session, document: str, record_id: str, client_id: str
) -> Callable[[Task], ReportPdf]:
    make = _maker(session, document, record_id)

    def work(_task: Task) -> ReportPdf:
        data = make()
        entity = _ENTITIES[document]
        return ReportPdf(entity, record_id, client_id, document, data, page_count(data))

    return work


def build_visit_report(
    *, parent: QWidget, session: Session, visit_id: str, client_id: str, key: str = "visit_report"
) -> QueryOp[ReportPdf]:
    """The report of a recorded visit as PDF bytes in memory: nothing on disk, nothing audited
    (printing and saving are). Fails (`visit_not_recorded`) for a visit that did not happen."""
    return QueryOp(
        parent=parent,
        context=session,
        work=_builder(session, documents.VISIT_REPORT, visit_id, client_id),
        name="build_visit_report",
        key=key,
    )


def build_wmo_report(
    *, parent: QWidget, session: Session, intake_id: str, client_id: str, key: str = "wmo_report"
) -> QueryOp[ReportPdf]:
    """The written report of the intake's Wmo onderzoek as PDF bytes in memory; fails
    (`wmo_not_answered`) while the Wmo part has no answer."""
    return QueryOp(
        parent=parent,
        context=session,
        work=_builder(session, documents.WMO_REPORT, intake_id, client_id),
        name="build_wmo_report",
        key=key,
    )


def print_report(
    *, parent: QWidget, session: Session, pdf: ReportPdf, printer: QPrinter
) -> Op[int]:
    """Print the report on the chosen printer, page by page with progress (cancelling stops
    before the next page), then audit the print with its copies and pages, as `print_plan`
    does. Returns the pages printed."""
    store = session.store

    def work(task: Task) -> int:
        pages = printing.print_pdf(
            pdf.data,
            printer,
            progress=lambda done, total: task.report("", done, total),
            cancelled=lambda: task.cancelled,
        )
        if pages:
            documents.record_document_printed(
                store,
                entity=pdf.entity,
                record_id=pdf.record_id,
                client_id=pdf.client_id,
                document=pdf.document,
                copies=max(1, printer.copyCount()),
                pages=pages,
            )
        return pages

    return Op(
        parent=parent,
        context=session,
        work=work,
        changes=audited(pdf.client_id),
        name="print_report",
    )


def save_report_pdf(
    *,
    parent: QWidget,
    session: Session,
    document: str,
    record_id: str,
    client_id: str,
    path: Path,
) -> Op[Path]:
    """Build the report (`documents.VISIT_REPORT` or `documents.WMO_REPORT` of `record_id`) and
    write it to `path`: atomically, readable by the user alone, audited. Returns the path."""
    store, make = session.store, _maker(session, document, record_id)

    def work(_task: Task) -> Path:
        documents.save_document_pdf(
            store,
            entity=_ENTITIES[document],
            record_id=record_id,
            client_id=client_id,
            document=document,
            data=make(),
            path=path,
        )
        return path

    return Op(
        parent=parent,
        context=session,
        work=work,
        changes=audited(client_id),
        name="save_report_pdf",
    )
