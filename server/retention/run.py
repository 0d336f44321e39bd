"""`veldwerk-server retention run`: destroy every file that is due and not held, purge login
and device-contact data past their term, and write the destruction statement.

The run is planned first (`plan_run`: reads only) and then carried out from that plan, so a dry
run, which shows the plan and stops, shows exactly what a real run on the same day does. The
day is given by the caller (the CLI passes today's date; tests pass a fake one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.domain.retention import Schedule
from app.domain.retention import schedule as shipped_schedule
from server.crud import audit
from server.retention import statements
from server.retention.contact import ContactPlan, plan_contact_purge, purge_contact_data
from server.retention.destroy import DestructionPlan, destroy, plan_destruction
from server.retention.files import Survey, survey
from server.retention.statements import Line


@dataclass(frozen=True, slots=True)
class RunPlan:
    today: date
    survey: Survey
    destruction: DestructionPlan
    contact: ContactPlan
    lines: tuple[Line, ...]

    @property
    def totals(self) -> dict[str, int]:
        scrub = self.destruction.scrub
        return {
            "files": len(self.destruction.client_ids),
            "records": self.destruction.record_count,
            "attachments": len(self.destruction.blobs),
            "held": len(self.survey.held),
            "for_review": len(self.survey.no_provision),
            "audit_scrubbed": len(scrub.audit_entries) + len(scrub.device_events),
            **self.contact.counts(),
        }

    @property
    def changes_anything(self) -> bool:
        totals = self.totals
        return any(totals[key] for key in totals if key not in ("held", "for_review"))


@dataclass(frozen=True, slots=True)
class RunResult:
    plan: RunPlan
    dry_run: bool
    statement_id: int | None


def plan_run(session: Session, *, today: date, schedule: Schedule | None = None) -> RunPlan:
    rules = schedule or shipped_schedule()
    found = survey(session, today=today, schedule=rules)
    destruction = plan_destruction(session, [f.client_id for f in found.due])
    lines = statements.lines_of(
        (f.category, f.destroy_on, destruction.records[f.client_id]) for f in found.due
    )
    contact = plan_contact_purge(session, cutoff=rules.login_data_cutoff(today))
    return RunPlan(today, found, destruction, contact, lines)


def run(
    session: Session,
    *,
    today: date,
    now: datetime,
    by: str,
    dry_run: bool,
    schedule: Schedule | None = None,
) -> RunResult:
    plan = plan_run(session, today=today, schedule=schedule)
    if dry_run or not plan.changes_anything:
        return RunResult(plan, dry_run, None)
    destroy(session, plan.destruction, now=now)
    purge_contact_data(session, plan.contact)
    statement = statements.write(
        session,
        kind=statements.RETENTION,
        as_of=today,
        lines=plan.lines,
        totals=plan.totals,
        by=by,
        now=now,
    )
    audit.insert_rows(
        session,
        [
            audit.row(
                actor=by,
                action="destroy",
                entity="client",
                record_id=client_id,
                statement=statement.id,
            )
            for client_id in plan.destruction.client_ids
        ],
    )
    audit.record(
        session,
        actor=by,
        action="retention_run",
        entity="destruction_statement",
        record_id=str(statement.id),
        files=plan.totals["files"],
    )
    return RunResult(plan, dry_run, statement.id)
