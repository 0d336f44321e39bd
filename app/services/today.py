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
* intakes the team lead returned, waiting for the caseworker since the review;
* statutory terms (app.domain.clocks) of intakes not approved yet: a term past its due day, and
  one due within DUE_SOON_DAYS days (`due_soon`: not overdue yet, listed so it can still be met).
  Since is the due day; due-soon items come after the overdue ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from app.domain.clocks import ClockState, describe, due_text
from app.domain.formatting import moment_text
from app.domain.house_numbers import house_number_text
from app.domain.local_time import ZONE
from app.domain.plan import ClientPlan, PlanAction
from app.domain.reference import villages
from app.domain.states import ActionStatus, VisitStatus
from app.domain.visit import VisitPurpose
from app.services.clocks import clocks_of_fields
from app.storage.queries.today import ClientPlace, OpenIntake, VisitLine, today_sources
from app.storage.store import Store

OverdueKind = Literal[
    "visit", "plan_action", "plan_evaluation", "intake_returned", "statutory_term"
]


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
    # Not past its due day yet: a statutory term with 0-5 days left, a plan evaluation within
    # two weeks.
    due_soon: bool = False


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


def _street_line(place: ClientPlace) -> str:
    return f"{place.street} {house_number_text(place.house_number, place.house_number_addition)}"


def _utc_bound(day: date, zone: tzinfo) -> str:
    """The start of a local day as the ISO UTC string visits are stored with."""
    return datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC).isoformat()


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


# Ties on the same day: a statutory term last, so one that is only due soon (its due day today)
# comes after what is overdue.
_KIND_ORDER: dict[str, int] = {
    "visit": 0,
    "plan_action": 1,
    "plan_evaluation": 2,
    "intake_returned": 3,
    "statutory_term": 4,
}
# A plan's evaluation shows on Vandaag this many days before its date: time to plan the visit.
EVALUATION_NOTICE_DAYS = 14
_ATTENTION = (ClockState.OVERDUE, ClockState.DUE_SOON)


def _term_items(intake: OpenIntake, today: date, language: str, zone: tzinfo) -> list[OverdueItem]:
    """An item per clock of the intake that is overdue or due soon, in the domain's order."""
    items = []
    for clock in clocks_of_fields(intake.fields, zone):
        state = clock.state(today)
        if state not in _ATTENTION:
            continue
        items.append(
            OverdueItem(
                kind="statutory_term",
                record_id=intake.id,
                client_id=intake.client_id,
                client_name=intake.client.name.display(),
                village=intake.client.village,
                title=f"{_pick(('Wettelijke termijn', 'Statutory term'), language)}: "
                f"{clock.kind.label(language)}",
                detail=f"{describe(clock, today, language)}, {due_text(clock, language)}",
                since=clock.due,
                days_overdue=max(0, (today - clock.due).days),
                due_soon=state is ClockState.DUE_SOON,
            )
        )
    return items


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
    sources = today_sources(store, start=start, end=end, caseworker=caseworker)

    groups: dict[str, list[tuple[VisitLine, TodayVisit]]] = {}
    for line in sources.visits:
        if line.status == VisitStatus.CANCELLED.value:
            continue
        visit = TodayVisit(
            visit_id=line.id,
            client_id=line.client_id,
            client_name=line.client.name.display(),
            planned_at=_local(line.planned_at, zone),
            purpose=line.purpose,
            purpose_label=_purpose_label(line.purpose, language),
            status=line.status,
            status_label=_status_label(line.status, language),
            street_line=_street_line(line.client),
            postcode=line.client.postcode,
            village=line.client.village,
        )
        groups.setdefault(line.client.village, []).append((line, visit))
    village_groups = []
    for name, members in groups.items():
        first = members[0][0].client
        digits = route_key(name, first.postcode)[0]
        ordered = sorted(members, key=lambda m: (m[1].planned_at, m[1].street_line, m[1].visit_id))
        village_groups.append(
            VillageVisits(
                village=name,
                municipality=first.municipality,
                postcode_digits=digits,
                visits=tuple(v for _line, v in ordered),
            )
        )
    village_groups.sort(key=lambda g: route_key(g.village, g.postcode_digits))

    overdue: list[OverdueItem] = []
    for line in sources.unrecorded:
        planned = _local(line.planned_at, zone)
        overdue.append(
            OverdueItem(
                kind="visit",
                record_id=line.id,
                client_id=line.client_id,
                client_name=line.client.name.display(),
                village=line.client.village,
                title=_pick(("Huisbezoek niet vastgelegd", "Home visit not recorded"), language),
                detail=", ".join(
                    (_purpose_label(line.purpose, language), moment_text(planned, zone=zone))
                ),
                since=planned.date(),
                days_overdue=(today - planned.date()).days,
            )
        )
    for plan in sources.active_plans:
        evaluation = ClientPlan.from_fields(plan.id, plan.fields).evaluation_due()
        if evaluation is not None and (evaluation - today).days <= EVALUATION_NOTICE_DAYS:
            overdue.append(
                OverdueItem(
                    kind="plan_evaluation",
                    record_id=plan.id,
                    client_id=plan.client_id,
                    client_name=plan.client.name.display(),
                    village=plan.client.village,
                    title=_pick(("Evaluatie plan van aanpak", "Client plan evaluation"), language),
                    detail=_pick(
                        (
                            "Plan en acties met de cliënt doorlopen",
                            "Go through the plan and its actions with the client",
                        ),
                        language,
                    ),
                    since=evaluation,
                    days_overdue=max(0, (today - evaluation).days),
                    due_soon=evaluation >= today,
                )
            )
        for raw in plan.actions:
            action = PlanAction.from_fields(str(raw["id"]), raw)
            if action.due_date is None or action.due_date >= today:
                continue
            if action.status not in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS):
                continue
            overdue.append(
                OverdueItem(
                    kind="plan_action",
                    record_id=plan.id,
                    client_id=plan.client_id,
                    client_name=plan.client.name.display(),
                    village=plan.client.village,
                    title=_pick(
                        ("Actie uit plan van aanpak over datum", "Client plan action overdue"),
                        language,
                    ),
                    detail=action.description,
                    since=action.due_date,
                    days_overdue=(today - action.due_date).days,
                )
            )
    for intake in sources.returned_intakes:
        reviewed = _local(intake.reviewed_at, zone).date() if intake.reviewed_at else today
        remarks = "; ".join(intake.open_comments)
        reviewer = intake.reviewer or ""
        overdue.append(
            OverdueItem(
                kind="intake_returned",
                record_id=intake.id,
                client_id=intake.client_id,
                client_name=intake.client.name.display(),
                village=intake.client.village,
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
    for open_intake in sources.open_intakes:
        overdue.extend(_term_items(open_intake, today, language, zone))
    overdue.sort(key=lambda i: (i.since, _KIND_ORDER[i.kind], i.client_name, i.record_id))
    return TodayView(day=today, villages=tuple(village_groups), overdue=tuple(overdue))
