"""The figures that need a rule of the domain, from the few columns `server.council.figures`
reads: a client's ladder step and scores through their approved intakes, the statutory clocks,
the plans' evaluations. Pure: rows in, true counts and sums out (disclosure comes after).

A client's situation at the end of a window is their last approved intake decided by then. Their
movement over a window runs from their last approved intake before it (or, without one, their
first in it) to their last one in it; a client with only one intake in it and none before has a
first measurement, no movement.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from app.domain.clocks import Clock, ClockKind, intake_clocks
from app.domain.local_time import ZONE
from app.domain.plan import default_evaluation
from app.domain.states import IntakeStatus
from server.council.figures import Care, ClockRow, IntakeRow, PlanRow, Windows
from server.council.scope import Window

__all__ = [
    "MOVEMENTS",
    "TARGETS",
    "UNKNOWN_STEP",
    "ClockCounts",
    "Ladder",
    "PlanCounts",
    "Scores",
    "clock_counts",
    "ladder",
    "plan_counts",
    "scores",
]

UNKNOWN_STEP = "unknown"
MOVEMENTS = ("up", "same", "down", "first")
TARGETS = ("reached", "not_reached", "no_target")


def _by_client(rows: Iterable[IntakeRow]) -> dict[str, list[IntakeRow]]:
    found: dict[str, list[IntakeRow]] = defaultdict(list)
    for row in rows:  # oldest first, as figures.approved_intakes gives them
        found[row.client_id].append(row)
    return found


def _pair(
    history: Sequence[IntakeRow], window: Window
) -> tuple[IntakeRow | None, IntakeRow] | None:
    """(baseline, last) of a window, or None without an intake in it."""
    before = [r for r in history if r.reviewed_at < window.start]
    within = [r for r in history if window.start <= r.reviewed_at < window.end]
    if not within:
        return None
    last = within[-1]
    baseline = before[-1] if before else (within[0] if len(within) > 1 else None)
    return baseline, last


@dataclass
class Ladder:
    steps: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (window, grp, step)
    movement: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # ... movement
    target: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # ... target


def ladder(care: Mapping[str, Care], intakes: Iterable[IntakeRow], windows: Windows) -> Ladder:
    """Of the clients in care in each shown window: the step they stand on at its end, and how
    they moved over it."""
    result = Ladder()
    stepped = {
        client: [r for r in rows if r.ladder_current is not None]
        for client, rows in _by_client(intakes).items()
    }
    for client, state in care.items():
        history = stepped.get(client, [])
        for window in windows.shown:
            if not state.during(window, windows):
                continue
            known = [r for r in history if r.reviewed_at < window.end]
            step = str(known[-1].ladder_current) if known else UNKNOWN_STEP
            result.steps[(window.label, state.grp, step)] += 1
            pair = _pair(history, window)
            if pair is None:
                continue
            baseline, last = pair
            if baseline is None:
                result.movement[(window.label, state.grp, "first")] += 1
                continue
            now, then = int(last.ladder_current or 0), int(baseline.ladder_current or 0)
            moved = "up" if now > then else "down" if now < then else "same"
            result.movement[(window.label, state.grp, moved)] += 1
            goal = baseline.ladder_target
            reached = "no_target" if goal is None else "reached" if now >= goal else "not_reached"
            result.target[(window.label, state.grp, reached)] += 1
    return result


@dataclass
class Scores:
    # (window, grp, domain) -> (clients, sum of their scores)
    level: dict[tuple[str, str, str], tuple[int, int]] = field(default_factory=dict)
    # (window, grp, domain) -> (clients, sum of last minus baseline)
    change: dict[tuple[str, str, str], tuple[int, int]] = field(default_factory=dict)


def _add(
    found: dict[tuple[str, str, str], tuple[int, int]], key: tuple[str, str, str], value: int
) -> None:
    count, total = found.get(key, (0, 0))
    found[key] = (count + 1, total + value)


def scores(care: Mapping[str, Care], intakes: Iterable[IntakeRow], windows: Windows) -> Scores:
    """Self-sufficiency per life domain of the clients in care: their last approved scores at
    the end of each shown window, and the change over it."""
    result = Scores()
    histories = _by_client(intakes)
    for client, state in care.items():
        history = histories.get(client, [])
        for window in windows.shown:
            if not state.during(window, windows):
                continue
            known = [r for r in history if r.reviewed_at < window.end]
            if known:
                for domain, score in known[-1].scores.items():
                    _add(result.level, (window.label, state.grp, domain), score)
            pair = _pair(history, window)
            if pair is None or pair[0] is None:
                continue
            baseline, last = pair
            assert baseline is not None
            for domain, score in last.scores.items():
                then = baseline.scores.get(domain)
                if then is not None:
                    _add(result.change, (window.label, state.grp, domain), score - then)
    return result


@dataclass
class ClockCounts:
    # (window, grp, clock kind, "met" | "late") -> clocks stopped in the window
    stopped: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    # (window, grp, clock kind) -> days from start to stop, summed over the stopped clocks
    days: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    # (window, grp, clock kind) -> still running at the window's end, past their due day
    overdue: Counter[tuple[str, str, str]] = field(default_factory=Counter)


def _decided(row: ClockRow) -> date | None:
    """The day an intake was decided: the local day of its approval (app.domain.clocks)."""
    if row.status != IntakeStatus.APPROVED or row.reviewed_at is None:
        return None
    return row.reviewed_at.astimezone(ZONE).date()


def clock_counts(rows: Iterable[ClockRow], windows: Windows) -> ClockCounts:
    result = ClockCounts()
    for row in rows:
        clocks: tuple[Clock, ...] = intake_clocks(
            wmo_melding=row.wmo_melding,
            wmo_report_given=row.wmo_report_given,
            wmo_aanvraag=row.wmo_aanvraag,
            pw_aanvraag=row.pw_aanvraag,
            decided=_decided(row),
        )
        for clock in clocks:
            kind = ClockKind(clock.kind).value
            for window in windows.shown:
                if window.holds(clock.stopped):
                    assert clock.stopped is not None
                    result.stopped[
                        (window.label, row.grp, kind, "met" if clock.met else "late")
                    ] += 1
                    result.days[(window.label, row.grp, kind)] += (
                        clock.stopped - clock.started
                    ).days
                running = clock.started <= window.last and (
                    clock.stopped is None or clock.stopped > window.last
                )
                if running and window.last > clock.due:
                    result.overdue[(window.label, row.grp, kind)] += 1
    return result


@dataclass
class PlanCounts:
    active: Counter[tuple[str, str]] = field(default_factory=Counter)  # (window, grp)
    # (window, grp, "on_time" | "late"): plans whose evaluation came due in the window
    evaluations: Counter[tuple[str, str, str]] = field(default_factory=Counter)


def evaluation_due(row: PlanRow) -> date | None:
    """When an activated plan was to be evaluated (app.domain.plan.ClientPlan.evaluation_due)."""
    if row.next_evaluation is not None:
        return row.next_evaluation
    signed = [day for day in row.signed if day is not None]
    agreed = max(signed) if len(signed) == len(row.signed) else None
    if agreed is None:
        agreed = row.activated_at.astimezone(ZONE).date()
    return default_evaluation(agreed, single_parent_exemption=row.single_parent_exemption)


def plan_counts(rows: Iterable[PlanRow], windows: Windows) -> PlanCounts:
    """Plans active at some time in each shown window, and the evaluations that came due in it:
    on time when the plan was evaluated (replaced by a new version, or ended) by its date."""
    result = PlanCounts()
    for row in rows:
        closed = row.closed_at
        closed_day = closed.astimezone(ZONE).date() if closed is not None else None
        due = evaluation_due(row)
        for window in windows.shown:
            if row.activated_at < window.end and (closed is None or closed >= window.start):
                result.active[(window.label, row.grp)] += 1
            if due is not None and window.holds(due):
                on_time = closed_day is not None and closed_day <= due
                result.evaluations[(window.label, row.grp, "on_time" if on_time else "late")] += 1
    return result
