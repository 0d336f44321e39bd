"""The queries behind the council figures: SQLAlchemy Core, the same statements on SQLite and
PostgreSQL, aggregated in the database wherever rows would otherwise cross the wire per record
(schemes, visits, conflicts). Where a figure needs a rule of the domain (the statutory clocks with
their holidays, a plan's evaluation date), the few columns it needs are read and the rule is
applied in `server.council.measures`. Client ids are read only to join figures in memory; nothing
here returns a name, a BSN, a date of birth, an address or a free text.

Moments are stored as UTC ISO strings (app.domain.fields.datetime_out); a window's bounds are
written the same way, so comparing the strings compares the instants. Dates are ISO strings too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select, true
from sqlalchemy.orm import Session

from app.domain.intake_fields import score_field
from app.domain.local_time import ZONE
from app.domain.reference import all_domain_keys
from app.domain.states import IntakeStatus, VisitStatus
from server.council.areas import REGION
from server.council.scope import Scope, Window, client_groups
from server.models import (
    Conflict,
    Device,
    DeviceSync,
    OrphanedMutation,
    TeamMember,
    Village,
    client_plans,
    clients,
    enrollments,
    intakes,
    visits,
)

__all__ = [
    "STALE_AFTER",
    "Care",
    "ClockRow",
    "Health",
    "IntakeRow",
    "PlanRow",
    "SchemeFlows",
    "Windows",
    "approved_intakes",
    "care_of_clients",
    "clock_rows",
    "health",
    "left_out",
    "plan_rows",
    "scheme_flows",
    "seen_at_home",
    "visit_counts",
]

# A device this long without contact has not synced: the team overview's measure.
STALE_AFTER = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Windows:
    """The report's period and the one before it (both as far as they have gone), and the one
    before that, which only decides who was new in the previous period."""

    current: Window
    previous: Window
    earlier: Window

    @classmethod
    def of(cls, current: Window) -> Windows:
        previous = current.period.previous()
        return cls(
            current, Window.of(previous, current.last), Window.of(previous.previous(), current.last)
        )

    @property
    def shown(self) -> tuple[Window, Window]:
        return (self.current, self.previous)


def _granted() -> ColumnElement[bool]:
    """A provision that was granted: a refused or broken-off application was never active."""
    outcome = enrollments.c.get("outcome")
    return outcome == "granted" if outcome is not None else true()


def _covers(window: Window) -> ColumnElement[bool]:
    return and_(
        enrollments.c.start_date <= window.last.isoformat(),
        or_(enrollments.c.end_date.is_(None), enrollments.c.end_date >= window.first.isoformat()),
    )


def _flag(condition: ColumnElement[bool]) -> Any:
    return func.max(case((condition, 1), else_=0))


def _care_flags(scope: Scope, windows: Windows, *, per_scheme: bool) -> Any:
    """Per client (and scheme): in care in the earlier, previous and current window, and still
    in care after the current window (nothing of the scheme ended yet)."""
    groups = client_groups(scope).subquery()
    after = (windows.current.last + timedelta(days=1)).isoformat()
    columns: list[Any] = [groups.c.client_id, groups.c.grp]
    if per_scheme:
        columns.append(enrollments.c.scheme)
    return (
        select(
            *columns,
            _flag(_covers(windows.earlier)).label("earlier"),
            _flag(_covers(windows.previous)).label("previous"),
            _flag(_covers(windows.current)).label("current"),
            _flag(or_(enrollments.c.end_date.is_(None), enrollments.c.end_date >= after)).label(
                "after"
            ),
        )
        .join(groups, groups.c.client_id == enrollments.c.client_id)
        .where(
            enrollments.c.deleted.is_(False),
            _granted(),
            enrollments.c.start_date <= windows.current.last.isoformat(),
        )
        .group_by(*columns)
    )


@dataclass(frozen=True, slots=True)
class SchemeFlows:
    """Clients of one group in one scheme: in care in a window, new (not in care in the window
    before), gone (not in care in the window after, or after the report day)."""

    previous: tuple[int, int, int]  # (in care, new, gone)
    current: tuple[int, int, int]


def scheme_flows(
    session: Session, scope: Scope, windows: Windows
) -> dict[tuple[str, str], SchemeFlows]:
    """Per (group, scheme), counted in the database."""
    flags = _care_flags(scope, windows, per_scheme=True).subquery()

    def count(condition: ColumnElement[bool]) -> Any:
        return func.sum(case((condition, 1), else_=0))

    rows = session.execute(
        select(
            flags.c.grp,
            flags.c.scheme,
            count(flags.c.previous == 1),
            count(and_(flags.c.previous == 1, flags.c.earlier == 0)),
            count(and_(flags.c.previous == 1, flags.c.current == 0)),
            count(flags.c.current == 1),
            count(and_(flags.c.current == 1, flags.c.previous == 0)),
            count(and_(flags.c.current == 1, flags.c.after == 0)),
        ).group_by(flags.c.grp, flags.c.scheme)
    )
    return {
        (str(r[0]), str(r[1])): SchemeFlows(
            (int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)),
            (int(r[5] or 0), int(r[6] or 0), int(r[7] or 0)),
        )
        for r in rows
    }


@dataclass(frozen=True, slots=True)
class Care:
    """One client in any scheme: their group and the windows they were in care in."""

    grp: str
    earlier: bool
    previous: bool
    current: bool
    after: bool

    def during(self, window: Window, windows: Windows) -> bool:
        return self.current if window is windows.current else self.previous


def care_of_clients(session: Session, scope: Scope, windows: Windows) -> dict[str, Care]:
    rows = session.execute(_care_flags(scope, windows, per_scheme=False))
    return {
        str(r.client_id): Care(
            str(r.grp), bool(r.earlier), bool(r.previous), bool(r.current), bool(r.after)
        )
        for r in rows
    }


# ------------------------------------------------------------------------------- intakes


@dataclass(frozen=True, slots=True)
class IntakeRow:
    client_id: str
    reviewed_at: datetime
    ladder_current: int | None
    ladder_target: int | None
    scores: dict[str, int] = field(default_factory=dict)


def _moment(value: object) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def approved_intakes(session: Session, scope: Scope, windows: Windows) -> list[IntakeRow]:
    """Every approved intake of the scope's clients decided before the current window ends,
    oldest first: the ladder step and the scores a team lead approved."""
    groups = client_groups(scope).subquery()
    keys = all_domain_keys()
    score_columns = [intakes.c[score_field(key)] for key in keys]
    rows = session.execute(
        select(
            intakes.c.client_id,
            intakes.c.reviewed_at,
            intakes.c.ladder_current,
            intakes.c.ladder_target,
            *score_columns,
        )
        .join(groups, groups.c.client_id == intakes.c.client_id)
        .where(
            intakes.c.deleted.is_(False),
            intakes.c.status == IntakeStatus.APPROVED.value,
            intakes.c.reviewed_at.is_not(None),
            intakes.c.reviewed_at < windows.current.end_text,
        )
    )
    found = []
    for row in rows:
        reviewed = _moment(row.reviewed_at)
        if reviewed is None:
            continue
        scores = {
            key: int(value) for key, value in zip(keys, row[4:], strict=True) if value is not None
        }
        found.append(
            IntakeRow(str(row.client_id), reviewed, row.ladder_current, row.ladder_target, scores)
        )
    found.sort(key=lambda r: (r.reviewed_at, r.client_id))
    return found


@dataclass(frozen=True, slots=True)
class ClockRow:
    grp: str
    status: str
    reviewed_at: datetime | None
    wmo_melding: date | None
    wmo_report_given: date | None
    wmo_aanvraag: date | None
    pw_aanvraag: date | None


def _day(value: object) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def clock_rows(session: Session, scope: Scope, windows: Windows) -> list[ClockRow]:
    """The dates of every intake that started a statutory clock before the current window
    ended (the clocks themselves are the domain's: server.council.measures)."""
    groups = client_groups(scope).subquery()
    last = windows.current.last.isoformat()
    starts = (intakes.c.wmo_melding_date, intakes.c.wmo_aanvraag_date, intakes.c.pw_aanvraag_date)
    rows = session.execute(
        select(
            groups.c.grp,
            intakes.c.status,
            intakes.c.reviewed_at,
            intakes.c.wmo_melding_date,
            intakes.c.wmo_report_given_date,
            intakes.c.wmo_aanvraag_date,
            intakes.c.pw_aanvraag_date,
        )
        .join(groups, groups.c.client_id == intakes.c.client_id)
        .where(intakes.c.deleted.is_(False), or_(*(column <= last for column in starts)))
    )
    return [
        ClockRow(
            str(r.grp),
            str(r.status),
            _moment(r.reviewed_at),
            _day(r.wmo_melding_date),
            _day(r.wmo_report_given_date),
            _day(r.wmo_aanvraag_date),
            _day(r.pw_aanvraag_date),
        )
        for r in rows
    ]


# -------------------------------------------------------------------------------- visits


def visit_counts(session: Session, scope: Scope, window: Window) -> dict[tuple[str, str, str], int]:
    """Home visits that took place in the window, per (group, month, kind of visit)."""
    groups = client_groups(scope).subquery()
    months = window.period.months()
    # The month a visit falls in: the last month whose first instant is not after it.
    month = case(
        *(
            (
                visits.c.planned_at >= Window(window.period, m.first, m.first).start_text,
                literal(m.key),
            )
            for m in reversed(months)
        ),
        else_=literal(months[0].key),
    )
    rows = session.execute(
        select(groups.c.grp, month.label("month"), visits.c.purpose, func.count())
        .join(groups, groups.c.client_id == visits.c.client_id)
        .where(
            visits.c.deleted.is_(False),
            visits.c.status == VisitStatus.DONE.value,
            visits.c.planned_at >= window.start_text,
            visits.c.planned_at < window.end_text,
        )
        .group_by(groups.c.grp, month, visits.c.purpose)
    )
    return {(str(r[0]), str(r[1]), str(r[2])): int(r[3]) for r in rows}


def seen_at_home(session: Session, scope: Scope, windows: Windows) -> dict[str, set[str]]:
    """Per client: the labels of the shown windows in which a home visit took place."""
    groups = client_groups(scope).subquery()
    current, previous = windows.shown

    def within(window: Window) -> ColumnElement[bool]:
        return and_(visits.c.planned_at >= window.start_text, visits.c.planned_at < window.end_text)

    rows = session.execute(
        select(visits.c.client_id, _flag(within(previous)), _flag(within(current)))
        .join(groups, groups.c.client_id == visits.c.client_id)
        .where(
            visits.c.deleted.is_(False),
            visits.c.status == VisitStatus.DONE.value,
            visits.c.planned_at >= previous.start_text,
            visits.c.planned_at < current.end_text,
        )
        .group_by(visits.c.client_id)
    )
    found: dict[str, set[str]] = {}
    for client_id, in_previous, in_current in rows:
        labels = found.setdefault(str(client_id), set())
        if in_previous:
            labels.add(previous.label)
        if in_current:
            labels.add(current.label)
    return found


# --------------------------------------------------------------------------------- plans


@dataclass(frozen=True, slots=True)
class PlanRow:
    grp: str
    activated_at: datetime
    closed_at: datetime | None
    next_evaluation: date | None
    single_parent_exemption: bool
    signed: tuple[date | None, date | None]  # the days the client and the caseworker signed


def _signature_day(paper: object, moment: object) -> date | None:
    """The day a signature stands for (app.domain.plan.Signature.signed_on)."""
    day = _day(paper)
    if day is not None:
        return day
    found = _moment(moment)
    return found.astimezone(ZONE).date() if found is not None else None


def plan_rows(session: Session, scope: Scope, windows: Windows) -> list[PlanRow]:
    """Every plan that was activated before the current window ended, with what decides its
    evaluation date (read from the signatures without their strokes)."""
    groups = client_groups(scope).subquery()
    client_sig = client_plans.c.client_signature
    worker_sig = client_plans.c.caseworker_signature
    rows = session.execute(
        select(
            groups.c.grp,
            client_plans.c.activated_at,
            client_plans.c.closed_at,
            client_plans.c.next_evaluation,
            client_plans.c.single_parent_exemption,
            client_sig["paper_date"].as_string(),
            client_sig["signed_at"].as_string(),
            worker_sig["paper_date"].as_string(),
            worker_sig["signed_at"].as_string(),
        )
        .join(groups, groups.c.client_id == client_plans.c.client_id)
        .where(
            client_plans.c.deleted.is_(False),
            client_plans.c.activated_at.is_not(None),
            client_plans.c.activated_at < windows.current.end_text,
        )
    )
    found = []
    for r in rows:
        activated = _moment(r[1])
        if activated is None:
            continue
        found.append(
            PlanRow(
                str(r[0]),
                activated,
                _moment(r[2]),
                _day(r[3]),
                bool(r[4]),
                (_signature_day(r[5], r[6]), _signature_day(r[7], r[8])),
            )
        )
    return found


# -------------------------------------------------------------------------------- health


@dataclass(frozen=True, slots=True)
class Health:
    conflicts: dict[tuple[str, str], int]  # (window label, group): conflicts that arose
    orphans: dict[tuple[str, str], int]  # (window label, group): late edits open at the end
    devices_stale: int  # now: devices without contact for more than STALE_AFTER
    device_conflicts: int  # now: open conflicts as the devices last reported them


def health(session: Session, scope: Scope, windows: Windows, *, now: datetime) -> Health:
    groups = client_groups(scope).subquery()
    conflicts: dict[tuple[str, str], int] = {}
    orphans: dict[tuple[str, str], int] = {}
    for window in windows.shown:
        for grp, count in session.execute(
            select(groups.c.grp, func.count())
            .select_from(Conflict)
            .join(groups, groups.c.client_id == Conflict.client_id)
            .where(Conflict.created_at >= window.start, Conflict.created_at < window.end)
            .group_by(groups.c.grp)
        ):
            conflicts[(window.label, str(grp))] = int(count)
        for grp, count in session.execute(
            select(groups.c.grp, func.count())
            .select_from(OrphanedMutation)
            .join(groups, groups.c.client_id == OrphanedMutation.client_id)
            .where(
                OrphanedMutation.created_at < window.end,
                or_(
                    OrphanedMutation.handled_at.is_(None), OrphanedMutation.handled_at >= window.end
                ),
            )
            .group_by(groups.c.grp)
        ):
            orphans[(window.label, str(grp))] = int(count)
    devices = select(Device.id).where(Device.revoked_at.is_(None))
    if scope.team_id is not None:
        members = select(TeamMember.user_id).where(TeamMember.team_id == scope.team_id)
        devices = devices.where(Device.user_id.in_(members))
    stale = session.scalar(
        select(func.count()).select_from(
            devices.where(
                or_(Device.last_seen.is_(None), Device.last_seen < now - STALE_AFTER)
            ).subquery()
        )
    )
    reported = session.scalar(
        select(func.sum(DeviceSync.open_conflicts)).where(DeviceSync.device_id.in_(devices))
    )
    return Health(conflicts, orphans, int(stale or 0), int(reported or 0))


def left_out(session: Session) -> dict[str, int]:
    """Clients the council report cannot count: in a village now outside Het Hogeland, or in a
    village the reference data does not know."""
    known = select(Village.name)
    outside = session.scalar(
        select(func.count())
        .select_from(clients)
        .join(Village, Village.name == clients.c.village)
        .where(clients.c.deleted.is_(False), Village.current_municipality != REGION)
    )
    unknown = session.scalar(
        select(func.count())
        .select_from(clients)
        .where(clients.c.deleted.is_(False), clients.c.village.not_in(known))
    )
    return {"outside_region": int(outside or 0), "unknown_village": int(unknown or 0)}
