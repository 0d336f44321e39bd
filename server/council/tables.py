"""From the true figures to the tables a report publishes.

Every count goes into one grid with the equations between them, across figures and across the
two periods (the ladder's steps add up to the clients in care, this period's clients follow from
the last period's), so that disclosure control sees every way one count follows from others.
Each table is drafted as rows of cells (`server.council.cells`); after `disclosure.protect` the
cells resolve to what is printed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any

from app.domain.clocks import TERMS, ClockKind
from app.domain.reference import Scheme, all_domain_keys, domain_labels, scheme_labels
from app.domain.visit import VisitPurpose
from server.council.cells import Cell, Count, Key, Mean, Share, Value, resolve
from server.council.disclosure import Protection, protect
from server.council.figures import Care, Health, SchemeFlows, Windows
from server.council.grid import Dimension, Grid
from server.council.measures import (
    MOVEMENTS,
    TARGETS,
    UNKNOWN_STEP,
    ClockCounts,
    Ladder,
    PlanCounts,
    Scores,
)
from server.council.periods import MONTH_NAMES
from server.council.scope import Scope
from server.council.texts import LIMITATIONS

__all__ = ["ALL", "Collected", "Draft", "Table", "build", "publish", "resolve_tables"]

ALL = "all"  # the "all schemes" column, the "all kinds" of visit
PERIOD_TOTAL = "period"  # the month column's total: the whole window
STEPS = (*(str(n) for n in range(1, 7)), UNKNOWN_STEP)
KINDS = tuple(p.value for p in VisitPurpose)
MEASURES = ("in_care", "new", "gone")


@dataclass(frozen=True, slots=True)
class Collected:
    """Every true figure of one scope, before disclosure control."""

    scope: Scope
    windows: Windows
    flows: Mapping[tuple[str, str], SchemeFlows]
    care: Mapping[str, Care]
    ladder: Ladder
    scores: Scores
    clocks: ClockCounts
    plans: PlanCounts
    visits: Mapping[str, Mapping[tuple[str, str, str], int]]  # window label -> counts
    seen: Mapping[str, set[str]]
    health: Health
    left_out: Mapping[str, int] | None  # the council report's clients outside its areas


@dataclass(frozen=True, slots=True)
class Draft:
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A published table: only published values, withheld ones as None."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    counts: int  # counts in the table
    withheld: int  # of which withheld

    def records(self) -> list[dict[str, Value]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def only_areas(self, names: Sequence[str]) -> Table:
        """The rows of these areas (the report's --municipality); tables without an area column
        stay whole."""
        if "area" not in self.columns:
            return self
        at = self.columns.index("area")
        return Table(
            self.name,
            self.columns,
            tuple(row for row in self.rows if row[at] in names),
            self.counts,
            self.withheld,
        )


@dataclass
class _Builder:
    data: Collected
    grid: Grid = field(default_factory=Grid)
    drafts: list[Draft] = field(default_factory=list)

    @property
    def areas(self) -> Dimension:
        return Dimension(self.data.scope.groups, self.data.scope.total)

    @property
    def labels(self) -> tuple[str, ...]:
        return self.data.scope.labels

    def add_table(
        self,
        prefix: Key,
        dimensions: Sequence[Dimension],
        source: Mapping[Any, int],
        *,
        before: tuple[str, ...] = (),
        after: tuple[str, ...] = (),
    ) -> None:
        """A table whose count of each combination of categories is `source`'s value at
        (*before, *combination, *after), or 0."""
        leaf = {
            combo: int(source.get((*before, *combo, *after), 0))
            for combo in product(*(d.categories for d in dimensions))
        }
        self.grid.table(prefix, dimensions, leaf)

    def same(self, one: Key, other: Key) -> None:
        """Two names of one count: withheld together or published together."""
        self.grid.equation([(one, 1), (other, -1)])

    def draft(self, name: str, columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
        self.drafts.append(Draft(name, tuple(columns), tuple(tuple(r) for r in rows)))


# ------------------------------------------------------------------------------- figures


def _clients(b: _Builder) -> None:
    windows = b.data.windows
    schemes = (*(s.value for s in Scheme), ALL)
    for window in windows.shown:
        counts: dict[tuple[str, str, str], int] = {}
        current = window is windows.current
        for (grp, scheme), flows in b.data.flows.items():
            values = flows.current if current else flows.previous
            for measure, value in zip(MEASURES, values, strict=True):
                counts[(measure, grp, scheme)] = value
        # All schemes together counts each client once, so it is read per client.
        for care in b.data.care.values():
            now = care.during(window, windows)
            before = care.previous if current else care.earlier
            after = care.after if current else care.current
            if now:
                counts[("in_care", care.grp, ALL)] = counts.get(("in_care", care.grp, ALL), 0) + 1
                if not before:
                    counts[("new", care.grp, ALL)] = counts.get(("new", care.grp, ALL), 0) + 1
                if not after:
                    counts[("gone", care.grp, ALL)] = counts.get(("gone", care.grp, ALL), 0) + 1
        for measure in MEASURES:
            b.add_table(
                ("clients", window.label, measure),
                [b.areas, Dimension(schemes)],
                counts,
                before=(measure,),
            )
    # This period's clients are the last period's, less those who left, plus those who came.
    this, last = windows.current.label, windows.previous.label
    for grp in b.labels:
        for scheme in schemes:
            b.grid.equation(
                [
                    (("clients", last, "in_care", grp, scheme), 1),
                    (("clients", last, "gone", grp, scheme), -1),
                    (("clients", this, "in_care", grp, scheme), -1),
                    (("clients", this, "new", grp, scheme), 1),
                ]
            )
    names = {code: label.nl for code, label in scheme_labels().items()}
    names[ALL] = "Alle regelingen"
    rows: list[tuple[Cell, ...]] = [
        (
            w.label,
            grp,
            scheme,
            names[scheme],
            *(Count(("clients", w.label, m, grp, scheme)) for m in MEASURES),
        )
        for w in windows.shown
        for grp in b.labels
        for scheme in schemes
    ]
    b.draft(
        "clients_per_scheme",
        ("period", "area", "scheme", "scheme_name", "clients", "new_clients", "gone_clients"),
        rows,
    )


def _ladder(b: _Builder) -> None:
    windows, ladder = b.data.windows, b.data.ladder
    rows_steps: list[tuple[Cell, ...]] = []
    rows_moves: list[tuple[Cell, ...]] = []
    for w in windows.shown:
        b.add_table(
            ("steps", w.label),
            [b.areas, Dimension(STEPS, ALL)],
            ladder.steps,
            before=(w.label,),
        )
        b.add_table(
            ("movement", w.label),
            [b.areas, Dimension(MOVEMENTS, "measured")],
            ladder.movement,
            before=(w.label,),
        )
        b.add_table(
            ("target", w.label),
            [b.areas, Dimension(TARGETS, "compared")],
            ladder.target,
            before=(w.label,),
        )
        for grp in b.labels:
            # The steps count every client in care: the same count as all schemes together.
            b.same(("steps", w.label, grp, ALL), ("clients", w.label, "in_care", grp, ALL))
            # Compared = moved up, stayed, moved down.
            b.grid.equation(
                [
                    (("target", w.label, grp, "compared"), 1),
                    *((("movement", w.label, grp, m), -1) for m in ("up", "same", "down")),
                ]
            )
            rows_steps.append(
                (
                    w.label,
                    grp,
                    *(Count(("steps", w.label, grp, s)) for s in STEPS),
                    Count(("steps", w.label, grp, ALL)),
                )
            )
            targets = tuple(("target", w.label, grp, t) for t in TARGETS)
            rows_moves.append(
                (
                    w.label,
                    grp,
                    Count(("movement", w.label, grp, "measured")),
                    Count(("movement", w.label, grp, "first")),
                    *(Count(("movement", w.label, grp, m)) for m in ("up", "same", "down")),
                    *(Count(key) for key in targets),
                    Share(targets[0], targets),
                )
            )
    b.draft(
        "ladder_steps",
        ("period", "area", *(f"step_{s}" for s in STEPS), "clients"),
        rows_steps,
    )
    b.draft(
        "ladder_movement",
        (
            "period",
            "area",
            "measured",
            "first_measurement",
            "up",
            "same",
            "down",
            "target_reached",
            "target_not_reached",
            "no_target",
            "share_target_reached",
        ),
        rows_moves,
    )


def _sum_over(
    found: Mapping[tuple[str, str, str], tuple[int, int]],
    window: str,
    grp: str,
    domain: str,
    groups: Sequence[str],
    total: str | None,
) -> tuple[int, int]:
    if grp == total:
        parts = [found.get((window, g, domain), (0, 0)) for g in groups]
        return sum(p[0] for p in parts), sum(p[1] for p in parts)
    return found.get((window, grp, domain), (0, 0))


def _scores(b: _Builder) -> None:
    windows, scores, scope = b.data.windows, b.data.scores, b.data.scope
    labels = domain_labels()
    rows: list[tuple[Cell, ...]] = []
    for w in windows.shown:
        for domain in all_domain_keys():
            for name, found in (("scored", scores.level), ("compared", scores.change)):
                b.add_table(
                    ("scores", w.label, domain, name),
                    [b.areas],
                    {key: value[0] for key, value in found.items()},
                    before=(w.label,),
                    after=(domain,),
                )
        for grp in b.labels:
            for domain in all_domain_keys():
                level = _sum_over(scores.level, w.label, grp, domain, scope.groups, scope.total)
                change = _sum_over(scores.change, w.label, grp, domain, scope.groups, scope.total)
                scored = ("scores", w.label, domain, "scored", grp)
                compared = ("scores", w.label, domain, "compared", grp)
                rows.append(
                    (
                        w.label,
                        grp,
                        domain,
                        labels[domain].nl,
                        Count(scored),
                        Mean(float(level[1]), scored),
                        Count(compared),
                        Mean(float(change[1]), compared),
                    )
                )
    b.draft(
        "self_sufficiency",
        (
            "period",
            "area",
            "domain",
            "domain_name",
            "clients_scored",
            "mean_score",
            "clients_compared",
            "mean_change",
        ),
        rows,
    )


def _visits(b: _Builder) -> None:
    windows = b.data.windows
    rows: list[tuple[Cell, ...]] = []
    for w in windows.shown:
        months = tuple(m for m in w.period.months() if m.first <= w.last)
        counts = b.data.visits[w.label]
        keys = tuple(m.key for m in months)
        b.add_table(
            ("visits", w.label),
            [b.areas, Dimension(keys, PERIOD_TOTAL), Dimension(KINDS, ALL)],
            counts,
        )
        names = {m.key: f"{MONTH_NAMES[m.first.month - 1]} {m.first.year}" for m in months}
        names[PERIOD_TOTAL] = f"{w.label} (t/m {w.last:%d-%m-%Y})"
        for grp in b.labels:
            for month in (*keys, PERIOD_TOTAL):
                rows.append(
                    (
                        w.label,
                        grp,
                        month,
                        names[month],
                        *(Count(("visits", w.label, grp, month, k)) for k in (*KINDS, ALL)),
                    )
                )
    b.draft(
        "home_visits",
        ("period", "area", "month", "month_name", *KINDS, "visits"),
        rows,
    )


def _seen(b: _Builder) -> None:
    windows = b.data.windows
    rows: list[tuple[Cell, ...]] = []
    for w in windows.shown:
        counts: dict[tuple[str, str], int] = {}
        for client, care in b.data.care.items():
            if care.during(w, windows):
                kind = "seen" if w.label in b.data.seen.get(client, ()) else "not_seen"
                counts[(care.grp, kind)] = counts.get((care.grp, kind), 0) + 1
        b.add_table(
            ("seen", w.label),
            [b.areas, Dimension(("seen", "not_seen"), "in_care")],
            counts,
        )
        for grp in b.labels:
            b.same(("seen", w.label, grp, "in_care"), ("clients", w.label, "in_care", grp, ALL))
            parts = (("seen", w.label, grp, "seen"), ("seen", w.label, grp, "not_seen"))
            rows.append(
                (
                    w.label,
                    grp,
                    Count(("seen", w.label, grp, "in_care")),
                    *(Count(p) for p in parts),
                    Share(parts[0], parts),
                )
            )
    b.draft("seen_at_home", ("period", "area", "clients", "seen", "not_seen", "share_seen"), rows)


def _terms(b: _Builder) -> None:
    windows, clocks, scope = b.data.windows, b.data.clocks, b.data.scope
    rows: list[tuple[Cell, ...]] = []
    for w in windows.shown:
        for kind in ClockKind:
            b.add_table(
                ("terms", w.label, kind.value),
                [b.areas, Dimension(("met", "late"), "stopped")],
                {
                    (g, m): clocks.stopped[(w.label, g, kind.value, m)]
                    for g, m in product(scope.groups, ("met", "late"))
                },
            )
            b.add_table(
                ("overdue", w.label, kind.value),
                [b.areas],
                clocks.overdue,
                before=(w.label,),
                after=(kind.value,),
            )
        for grp in b.labels:
            for kind in ClockKind:
                term = TERMS[kind]
                groups = scope.groups if grp == scope.total else (grp,)
                days = sum(clocks.days[(w.label, g, kind.value)] for g in groups)
                prefix = ("terms", w.label, kind.value, grp)
                parts = ((*prefix, "met"), (*prefix, "late"))
                rows.append(
                    (
                        w.label,
                        grp,
                        kind.value,
                        term.labels[0],
                        term.weeks,
                        term.source,
                        Count((*prefix, "stopped")),
                        *(Count(p) for p in parts),
                        Share(parts[0], parts),
                        Mean(float(days), (*prefix, "stopped"), digits=0),
                        Count(("overdue", w.label, kind.value, grp)),
                    )
                )
    b.draft(
        "statutory_terms",
        (
            "period",
            "area",
            "term",
            "term_name",
            "weeks",
            "source",
            "stopped",
            "within_term",
            "late",
            "share_within_term",
            "mean_days",
            "overdue_open",
        ),
        rows,
    )


def _plans(b: _Builder) -> None:
    windows, plans = b.data.windows, b.data.plans
    rows: list[tuple[Cell, ...]] = []
    for w in windows.shown:
        b.add_table(("plans", w.label), [b.areas], plans.active, before=(w.label,))
        b.add_table(
            ("evaluations", w.label),
            [b.areas, Dimension(("on_time", "late"), "due")],
            plans.evaluations,
            before=(w.label,),
        )
        for grp in b.labels:
            parts = (
                ("evaluations", w.label, grp, "on_time"),
                ("evaluations", w.label, grp, "late"),
            )
            rows.append(
                (
                    w.label,
                    grp,
                    Count(("plans", w.label, grp)),
                    Count(("evaluations", w.label, grp, "due")),
                    *(Count(p) for p in parts),
                    Share(parts[0], parts),
                )
            )
    b.draft(
        "client_plans",
        (
            "period",
            "area",
            "plans_active",
            "evaluations_due",
            "evaluated_on_time",
            "evaluated_late",
            "share_on_time",
        ),
        rows,
    )


def _health(b: _Builder) -> None:
    windows, found, scope = b.data.windows, b.data.health, b.data.scope
    rows: list[tuple[Cell, ...]] = []
    whole = scope.whole
    current = windows.current.label
    b.grid.add(("devices", current, whole), found.devices_stale)
    b.grid.add(("device_conflicts", current, whole), found.device_conflicts)
    for w in windows.shown:
        b.add_table(
            ("conflicts", w.label),
            [b.areas],
            found.conflicts,
            before=(w.label,),
        )
        b.add_table(
            ("orphans", w.label),
            [b.areas],
            found.orphans,
            before=(w.label,),
        )
        for grp in b.labels:
            snapshot = grp == whole and w.label == current
            rows.append(
                (
                    w.label,
                    grp,
                    Count(("conflicts", w.label, grp)),
                    Count(("orphans", w.label, grp)),
                    Count(("devices", current, whole)) if snapshot else None,
                    Count(("device_conflicts", current, whole)) if snapshot else None,
                )
            )
    b.draft(
        "process_health",
        (
            "period",
            "area",
            "conflicts_arisen",
            "late_edits_open",
            "devices_not_synced",
            "open_conflicts_on_devices",
        ),
        rows,
    )


def _limitations(b: _Builder) -> None:
    rows: list[tuple[Cell, ...]] = []
    left_out = b.data.left_out
    for key, (nl, en) in LIMITATIONS.items():
        count: Cell = None
        if left_out is not None and key in left_out:
            b.grid.add(("left_out", key), left_out[key])
            count = Count(("left_out", key))
        elif key in ("outside_region", "unknown_village"):
            continue  # a team's overview counts its own clients, wherever they live
        rows.append((key, nl, en, count))
    b.draft("limitations", ("key", "text_nl", "text_en", "count"), rows)


FIGURES = (_clients, _ladder, _scores, _visits, _seen, _terms, _plans, _health, _limitations)


def build(data: Collected) -> tuple[Grid, list[Draft]]:
    builder = _Builder(data)
    for figure in FIGURES:
        figure(builder)
    return builder.grid, builder.drafts


def resolve_tables(grid: Grid, drafts: Sequence[Draft], protection: Protection) -> list[Table]:
    """The drafts with every cell as published."""
    tables = []
    for draft in drafts:
        counts = [cell for row in draft.rows for cell in row if isinstance(cell, Count)]
        tables.append(
            Table(
                draft.name,
                draft.columns,
                tuple(
                    tuple(resolve(cell, grid.values, protection) for cell in row)
                    for row in draft.rows
                ),
                len(counts),
                sum(protection.withheld(cell.key) for cell in counts),
            )
        )
    return tables


def publish(data: Collected) -> tuple[Protection, list[Table]]:
    """Protect every count of `data` together and resolve the tables."""
    grid, drafts = build(data)
    protection = protect(grid.values, grid.equations)
    return protection, resolve_tables(grid, drafts, protection)
