"""The client plan as a printed document: built in memory from the encrypted store, previewed and
printed from memory, saved to a file only when the caseworker asks, and every print and save
audited ("plan v3 afgedrukt door … om …").

The documents themselves are `app.reports`: this module turns stored records into its frozen
values (display names, masked BSN, Dutch labels) and never lays anything out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.domain.client import Client
from app.domain.formatting import date_text, masked_bsn
from app.domain.intake import Intake
from app.domain.local_time import local_today
from app.domain.plan import ActionOwner, ClientPlan, PlanAction, Signature, SignatureMethod
from app.domain.reference import plan_obligations, self_sufficiency_domains, service_layers
from app.reports import (
    ActionRow,
    ClientPlanDocument,
    DocumentMeta,
    Party,
    RadarChartData,
    SignatureMark,
    client_plan_pdf,
)
from app.services.intake import view_of as intake_view_of
from app.services.plan import PlanVersion, view_of
from app.services.sync import DISPLAY_NAME
from app.storage.atomic import atomic_write_bytes
from app.storage.store import Dossier, RecordNotFound, Store

__all__ = [
    "caseworker_name",
    "plan_document",
    "plan_pdf",
    "record_plan_printed",
    "save_plan_pdf",
]

_OWNER_LABELS = {ActionOwner.CLIENT: "Cliënt", ActionOwner.CASEWORKER: "Klantmanager"}


def _client_party(client: Client) -> Party:
    address = client.address
    number = f"{address.house_number}{address.house_number_addition}"
    return Party(
        name=client.name.display(),
        lines=(
            f"{address.street} {number}",
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
        caseworker=Party(name=caseworker_name, lines=("Klantmanager Werk, Inkomen en Zorg",)),
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


def record_plan_printed(store: Store, *, plan_id: str, copies: int, pages: int) -> None:
    """Every print is audited: which version, how many copies and pages, by whom, when."""
    plan = store.get(ClientPlan, plan_id)
    if plan is None:
        raise RecordNotFound(ClientPlan.ENTITY)
    store.record_event(
        "print",
        ClientPlan.ENTITY,
        record_id=plan.id,
        client_id=plan.client_id,
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
    atomic_write_bytes(path, data, mode=0o600)
    store.record_event(
        "export",
        ClientPlan.ENTITY,
        record_id=plan.id,
        client_id=plan.client_id,
        revision=plan.revision,
        format="pdf",
    )


def caseworker_name(store: Store) -> str:
    """The signed-in caseworker's name as documents print it."""
    return str(store.setting(DISPLAY_NAME) or store.actor)
