"""Client plan verbs: read a client's plan versions, start a plan or a new version, save the
draft as it is typed, its actions, the signatures; and the printed plan, built in memory for the
preview and the printer, saved to a file only when asked.

    plan.save_plan(
        parent=self, session=self._session, plan_id=pid, client_id=cid, values={name: value}
    ).run()

Every write names the plan's client in its Changes: "client_plan" and "plan_action" (a version's
state follows from its actions too, and an action's screen from its plan), and the audit topic,
since each write, print and save is a line in the dossier's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from app.domain.changes import Changes
from app.domain.plan import (
    ActionOwner,
    ClientPlan,
    PlanAction,
    Signature,
    SignatureMethod,
    SignerRole,
)
from app.services import documents
from app.services import plan as service
from app.services.plan import PlanView
from app.ui.operations.dossier import AUDIT
from app.ui.operations.op import Op, QueryOp, Task
from app.ui.plan import printing
from app.ui.session import Session

__all__ = [
    "LoadedPlan",
    "PlanPdf",
    "SignatureChoice",
    "add_action",
    "build_plan_pdf",
    "load_plan",
    "move_action",
    "plan_changes",
    "print_plan",
    "remove_action",
    "save_action",
    "save_plan",
    "save_plan_pdf",
    "sign_plan",
    "start_plan",
]


def plan_changes(client_id: str) -> Changes:
    """What any write to a client's plan changed, as the bus carries it."""
    return Changes.of(ClientPlan.ENTITY, PlanAction.ENTITY, AUDIT, client_id=client_id)


def audited(client_id: str) -> Changes:
    return Changes.for_clients([AUDIT], [client_id])


@dataclass(frozen=True, slots=True)
class LoadedPlan:
    """The plan versions and the names the signatures go under."""

    view: PlanView
    caseworker_name: str


@dataclass(frozen=True, slots=True)
class PlanPdf:
    """A plan version as a PDF in memory, with its number of pages."""

    plan_id: str
    data: bytes
    pages: int


@dataclass(frozen=True, slots=True)
class SignatureChoice:
    """What the signature dialog gave, before it is a domain `Signature` (built on the storage
    lane, so an invalid one fails the op like any refused write)."""

    method: SignatureMethod
    signer: str
    strokes: tuple[tuple[tuple[float, float, float, int], ...], ...] = ()
    pad_width: float = 0.0
    pad_height: float = 0.0
    paper_date: date | None = None
    reason: str = ""

    def signature(self, at: datetime) -> Signature:
        return Signature(
            signer=self.signer,
            method=self.method,
            signed_at=at,
            strokes=self.strokes,
            pad_width=self.pad_width,
            pad_height=self.pad_height,
            paper_date=self.paper_date,
            reason=self.reason,
        )


# ------------------------------------------------------------------------------------ reading


def load_plan(
    *,
    parent: QWidget,
    session: Session,
    client_id: str,
    today: date | None = None,
    key: str = "plan",
) -> QueryOp[LoadedPlan]:
    """Every version of the client's plan, oldest first, with their actions and changes."""
    store = session.store
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: LoadedPlan(
            service.plan_view(store, client_id, today=today), documents.caseworker_name(store)
        ),
        name="load_plan",
        key=key,
    )


def page_count(data: bytes) -> int:
    document = QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    try:
        return document.pageCount() if document.status() == QPdfDocument.Status.Ready else 0
    finally:
        document.close()


def build_plan_pdf(
    *, parent: QWidget, session: Session, plan_id: str, key: str = "plan_pdf"
) -> QueryOp[PlanPdf]:
    """The version as PDF bytes in memory, for the preview or the printer: nothing on disk,
    nothing audited (printing and saving are)."""
    store = session.store

    def work(_task: Task) -> PlanPdf:
        data = documents.plan_pdf(
            store, plan_id=plan_id, caseworker_name=documents.caseworker_name(store)
        )
        return PlanPdf(plan_id, data, page_count(data))

    return QueryOp(parent=parent, context=session, work=work, name="build_plan_pdf", key=key)


# ------------------------------------------------------------------------------------ writing


def start_plan(*, parent: QWidget, session: Session, client_id: str) -> Op[ClientPlan]:
    """The first plan, or a new version of the newest with its content and open actions;
    refused (`plan_draft_open`) while a draft exists."""
    store, caseworker = session.store, session.username
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.start_plan(store, client_id=client_id, caseworker=caseworker),
        changes=plan_changes(client_id),
        name="start_plan",
    )


