"""What the Vandaag page reads: the day's visits, visits left unrecorded, active plans, returned
intakes and the dates of the intakes whose statutory terms may still run, each with the client's
name and address, in one read transaction.

app.services.today turns these into the day's route and the overdue list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, Select, or_, select

from app.domain.intake_fields import PW_DATES, WMO_DATES, WMO_REPORT_GIVEN
from app.domain.review import ThreadStatus
from app.domain.schema import field_names
from app.domain.states import IntakeStatus, PlanStatus, VisitStatus
from app.domain.values import PersonName
from app.storage.store import Store
from app.storage.tables import (
    client_plans,
    clients,
    intakes,
    plan_actions,
    review_comments,
    visits,
)

__all__ = [
    "ActivePlan",
    "ClientPlace",
    "OpenIntake",
    "ReturnedIntake",
    "TodaySources",
    "VisitLine",
    "today_sources",
]


@dataclass(frozen=True, slots=True)
class ClientPlace:
    """Who a line is about and where they live."""

    name: PersonName
    street: str
    house_number: int
    house_number_addition: str | None
    postcode: str
    village: str
    municipality: str


@dataclass(frozen=True, slots=True)
class VisitLine:
    id: str
    client_id: str
    planned_at: str  # ISO, UTC, as stored
    purpose: str
    status: str
    client: ClientPlace


@dataclass(frozen=True, slots=True)
class ActivePlan:
    id: str
    client_id: str
    actions: tuple[dict[str, Any], ...]  # its plan_action rows as stored (PlanAction.from_fields)
    fields: dict[str, Any]  # the plan's own fields as stored (ClientPlan.from_fields)
    client: ClientPlace


@dataclass(frozen=True, slots=True)
class ReturnedIntake:
    id: str
    client_id: str
    reviewer: str | None
    reviewed_at: str | None  # ISO, as stored
    open_comments: tuple[str, ...]  # the first comment of each open thread, oldest first
    client: ClientPlace


@dataclass(frozen=True, slots=True)
class OpenIntake:
    """An intake not approved yet that has a start date of a statutory term."""

    id: str
    client_id: str
    fields: dict[str, Any]  # the fields its clocks are made of, by field name, as stored
    client: ClientPlace


@dataclass(frozen=True, slots=True)
class TodaySources:
    """Everything the Vandaag page is made of, read in one snapshot."""

    visits: tuple[VisitLine, ...]  # planned in [start, end), any status, in time order
    unrecorded: tuple[VisitLine, ...]  # still "planned" although planned before start
    active_plans: tuple[ActivePlan, ...]
    returned_intakes: tuple[ReturnedIntake, ...]
    open_intakes: tuple[OpenIntake, ...] = ()


# The dates a statutory clock starts on (app.domain.clocks.intake_clocks): an intake with none of
# them has no clock. The Wmo report's date stops the Wmo assessment's clock.
_CLOCK_STARTS = (*WMO_DATES, PW_DATES[1])
_CLOCK_FIELDS = (*_CLOCK_STARTS, WMO_REPORT_GIVEN, "status", "reviewed_at")

_CLIENT_COLUMNS = (
    clients.c.surname,
    clients.c.first_names,
    clients.c.initials,
    clients.c.name_prefix,
    clients.c.street,
    clients.c.house_number,
    clients.c.house_number_addition,
    clients.c.postcode,
    clients.c.village,
    clients.c.municipality,
)


def _place(row: Row[*tuple[Any, ...]]) -> ClientPlace:
    return ClientPlace(
        name=PersonName(
            surname=row.surname,
            first_names=row.first_names,
            initials=row.initials,
            prefix=row.name_prefix,
        ),
        street=str(row.street),
        house_number=int(row.house_number),
        house_number_addition=row.house_number_addition or None,
        postcode=str(row.postcode),
        village=str(row.village),
        municipality=str(row.municipality),
    )


def _live_visits(caseworker: str | None) -> Select[Any]:
    """Visits (with their client's name and address) in time order, deleted ones left out."""
    query = (
        select(
            visits.c.id,
            visits.c.client_id,
            visits.c.planned_at,
            visits.c.purpose,
            visits.c.status,
            *_CLIENT_COLUMNS,
        )
        .join(clients, clients.c.id == visits.c.client_id)
        .where(visits.c.deleted.is_(False), clients.c.deleted.is_(False))
        .order_by(visits.c.planned_at, visits.c.id)
    )
    if caseworker is not None:
        query = query.where(visits.c.caseworker == caseworker)
    return query


def _visit_lines(conn: Connection, query: Select[Any]) -> tuple[VisitLine, ...]:
    return tuple(
        VisitLine(
            id=str(row.id),
            client_id=str(row.client_id),
            planned_at=str(row.planned_at),
            purpose=str(row.purpose),
            status=str(row.status),
            client=_place(row),
        )
        for row in conn.execute(query)
    )


def _active_plans(conn: Connection, caseworker: str | None) -> tuple[ActivePlan, ...]:
    # Labelled: a plan and its client both have a municipality.
    plan_columns = [client_plans.c[n].label(f"plan_{n}") for n in field_names("client_plan")]
    query = (
        select(client_plans.c.id, *plan_columns, *_CLIENT_COLUMNS)
        .join(clients, clients.c.id == client_plans.c.client_id)
        .where(
            client_plans.c.deleted.is_(False),
            clients.c.deleted.is_(False),
            client_plans.c.status == PlanStatus.ACTIVE.value,
        )
    )
    if caseworker is not None:
        query = query.where(client_plans.c.caseworker == caseworker)
    plans = conn.execute(query).all()
    actions: dict[str, list[dict[str, Any]]] = {}
    if plans:
        found = conn.execute(
            select(plan_actions)
            .where(
                plan_actions.c.plan_id.in_(select(query.subquery().c.id)),
                plan_actions.c.deleted.is_(False),
            )
            .order_by(plan_actions.c.rank, plan_actions.c.id)
        )
        for action in found.mappings():
            actions.setdefault(str(action["plan_id"]), []).append(dict(action))
    return tuple(
        ActivePlan(
            id=str(row.id),
            client_id=str(row.plan_client_id),
            actions=tuple(actions.get(str(row.id), ())),
            fields={n: row._mapping[f"plan_{n}"] for n in field_names("client_plan")},
            client=_place(row),
        )
        for row in plans
    )


def _returned_intakes(conn: Connection, caseworker: str | None) -> tuple[ReturnedIntake, ...]:
    query = (
        select(
            intakes.c.id,
            intakes.c.client_id,
            intakes.c.reviewer,
            intakes.c.reviewed_at,
            *_CLIENT_COLUMNS,
        )
        .join(clients, clients.c.id == intakes.c.client_id)
        .where(
            intakes.c.deleted.is_(False),
            clients.c.deleted.is_(False),
            intakes.c.status == IntakeStatus.RETURNED.value,
        )
    )
    if caseworker is not None:
        query = query.where(intakes.c.caseworker == caseworker)
    rows = conn.execute(query).all()
    threads = (
        select(review_comments.c.intake_id, review_comments.c.text)
        .where(
            review_comments.c.intake_id.in_([row.id for row in rows]),
            review_comments.c.thread_id == review_comments.c.id,
            review_comments.c.status == ThreadStatus.OPEN.value,
            review_comments.c.deleted.is_(False),
        )
        .order_by(review_comments.c.written_at, review_comments.c.id)
    )
    comments: dict[str, list[str]] = {}
    for intake_id, text in conn.execute(threads):
        comments.setdefault(str(intake_id), []).append(str(text))
    return tuple(
        ReturnedIntake(
            id=str(row.id),
            client_id=str(row.client_id),
            reviewer=str(row.reviewer) if row.reviewer else None,
            reviewed_at=str(row.reviewed_at) if row.reviewed_at else None,
            open_comments=tuple(comments.get(str(row.id), ())),
            client=_place(row),
        )
        for row in rows
    )


def _open_intakes(conn: Connection, caseworker: str | None) -> tuple[OpenIntake, ...]:
    """Intakes not approved (an approved intake's clocks have stopped) with a clock's start date."""
    query = (
        select(
            intakes.c.id,
            intakes.c.client_id,
            *(intakes.c[name] for name in _CLOCK_FIELDS),
            *_CLIENT_COLUMNS,
        )
        .join(clients, clients.c.id == intakes.c.client_id)
        .where(
            intakes.c.deleted.is_(False),
            clients.c.deleted.is_(False),
            intakes.c.status != IntakeStatus.APPROVED.value,
            or_(*(intakes.c[name].is_not(None) for name in _CLOCK_STARTS)),
        )
        .order_by(intakes.c.id)
    )
    if caseworker is not None:
        query = query.where(intakes.c.caseworker == caseworker)
    return tuple(
        OpenIntake(
            id=str(row.id),
            client_id=str(row.client_id),
            fields={name: row._mapping[name] for name in _CLOCK_FIELDS},
            client=_place(row),
        )
        for row in conn.execute(query)
    )


def today_sources(
    store: Store, *, start: str, end: str, caseworker: str | None = None
) -> TodaySources:
    """The day from `start` up to `end` (ISO UTC strings, as visits are stored) and what is
    overdue before it. `caseworker` limits everything to one caseworker's own records."""
    day = _live_visits(caseworker)
    with store.read_transaction() as conn:
        return TodaySources(
            visits=_visit_lines(
                conn, day.where(visits.c.planned_at >= start, visits.c.planned_at < end)
            ),
            unrecorded=_visit_lines(
                conn,
                day.where(
                    visits.c.status == VisitStatus.PLANNED.value, visits.c.planned_at < start
                ),
            ),
            active_plans=_active_plans(conn, caseworker),
            returned_intakes=_returned_intakes(conn, caseworker),
            open_intakes=_open_intakes(conn, caseworker),
        )
