"""The client plan, the visit report and the Wmo report as printed documents: built in memory
from the encrypted store, previewed and printed from memory, saved to a file only when the
caseworker asks, and every print and save audited ("plan v3 afgedrukt door … om …").

The documents themselves are `app.reports`: this module turns stored records into its frozen
values (display names, masked BSN, Dutch labels) and never lays anything out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from app.domain.client import Client
from app.domain.errors import DomainError
from app.domain.formatting import date_text, masked_bsn
from app.domain.intake import Intake
from app.domain.intake_fields import (
    WMO_CHECKS,
    WMO_DATES,
    WMO_REPORT_GIVEN,
    WMO_TOLD,
    topic_field,
    wmo_fields,
)
from app.domain.local_time import local, local_today
from app.domain.plan import ActionOwner, ClientPlan, PlanAction, Signature, SignatureMethod
from app.domain.reference import (
    letterhead_municipality,
    plan_obligations,
    self_sufficiency_domains,
    service_layers,
    wmo_topics,
)
from app.domain.states import VisitStatus
from app.domain.visit import Visit
from app.reports import (
    ActionRow,
    ClientPlanDocument,
    DocumentMeta,
    Party,
    RadarChartData,
    SignatureMark,
    VisitReportDocument,
    WmoReportDocument,
    client_plan_pdf,
)
from app.reports import visit_report_pdf as _visit_report_pdf
from app.reports import wmo_report_pdf as _wmo_report_pdf
from app.services.intake import view_of as intake_view_of
from app.services.plan import PlanVersion, view_of
from app.services.sync import DISPLAY_NAME
from app.storage.atomic import atomic_write_bytes
from app.storage.store import Dossier, RecordNotFound, Store

__all__ = [
    "VISIT_REPORT",
    "WMO_REPORT",
    "caseworker_name",
    "has_wmo_answers",
    "plan_document",
    "plan_pdf",
    "record_document_printed",
    "record_plan_printed",
    "save_document_pdf",
    "save_plan_pdf",
    "visit_report_document",
    "visit_report_pdf",
    "wmo_report_document",
    "wmo_report_pdf",
]

# What the audit of a print or save names as the document (the plan's name its revision).
VISIT_REPORT = "visit_report"
WMO_REPORT = "wmo_report"
CASEWORKER_LINE = "Klantmanager Werk, Inkomen en Zorg"

_OWNER_LABELS = {ActionOwner.CLIENT: "Cliënt", ActionOwner.CASEWORKER: "Klantmanager"}


def _client_party(client: Client) -> Party:
    address = client.address
    return Party(
        name=client.name.display(),
        lines=(
            address.street_line(),
            f"{address.postcode} {address.village.upper()}",
            f"Geboren op {date_text(client.date_of_birth)}",
            f"BSN {masked_bsn(client.bsn.value)}",
        ),
    )


def _mark(role: str, name: str, signature: Signature | None) -> SignatureMark:
    if signature is None:
        return SignatureMark(role=role, name=name, method=None)
    return SignatureMark(
        role=role,
        name=signature.signer or name,
        method=signature.method.value,
        signed_on=signature.signed_on,
        strokes=signature.strokes if signature.method is SignatureMethod.DIGITAL else (),
        pad_width=signature.pad_width,
        pad_height=signature.pad_height,
        reason=signature.reason,
    )


def _action_row(action: PlanAction) -> ActionRow:
    who = action.partner if action.owner is ActionOwner.PARTNER else _OWNER_LABELS[action.owner]
    return ActionRow(
        description=action.description,
        who=who,
        due=action.due_date,
        status=action.status.label("nl"),
    )


def _radar(dossier: Dossier, today: date) -> RadarChartData | None:
    """The newest intake's scores beside the approved one before it, as the Intake tab draws
    them; none when no intake has a score yet."""
    view = intake_view_of(dossier, today=today)
    current, previous = view.intake, view.previous
    if current is None or not _scored(current):
        return None
    domains = self_sufficiency_domains(current.domain_version)
    return RadarChartData(
        labels=tuple(d.nl for d in domains),
        current=tuple(_score(current, d.key) for d in domains),
        previous=tuple(_score(previous, d.key) for d in domains) if previous else None,
    )


def _scored(intake: Intake) -> bool:
    return any(s.score is not None for s in intake.scores.values())


def _score(intake: Intake, key: str) -> int | None:
    found = intake.scores.get(key)
    return found.score if found is not None else None


def _layer_label(key: str) -> str:
    return next((layer.nl for layer in service_layers() if layer.key == key), key)


def plan_document(
    dossier: Dossier, version: PlanVersion, *, caseworker_name: str, printed_on: date
) -> ClientPlanDocument:
    """The printed form of one plan version."""
    plan: ClientPlan = version.plan
    texts = {o.key: o.nl for o in plan_obligations()}
    client = dossier.client
    return ClientPlanDocument(
        meta=DocumentMeta(
            municipality=plan.municipality or client.address.municipality,
            document_date=printed_on,
            reference=plan.id,
            author=caseworker_name,
            version=plan.revision,
            content_hash=version.content_hash,
        ),
        client=_client_party(client),
        caseworker=Party(name=caseworker_name, lines=(CASEWORKER_LINE,)),
        service_layer=_layer_label(plan.service_layer),
        support_offered=plan.support_offered,
        obligations=tuple(texts[key] for key in plan.obligations if key in texts),
        consequences=plan.consequences if plan.obligations else "",
        goals=plan.goals,
        actions=tuple(_action_row(a) for a in version.actions),
        agreements=plan.agreements,
        tegenprestatie=plan.tegenprestatie,
        own_words=plan.own_words,
        next_evaluation=plan.evaluation_due() or plan.next_evaluation,
        radar=_radar(dossier, printed_on),
        signatures=(
            _mark("Cliënt", client.name.display(), plan.client_signature),
            _mark("Klantmanager", caseworker_name, plan.caseworker_signature),
        ),
    )


def _version(dossier: Dossier, plan_id: str) -> PlanVersion:
    found = view_of(dossier, today=local_today()).version(plan_id)
    if found is None:
        raise RecordNotFound(ClientPlan.ENTITY)
    return found


def plan_pdf(
    store: Store, *, plan_id: str, caseworker_name: str, printed_on: date | None = None
) -> bytes:
    """The plan version as PDF bytes, in memory: for the preview and the printer."""
    plan = store.get(ClientPlan, plan_id)
    if plan is None:
        raise RecordNotFound(ClientPlan.ENTITY)
    dossier = store.read_dossier(plan.client_id)
    document = plan_document(
        dossier,
        _version(dossier, plan_id),
        caseworker_name=caseworker_name,
        printed_on=printed_on or local_today(),
    )
    return client_plan_pdf(document)


# ------------------------------------------------------------------------------ visit report


def _municipality(client: Client, on: date) -> str:
    """The letterhead for a record about `client` made on `on`; a village the reference data
    does not know (an older record) keeps the municipality stored with the address."""
    try:
        return letterhead_municipality(client.address.village, on)
    except DomainError:
        return client.address.municipality


def _place(client: Client) -> str:
    return str(client.address)


def visit_report_document(
    dossier: Dossier, visit: Visit, *, caseworker_name: str, printed_on: date
) -> VisitReportDocument:
    """The printed report of a recorded visit: what was noted and its outcome, and the client's
    next planned visit after it."""
    client = dossier.client
    later = sorted(
        v.planned_at
        for v in dossier.visits
        if v.id != visit.id and v.status is VisitStatus.PLANNED and v.planned_at > visit.planned_at
    )
    return VisitReportDocument(
        meta=DocumentMeta(
            municipality=_municipality(client, local(visit.planned_at).date()),
            document_date=printed_on,
            reference=visit.id,
            author=caseworker_name,
        ),
        client=_client_party(client),
        caseworker=Party(name=caseworker_name, lines=(CASEWORKER_LINE,)),
        kind=visit.purpose.label("nl"),
        visited_at=visit.planned_at,
        place=_place(client),
        report="\n\n".join(text.strip() for text in (visit.notes, visit.outcome) if text.strip()),
        next_visit=later[0] if later else None,
    )


def visit_report_pdf(
    store: Store, *, visit_id: str, caseworker_name: str, printed_on: date | None = None
) -> bytes:
    """The report of a recorded visit as PDF bytes, in memory; refused (`visit_not_recorded`)
    for a visit that did not take place (planned, cancelled, not at home)."""
    visit = store.get(Visit, visit_id)
    if visit is None:
        raise RecordNotFound(Visit.ENTITY)
    if visit.status is not VisitStatus.DONE:
        raise DomainError(
            "visit_not_recorded",
            "Alleen van een vastgelegd huisbezoek kan een verslag worden gemaakt.",
            "A report can only be made of a recorded home visit.",
        )
    document = visit_report_document(
        store.read_dossier(visit.client_id),
        visit,
        caseworker_name=caseworker_name,
        printed_on=printed_on or local_today(),
    )
    return _visit_report_pdf(document)


# -------------------------------------------------------------------------------- Wmo report


def _answered(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def has_wmo_answers(intake: Intake) -> bool:
    """Whether any question of the Wmo onderzoek is answered ("nee" is an answer)."""
    return any(_answered(intake.part(name)) for name in wmo_fields())


def wmo_report_document(
    dossier: Dossier, intake: Intake, *, caseworker_name: str, printed_on: date
) -> WmoReportDocument:
    """The written report of the Wmo part of an intake. The onderzoek is dated by the intake's
    submission, or the day of printing while it is a draft. The intake has no field for a
    conclusion: that is left empty (the report leaves its section out)."""
    client = dossier.client
    onderzoek = local(intake.submitted_at).date() if intake.submitted_at else printed_on
    topics = tuple(
        (topic.nl, str(intake.part(topic_field(topic.key)) or "").strip()) for topic in wmo_topics()
    )
    return WmoReportDocument(
        meta=DocumentMeta(
            municipality=_municipality(client, onderzoek),
            document_date=printed_on,
            reference=intake.id,
            author=caseworker_name,
        ),
        client=_client_party(client),
        caseworker=Party(name=caseworker_name, lines=(CASEWORKER_LINE,)),
        melding_date=intake.part_date(WMO_DATES[0]),
        onderzoek_date=onderzoek,
        topics=tuple((topic, found) for topic, found in topics if found),
        told_client_support=intake.part(WMO_TOLD[0]) is True,
        told_personal_plan=intake.part(WMO_TOLD[1]) is True,
        identity_checked=intake.part(WMO_CHECKS[0]) is True,
        mantelzorger_present=intake.part(WMO_CHECKS[1]) is True,
        conclusion="",
        report_given_on=intake.part_date(WMO_REPORT_GIVEN),
    )


def wmo_report_pdf(
    store: Store, *, intake_id: str, caseworker_name: str, printed_on: date | None = None
) -> bytes:
    """The report of the intake's Wmo onderzoek as PDF bytes, in memory; refused
    (`wmo_not_answered`) while no question of the Wmo part is answered."""
    intake = store.get(Intake, intake_id)
    if intake is None:
        raise RecordNotFound(Intake.ENTITY)
    if not has_wmo_answers(intake):
        raise DomainError(
            "wmo_not_answered",
            "Deze intake heeft nog geen antwoorden van het Wmo-onderzoek.",
            "This intake has no answers of the Wmo assessment yet.",
        )
    document = wmo_report_document(
        store.read_dossier(intake.client_id),
        intake,
        caseworker_name=caseworker_name,
        printed_on=printed_on or local_today(),
    )
    return _wmo_report_pdf(document)


# --------------------------------------------------------------------------- print and save


def _record_print(
    store: Store, entity: str, record_id: str, client_id: str, **details: Any
) -> None:
    store.record_event("print", entity, record_id=record_id, client_id=client_id, **details)


def _save_pdf(
    store: Store,
    entity: str,
    record_id: str,
    client_id: str,
    data: bytes,
    path: Path,
    **details: Any,
) -> None:
    atomic_write_bytes(path, data, mode=0o600)
    store.record_event(
        "export", entity, record_id=record_id, client_id=client_id, **details, format="pdf"
    )


def record_plan_printed(store: Store, *, plan_id: str, copies: int, pages: int) -> None:
    """Every print is audited: which version, how many copies and pages, by whom, when."""
    plan = store.get(ClientPlan, plan_id)
    if plan is None:
        raise RecordNotFound(ClientPlan.ENTITY)
    _record_print(
        store,
        ClientPlan.ENTITY,
        plan.id,
        plan.client_id,
        revision=plan.revision,
        copies=copies,
        pages=pages,
    )


def save_plan_pdf(store: Store, *, plan_id: str, data: bytes, path: Path) -> None:
    """Saving is an explicit act: written atomically, readable by the user alone, audited
    (without the file's name: it may carry the client's)."""
    plan = store.get(ClientPlan, plan_id)
    if plan is None:
        raise RecordNotFound(ClientPlan.ENTITY)
    _save_pdf(store, ClientPlan.ENTITY, plan.id, plan.client_id, data, path, revision=plan.revision)


def record_document_printed(
    store: Store,
    *,
    entity: str,
    record_id: str,
    client_id: str,
    document: str,
    copies: int,
    pages: int,
) -> None:
    """A print of a document about one record (a visit's report: entity "visit", document
    `VISIT_REPORT`), audited like the plan's: which document, copies, pages, by whom, when."""
    _record_print(
        store, entity, record_id, client_id, document=document, copies=copies, pages=pages
    )


def save_document_pdf(
    store: Store,
    *,
    entity: str,
    record_id: str,
    client_id: str,
    document: str,
    data: bytes,
    path: Path,
) -> None:
    """Save a document's PDF as the plan's is saved: atomically, mode 0600, audited without the
    file's name."""
    _save_pdf(store, entity, record_id, client_id, data, path, document=document)


def caseworker_name(store: Store) -> str:
    """The signed-in caseworker's name as documents print it."""
    return str(store.setting(DISPLAY_NAME) or store.actor)
