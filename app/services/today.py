"""What a caseworker does today: the day's home visits in route order, then what is overdue.

Route order: visits are grouped by village and the villages ordered by the four digits of their
postcode (from resources/reference/municipalities.json, else the client's own postcode). Dutch
postcodes were handed out along the postal sorting routes, so villages with neighbouring numbers
lie near each other: in this area the day runs from Sauwerd, Zuidwolde and Bedum (977x-978x, near
the city) out to Winsum and Baflo (995x), the Marne (996x-997x) and Eemsmond (998x). Within a
village visits keep their planned time (appointments are made for a time), then the address.

Overdue, oldest first:
* visits planned before today that nobody recorded (still "planned");
* actions of an active client plan past their due date and not done or cancelled: the plan's
  evaluation moments (the domain has no separate evaluation date);
* intakes the team lead returned, waiting for the caseworker since the review.
The domain knows no statutory deadlines yet, so none are listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Literal

from sqlalchemy import Connection, Row, Select, select

from app.domain.local_time import ZONE
from app.domain.plan import PlanAction
from app.domain.reference import villages
from app.domain.states import ActionStatus, IntakeStatus, PlanStatus, VisitStatus
from app.domain.values import PersonName
from app.domain.visit import VisitPurpose
from app.storage.store import Store
from app.storage.tables import client_plans, clients, intakes, visits

OverdueKind = Literal["visit", "plan_action", "intake_returned"]


@dataclass(frozen=True, slots=True)
class TodayVisit:
    visit_id: str
    client_id: str
    client_name: str
    planned_at: datetime  # in the zone asked for
    purpose: str
    purpose_label: str
    status: str
    status_label: str
    street_line: str
    postcode: str
    village: str


@dataclass(frozen=True, slots=True)
class VillageVisits:
    village: str
    municipality: str
    postcode_digits: str
    visits: tuple[TodayVisit, ...]


@dataclass(frozen=True, slots=True)
class OverdueItem:
    kind: OverdueKind
    record_id: str
    client_id: str
    client_name: str
    village: str
    title: str  # what is overdue ("Huisbezoek niet vastgelegd")
    detail: str  # which one (purpose and time, the action, the reviewer's remarks)
    since: date  # due or planned on
    days_overdue: int


@dataclass(frozen=True, slots=True)
class TodayView:
    day: date
    villages: tuple[VillageVisits, ...]
    overdue: tuple[OverdueItem, ...]

    @property
    def visit_count(self) -> int:
        return sum(len(v.visits) for v in self.villages)


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[0] if language.startswith("nl") else pair[1]


def _postcode_order() -> dict[str, str]:
    return {v.name.casefold(): v.postcode_digits for v in villages()}


def route_key(village: str, postcode: str) -> tuple[str, str]:
    """Sort key of a village on the day's route (see the module's note)."""
    digits = _postcode_order().get(village.casefold()) or postcode[:4] or "9999"
    return (digits, village.casefold())


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


def _name(row: Row[Any]) -> str:
    return PersonName(
        surname=row.surname,
        first_names=row.first_names,
        initials=row.initials,
        prefix=row.name_prefix,
    ).display()


def _street_line(row: Row[Any]) -> str:
    addition = f"-{row.house_number_addition}" if row.house_number_addition else ""
    return f"{row.street} {row.house_number}{addition}"


def _utc_bound(day: date, zone: tzinfo) -> str:
    """The start of a local day as the ISO UTC string visits are stored with."""
    return datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC).isoformat()


# ---------------------------------------------------------------------------------- storage
# Queries over the local tables the store has no method for yet (candidates for app.storage).


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


def visits_between(
    conn: Connection, start: str, end: str | None, *, caseworker: str | None
) -> list[Row[Any]]:
    """Visits planned from `start` up to `end` (ISO UTC strings; `end` None: no upper bound)."""
    query = _live_visits(caseworker).where(visits.c.planned_at >= start)
    if end is not None:
        query = query.where(visits.c.planned_at < end)
    return list(conn.execute(query))


def planned_visits_before(conn: Connection, end: str, *, caseworker: str | None) -> list[Row[Any]]:
    """Visits still 'planned' although their time lies before `end`."""
    query = _live_visits(caseworker).where(
        visits.c.status == VisitStatus.PLANNED.value, visits.c.planned_at < end
    )
    return list(conn.execute(query))


def active_plans(conn: Connection, *, caseworker: str | None) -> list[Row[Any]]:
    query = (
        select(
            client_plans.c.id, client_plans.c.client_id, client_plans.c.actions, *_CLIENT_COLUMNS
        )
        .join(clients, clients.c.id == client_plans.c.client_id)
        .where(
            client_plans.c.deleted.is_(False),
            clients.c.deleted.is_(False),
            client_plans.c.status == PlanStatus.ACTIVE.value,
        )
    )
    if caseworker is not None:
        query = query.where(client_plans.c.caseworker == caseworker)
    return list(conn.execute(query))


def returned_intakes(conn: Connection, *, caseworker: str | None) -> list[Row[Any]]:
    query = (
        select(
            intakes.c.id,
            intakes.c.client_id,
            intakes.c.reviewer,
            intakes.c.reviewed_at,
            intakes.c.review_comments,
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
    return list(conn.execute(query))


# ------------------------------------------------------------------------------------ views


def _local(value: str, zone: tzinfo) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone)


def _purpose_label(code: str, language: str) -> str:
    try:
        return VisitPurpose(code).label(language)
    except ValueError:
        return code


def _status_label(code: str, language: str) -> str:
    try:
        return VisitStatus(code).label(language)
    except ValueError:
        return code


_KIND_ORDER: dict[str, int] = {"visit": 0, "plan_action": 1, "intake_returned": 2}


def today_items(
    store: Store,
    today: date,
    *,
    caseworker: str | None = None,
    language: str = "nl",
    zone: tzinfo = ZONE,
) -> TodayView:
    """Today's visits grouped by village in route order, then the overdue items (oldest first).

    `caseworker` limits everything to one caseworker's own visits, plans and intakes (a device
    may hold visits another caseworker made before a client moved to this one). Cancelled visits
    are left out of the day; done ones stay, with their status.
    """
    start = _utc_bound(today, zone)
    end = _utc_bound(today + timedelta(days=1), zone)
    with store.engine.connect() as conn:
        todays = visits_between(conn, start, end, caseworker=caseworker)
        late_visits = planned_visits_before(conn, start, caseworker=caseworker)
        plans = active_plans(conn, caseworker=caseworker)
        returned = returned_intakes(conn, caseworker=caseworker)

    groups: dict[str, list[tuple[Row[Any], TodayVisit]]] = {}
    for row in todays:
        if row.status == VisitStatus.CANCELLED.value:
            continue
        visit = TodayVisit(
            visit_id=str(row.id),
            client_id=str(row.client_id),
            client_name=_name(row),
            planned_at=_local(str(row.planned_at), zone),
            purpose=str(row.purpose),
            purpose_label=_purpose_label(str(row.purpose), language),
            status=str(row.status),
            status_label=_status_label(str(row.status), language),
            street_line=_street_line(row),
            postcode=str(row.postcode),
            village=str(row.village),
        )
        groups.setdefault(str(row.village), []).append((row, visit))
    village_groups = []
    for name, members in groups.items():
        first = members[0][0]
        digits = route_key(name, str(first.postcode))[0]
        ordered = sorted(members, key=lambda m: (m[1].planned_at, m[1].street_line, m[1].visit_id))
        village_groups.append(
            VillageVisits(
                village=name,
                municipality=str(first.municipality),
                postcode_digits=digits,
                visits=tuple(v for _row, v in ordered),
            )
        )
    village_groups.sort(key=lambda g: route_key(g.village, g.postcode_digits))

    overdue: list[OverdueItem] = []
    for row in late_visits:
        planned = _local(str(row.planned_at), zone)
        overdue.append(
            OverdueItem(
                kind="visit",
                record_id=str(row.id),
                client_id=str(row.client_id),
                client_name=_name(row),
                village=str(row.village),
                title=_pick(("Huisbezoek niet vastgelegd", "Home visit not recorded"), language),
                detail=(
                    f"{_purpose_label(str(row.purpose), language)}, "
                    f"{planned.strftime('%d-%m-%Y %H:%M')}"
                ),
                since=planned.date(),
                days_overdue=(today - planned.date()).days,
            )
        )
    for row in plans:
        for raw in row.actions or ():
            action = PlanAction.from_json(raw)
            if action.due_date is None or action.due_date >= today:
                continue
            if action.status not in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS):
                continue
            overdue.append(
                OverdueItem(
                    kind="plan_action",
                    record_id=str(row.id),
                    client_id=str(row.client_id),
                    client_name=_name(row),
                    village=str(row.village),
                    title=_pick(
                        ("Actie uit plan van aanpak over datum", "Client plan action overdue"),
                        language,
                    ),
                    detail=action.description,
                    since=action.due_date,
                    days_overdue=(today - action.due_date).days,
                )
            )
    for row in returned:
        reviewed = _local(str(row.reviewed_at), zone).date() if row.reviewed_at else today
        remarks = "; ".join(str(v) for v in (row.review_comments or {}).values() if v)
        reviewer = str(row.reviewer or "")
        overdue.append(
            OverdueItem(
                kind="intake_returned",
                record_id=str(row.id),
                client_id=str(row.client_id),
                client_name=_name(row),
                village=str(row.village),
                title=_pick(("Intake teruggestuurd", "Intake returned"), language),
                detail=(
                    f"{_pick(('Door', 'By'), language)} {reviewer}: {remarks}"
                    if reviewer
                    else remarks
                ),
                since=reviewed,
                days_overdue=max(0, (today - reviewed).days),
            )
        )
    overdue.sort(key=lambda i: (i.since, _KIND_ORDER[i.kind], i.client_name, i.record_id))
    return TodayView(day=today, villages=tuple(village_groups), overdue=tuple(overdue))
