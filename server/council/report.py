"""A council report's figures: read, measured, protected and published, for one period beside
the one before it.

    report = council_report(session, Period.parse("2026-H2"), municipality=None,
                            as_of=local_today(), now=datetime.now(UTC))
    report.table("ladder_movement").records()

The same figures of one team (`team_figures`) are what its lead's overview shows: the team's
clients as one group, under the same disclosure control.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.domain.errors import VeldwerkError
from server.council.areas import choose_areas
from server.council.figures import (
    Windows,
    approved_intakes,
    care_of_clients,
    clock_rows,
    health,
    left_out,
    plan_rows,
    scheme_flows,
    seen_at_home,
    visit_counts,
)
from server.council.measures import clock_counts, ladder, plan_counts, scores
from server.council.periods import Period
from server.council.scope import Scope, Window
from server.council.tables import Collected, Table, publish

__all__ = ["FuturePeriod", "Report", "collect", "council_report", "team_figures"]


class FuturePeriod(VeldwerkError):
    def __init__(self, period: Period) -> None:
        super().__init__(
            "future_period",
            f"--period {period.label}: deze periode is nog niet begonnen. Er is niets geschreven.",
            f"--period {period.label}: this period has not begun yet. Nothing was written.",
        )


@dataclass(frozen=True, slots=True)
class Report:
    period: Period
    as_of: date  # the last day counted: the period's end, or the report day while it runs
    made_at: datetime
    scope: Scope
    areas: tuple[str, ...]  # the rows shown: every area and the whole, or one area
    tables: tuple[Table, ...]

    @property
    def previous(self) -> Period:
        return self.period.previous()

    @property
    def whole(self) -> str:
        """The group a report is about: Het Hogeland, the one former municipality, the team."""
        return self.scope.total if len(self.areas) > 1 and self.scope.total else self.areas[0]

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


def collect(
    session: Session, scope: Scope, period: Period, *, as_of: date, now: datetime
) -> Collected:
    """Every true figure of `scope` for `period` (up to `as_of`) and the period before it."""
    if period.first > as_of:
        raise FuturePeriod(period)
    windows = Windows.of(Window.of(period, as_of))
    care = care_of_clients(session, scope, windows)
    decided = approved_intakes(session, scope, windows)
    return Collected(
        scope=scope,
        windows=windows,
        flows=scheme_flows(session, scope, windows),
        care=care,
        ladder=ladder(care, decided, windows),
        scores=scores(care, decided, windows),
        clocks=clock_counts(clock_rows(session, scope, windows), windows),
        plans=plan_counts(plan_rows(session, scope, windows), windows),
        visits={w.label: visit_counts(session, scope, w) for w in windows.shown},
        seen=seen_at_home(session, scope, windows),
        health=health(session, scope, windows, now=now),
        left_out=left_out(session) if scope.team_id is None else None,
    )


def council_report(
    session: Session,
    period: Period,
    *,
    municipality: str | None,
    as_of: date,
    now: datetime,
) -> Report:
    """The report for the councils: every former municipality and Het Hogeland, or one former
    municipality. Disclosure control always runs over all of them together, so the figures of
    one municipality are exactly those of the full report (no pair of reports can be set side
    by side to undo it)."""
    shown = choose_areas(municipality)
    scope = Scope.council()
    data = collect(session, scope, period, as_of=as_of, now=now)
    _protection, tables = publish(data)
    if set(shown) != set(scope.labels):
        tables = [table.only_areas(shown) for table in tables]
    return Report(period, data.windows.current.last, now, scope, shown, tuple(tables))


def team_figures(
    session: Session, *, team_id: int, team_name: str, as_of: date, now: datetime
) -> Report:
    """The figures of one team's clients, for the half year that holds `as_of` and the one
    before it."""
    scope = Scope.team(team_id, team_name)
    period = Period.containing(as_of)
    data = collect(session, scope, period, as_of=as_of, now=now)
    _protection, tables = publish(data)
    return Report(period, data.windows.current.last, now, scope, scope.labels, tuple(tables))