def save_plan(
    *,
    parent: QWidget,
    session: Session,
    plan_id: str,
    client_id: str,
    values: Mapping[str, Any],
) -> Op[ClientPlan]:
    """Save some content fields of a draft (`app.domain.plan.CONTENT_FIELDS`)."""
    store, fields = session.store, dict(values)
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.save_plan(store, plan_id=plan_id, values=fields),
        changes=plan_changes(client_id),
        name="save_plan",
    )


def add_action(
    *,
    parent: QWidget,
    session: Session,
    plan_id: str,
    client_id: str,
    description: str,
    owner: ActionOwner,
    partner: str = "",
    due_date: date | None = None,
) -> Op[PlanAction]:
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.add_action(
            store,
            plan_id=plan_id,
            description=description,
            owner=owner,
            partner=partner,
            due_date=due_date,
        ),
        changes=plan_changes(client_id),
        name="add_action",
    )


def save_action(
    *,
    parent: QWidget,
    session: Session,
    action_id: str,
    client_id: str,
    values: Mapping[str, Any],
) -> Op[PlanAction]:
    """What, who and when of an action in a draft; its status in a draft or the active plan."""
    store, fields = session.store, dict(values)
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.save_action(store, action_id=action_id, values=fields),
        changes=plan_changes(client_id),
        name="save_action",
    )


def move_action(
    *, parent: QWidget, session: Session, action_id: str, client_id: str, offset: int
) -> Op[tuple[PlanAction, ...]]:
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.move_action(store, action_id=action_id, offset=offset),
        changes=plan_changes(client_id),
        name="move_action",
    )


def remove_action(*, parent: QWidget, session: Session, action_id: str, client_id: str) -> Op[None]:
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.remove_action(store, action_id=action_id),
        changes=plan_changes(client_id),
        name="remove_action",
    )


def sign_plan(
    *,
    parent: QWidget,
    session: Session,
    plan_id: str,
    client_id: str,
    role: SignerRole,
    choice: SignatureChoice,
) -> Op[ClientPlan]:
    """One party signs the draft; with both signatures it is the active plan (the result's
    status says so) and the plan it replaces is closed."""
    store = session.store

    def work(_task: Task) -> ClientPlan:
        now = datetime.now(UTC)
        return service.sign_plan(
            store, plan_id=plan_id, role=role, signature=choice.signature(now), at=now
        )

    return Op(
        parent=parent,
        context=session,
        work=work,
        changes=plan_changes(client_id),
        name="sign_plan",
    )


# ------------------------------------------------------------------------------- the document


def print_plan(
    *,
    parent: QWidget,
    session: Session,
    pdf: PlanPdf,
    client_id: str,
    printer: QPrinter,
) -> Op[int]:
    """Print the PDF on the chosen printer, page by page with progress (`Task.report`: "",
    done, total; cancelling stops before the next page), then audit the print with the copies
    and the pages that went to the printer. Returns the pages printed.

    On the storage lane, behind the saves the user just made: a plan of a few pages prints in
    about a second, and the audit line follows the print in order."""
    store = session.store

    def work(task: Task) -> int:
        pages = printing.print_pdf(
            pdf.data,
            printer,
            progress=lambda done, total: task.report("", done, total),
            cancelled=lambda: task.cancelled,
        )
        if pages:
            documents.record_plan_printed(
                store, plan_id=pdf.plan_id, copies=max(1, printer.copyCount()), pages=pages
            )
        return pages

    return Op(
        parent=parent,
        context=session,
        work=work,
        changes=audited(client_id),
        name="print_plan",
    )


def save_plan_pdf(
    *, parent: QWidget, session: Session, plan_id: str, client_id: str, path: Path
) -> Op[Path]:
    """Build the version's PDF and write it to `path` (atomically, readable by the user alone,
    audited). Returns the path written."""
    store = session.store

    def work(_task: Task) -> Path:
        data = documents.plan_pdf(
            store, plan_id=plan_id, caseworker_name=documents.caseworker_name(store)
        )
        documents.save_plan_pdf(store, plan_id=plan_id, data=data, path=path)
        return path

    return Op(
        parent=parent,
        context=session,
        work=work,
        changes=audited(client_id),
        name="save_plan_pdf",
    )
