"""The council figures (issue #16) on the demo seed, on SQLite and PostgreSQL: every true count
equals an independent calculation written here in plain SQL over the same database, and what is
published follows from it by the disclosure rules.

The plain SQL repeats the definitions (a client in care is one with a granted provision that
covers a day of the window; a step is that of the last approved intake; ...) without any code of
server.council; where a figure needs the law's calendar (statutory terms) or a plan's evaluation
date, the dates are read with SQL and the domain's own rules (app.domain) decide.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.demo.caseload import DEMO_TODAY
from app.domain.clocks import term_end
from app.domain.plan import default_evaluation
from app.domain.reference import all_domain_keys
from server.council.disclosure import THRESHOLD, round_count
from server.council.periods import Period
from server.council.report import collect, council_report
from server.council.scope import Scope
from server.council.tables import build, publish
from server.crud import users
from server.models import Conflict, Device, OrphanedMutation, enrollments
from server.seed import seed_demo

ZONE = ZoneInfo("Europe/Amsterdam")
AREAS = ("Bedum", "De Marne", "Winsum", "Eemsmond")
WHOLE = "Het Hogeland"
CLIENTS = 400
NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


def _instant(day: date) -> str:
    return datetime.combine(day, time(), ZONE).astimezone(UTC).isoformat()


class W:
    """A window as the test sees it: first and last day, and the instants around them."""

    def __init__(self, label: str, first: date, last: date) -> None:
        self.label, self.first, self.last = label, first, last
        self.start = _instant(first)
        self.end = _instant(last + timedelta(days=1))

    @property
    def days(self) -> dict[str, str]:
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "start": self.start,
            "end": self.end,
        }


CURRENT = W("2026-H2", date(2026, 7, 1), DEMO_TODAY)
PREVIOUS = W("2026-H1", date(2026, 1, 1), date(2026, 6, 30))
EARLIER = W("2025-H2", date(2025, 7, 1), date(2025, 12, 31))

GROUPS = """
    SELECT c.id AS client_id, v.municipality AS grp
    FROM clients c JOIN villages v ON v.name = c.village
    WHERE c.deleted = false AND v.current_municipality = 'Het Hogeland'
"""
# The outcome of an enrollment (granted / refused / broken off) came with the retention work;
# on a schema without it every enrollment is a granted provision.
GRANTED = "e.outcome = 'granted'" if "outcome" in enrollments.c else "1 = 1"
CARE = f"""
    SELECT DISTINCT e.client_id FROM enrollments e
    WHERE e.deleted = false AND {GRANTED}
      AND e.start_date <= :last AND (e.end_date IS NULL OR e.end_date >= :first)
"""


def _rows(session: Session, sql: str, **params: Any) -> list[Any]:
    return list(session.execute(text(sql), params))


# --------------------------------------------------------------------- the plain SQL


def _clients(session: Session) -> dict[tuple[Any, ...], int]:
    found: dict[tuple[Any, ...], int] = {}

    def covers(n: int) -> str:
        return (
            f"MAX(CASE WHEN e.start_date <= :l{n} AND (e.end_date IS NULL OR e.end_date >= :f{n})"
            " THEN 1 ELSE 0 END)"
        )

    params = {
        "f0": EARLIER.first.isoformat(),
        "l0": EARLIER.last.isoformat(),
        "f1": PREVIOUS.first.isoformat(),
        "l1": PREVIOUS.last.isoformat(),
        "f2": CURRENT.first.isoformat(),
        "l2": CURRENT.last.isoformat(),
    }
    for scheme_column, group_by in (
        ("e.scheme", "e.client_id, g.grp, e.scheme"),
        ("'all'", "e.client_id, g.grp"),
    ):
        sql = f"""
            WITH g AS ({GROUPS}),
            f AS (
                SELECT g.grp, {scheme_column} AS scheme, {covers(0)} AS w0, {covers(1)} AS w1,
                       {covers(2)} AS w2,
                       MAX(CASE WHEN e.end_date IS NULL OR e.end_date > :l2 THEN 1 ELSE 0 END) AS w3
                FROM enrollments e JOIN g ON g.client_id = e.client_id
                WHERE e.deleted = false AND {GRANTED} AND e.start_date <= :l2
                GROUP BY {group_by}
            )
            SELECT grp, scheme,
                   SUM(w1), SUM(CASE WHEN w1 = 1 AND w0 = 0 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN w1 = 1 AND w2 = 0 THEN 1 ELSE 0 END),
                   SUM(w2), SUM(CASE WHEN w2 = 1 AND w1 = 0 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN w2 = 1 AND w3 = 0 THEN 1 ELSE 0 END)
            FROM f GROUP BY grp, scheme
        """
        for grp, scheme, *counts in _rows(session, sql, **params):
            for label, values in ((PREVIOUS.label, counts[:3]), (CURRENT.label, counts[3:])):
                for measure, value in zip(("in_care", "new", "gone"), values, strict=True):
                    found[("clients", label, measure, grp, scheme)] = int(value)
    return found


def _ladder(session: Session, w: W) -> dict[tuple[Any, ...], int]:
    found: dict[tuple[Any, ...], int] = {}
    steps = f"""
        WITH g AS ({GROUPS}), care AS ({CARE}),
        ranked AS (
            SELECT i.client_id, i.ladder_current,
                   ROW_NUMBER() OVER (PARTITION BY i.client_id ORDER BY i.reviewed_at DESC) AS rn
            FROM intakes i
            WHERE i.deleted = false AND i.status = 'approved' AND i.ladder_current IS NOT NULL
              AND i.reviewed_at < :end
        )
        SELECT g.grp, r.ladder_current, COUNT(*)
        FROM care JOIN g ON g.client_id = care.client_id
        LEFT JOIN ranked r ON r.client_id = care.client_id AND r.rn = 1
        GROUP BY g.grp, r.ladder_current
    """
    for grp, step, count in _rows(session, steps, **w.days):
        found[("steps", w.label, grp, "unknown" if step is None else str(step))] = int(count)
    movement = f"""
        WITH g AS ({GROUPS}), care AS ({CARE}),
        s AS (
            SELECT client_id, reviewed_at, ladder_current, ladder_target FROM intakes
            WHERE deleted = false AND status = 'approved' AND ladder_current IS NOT NULL
              AND reviewed_at IS NOT NULL
        ),
        inside AS (
            SELECT s.*,
                   ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY reviewed_at DESC)
                       AS from_last,
                   ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY reviewed_at) AS from_first,
                   COUNT(*) OVER (PARTITION BY client_id) AS n
            FROM s WHERE reviewed_at >= :start AND reviewed_at < :end
        ),
        before AS (
            SELECT s.*, ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY reviewed_at DESC) AS rn
            FROM s WHERE reviewed_at < :start
        ),
        pairs AS (
            SELECT l.client_id, l.ladder_current AS now_step,
                   CASE WHEN b.client_id IS NOT NULL THEN b.ladder_current
                        WHEN l.n > 1 THEN f.ladder_current END AS then_step,
                   CASE WHEN b.client_id IS NOT NULL THEN b.ladder_target
                        WHEN l.n > 1 THEN f.ladder_target END AS then_target,
                   CASE WHEN b.client_id IS NOT NULL OR l.n > 1 THEN 1 ELSE 0 END AS compared
            FROM inside l
            LEFT JOIN before b ON b.client_id = l.client_id AND b.rn = 1
            LEFT JOIN inside f ON f.client_id = l.client_id AND f.from_first = 1
            WHERE l.from_last = 1
        )
        SELECT g.grp,
               CASE WHEN p.compared = 0 THEN 'first' WHEN p.now_step > p.then_step THEN 'up'
                    WHEN p.now_step < p.then_step THEN 'down' ELSE 'same' END,
               CASE WHEN p.compared = 0 THEN NULL WHEN p.then_target IS NULL THEN 'no_target'
                    WHEN p.now_step >= p.then_target THEN 'reached' ELSE 'not_reached' END,
               COUNT(*)
        FROM pairs p JOIN care ON care.client_id = p.client_id JOIN g ON g.client_id = p.client_id
        GROUP BY 1, 2, 3
    """
    for grp, moved, target, count in _rows(session, movement, **w.days):
        key = ("movement", w.label, grp, moved)
        found[key] = found.get(key, 0) + int(count)
        if target is not None:
            key = ("target", w.label, grp, target)
            found[key] = found.get(key, 0) + int(count)
    return found


def _scores(session: Session, w: W) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(grp, domain, "level" | "change") -> (clients, sum)."""
    found: dict[tuple[str, str, str], tuple[int, int]] = {}
    for domain in all_domain_keys():
        column = f"score_{domain}"  # a fixed list of reference keys, not input
        level = f"""
            WITH g AS ({GROUPS}), care AS ({CARE}),
            ranked AS (
                SELECT client_id, {column} AS score,
                       ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY reviewed_at DESC) AS rn
                FROM intakes
                WHERE deleted = false AND status = 'approved' AND reviewed_at IS NOT NULL
                  AND reviewed_at < :end
            )
            SELECT g.grp, COUNT(*), SUM(r.score)
            FROM care JOIN g ON g.client_id = care.client_id
            JOIN ranked r ON r.client_id = care.client_id AND r.rn = 1
            WHERE r.score IS NOT NULL GROUP BY g.grp
        """
        for grp, count, total in _rows(session, level, **w.days):
            found[(grp, domain, "level")] = (int(count), int(total))
        change = f"""
            WITH g AS ({GROUPS}), care AS ({CARE}),
            s AS (
                SELECT client_id, reviewed_at, {column} AS score FROM intakes
                WHERE deleted = false AND status = 'approved' AND reviewed_at IS NOT NULL
            ),
            inside AS (
                SELECT s.*,
                       ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY reviewed_at DESC) AS lr,
                       ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY reviewed_at) AS fr,
                       COUNT(*) OVER (PARTITION BY client_id) AS n
                FROM s WHERE reviewed_at >= :start AND reviewed_at < :end
            ),
            before AS (
                SELECT s.*,
                       ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY reviewed_at DESC) AS rn
                FROM s WHERE reviewed_at < :start
            ),
            pairs AS (
                SELECT l.client_id, l.score AS now_score,
                       CASE WHEN b.client_id IS NOT NULL THEN b.score
                            WHEN l.n > 1 THEN f.score END AS then_score
                FROM inside l
                LEFT JOIN before b ON b.client_id = l.client_id AND b.rn = 1
                LEFT JOIN inside f ON f.client_id = l.client_id AND f.fr = 1
                WHERE l.lr = 1
            )
            SELECT g.grp, COUNT(*), SUM(p.now_score - p.then_score)
            FROM pairs p JOIN care ON care.client_id = p.client_id
            JOIN g ON g.client_id = p.client_id
            WHERE p.now_score IS NOT NULL AND p.then_score IS NOT NULL GROUP BY g.grp
        """
        for grp, count, total in _rows(session, change, **w.days):
            found[(grp, domain, "change")] = (int(count), int(total))
    return found


def _visits(session: Session, w: W) -> dict[tuple[Any, ...], int]:
    found: dict[tuple[Any, ...], int] = {}
    month = w.first
    while month <= w.last:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        sql = f"""
            WITH g AS ({GROUPS})
            SELECT g.grp, v.purpose, COUNT(*) FROM visits v JOIN g ON g.client_id = v.client_id
            WHERE v.deleted = false AND v.status = 'done'
              AND v.planned_at >= :a AND v.planned_at < :b
            GROUP BY g.grp, v.purpose
        """
        upto = min(following, w.last + timedelta(days=1))
        for grp, purpose, count in _rows(session, sql, a=_instant(month), b=_instant(upto)):
            found[("visits", w.label, grp, f"{month:%Y-%m}", purpose)] = int(count)
        month = following
    seen = f"""
        WITH g AS ({GROUPS}), care AS ({CARE})
        SELECT g.grp,
               CASE WHEN EXISTS (
                   SELECT 1 FROM visits v WHERE v.client_id = care.client_id
                   AND v.deleted = false AND v.status = 'done'
                   AND v.planned_at >= :start AND v.planned_at < :end
               ) THEN 'seen' ELSE 'not_seen' END,
               COUNT(*)
        FROM care JOIN g ON g.client_id = care.client_id GROUP BY 1, 2
    """
    for grp, kind, count in _rows(session, seen, **w.days):
        found[("seen", w.label, grp, kind)] = int(count)
    return found


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _terms(session: Session, w: W) -> tuple[dict[tuple[Any, ...], int], Counter[tuple[str, str]]]:
    """Met / late clocks stopped in the window, overdue ones running at its end, and the days
    of the stopped ones: the dates by SQL, the due days by the law's calendar (term_end)."""
    found: dict[tuple[Any, ...], int] = {}
    days: Counter[tuple[str, str]] = Counter()
    sql = f"""
        WITH g AS ({GROUPS})
        SELECT g.grp, i.status, i.reviewed_at, i.wmo_melding_date, i.wmo_report_given_date,
               i.wmo_aanvraag_date, i.pw_aanvraag_date
        FROM intakes i JOIN g ON g.client_id = i.client_id WHERE i.deleted = false
    """
    for grp, status, reviewed, melding, report, wmo_aanvraag, pw_aanvraag in _rows(session, sql):
        decided = None
        if status == "approved" and reviewed:
            decided = datetime.fromisoformat(str(reviewed)).astimezone(ZONE).date()
        report_day = _day(report)
        onderzoek_stop = (
            min(d for d in (report_day, decided) if d) if (report_day or decided) else None
        )
        for kind, weeks, start, stop in (
            ("wmo_onderzoek", 6, _day(melding), onderzoek_stop),
            ("wmo_beschikking", 2, _day(wmo_aanvraag), decided),
            ("pw_beslissing", 8, _day(pw_aanvraag), decided),
        ):
            if start is None or start > CURRENT.last:
                continue
            due = term_end(start, weeks=weeks)
            if stop is not None and w.first <= stop <= w.last:
                done: tuple[Any, ...] = (
                    "terms",
                    w.label,
                    kind,
                    grp,
                    "met" if stop <= due else "late",
                )
                found[done] = found.get(done, 0) + 1
                days[(grp, kind)] += (stop - start).days
            if start <= w.last and (stop is None or stop > w.last) and w.last > due:
                late: tuple[Any, ...] = ("overdue", w.label, kind, grp)
                found[late] = found.get(late, 0) + 1
    return found, days


def _json(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    return json.loads(value) if isinstance(value, str) else dict(value)


def _plans(session: Session, w: W) -> dict[tuple[Any, ...], int]:
    found: dict[tuple[Any, ...], int] = {}
    active = f"""
        WITH g AS ({GROUPS})
        SELECT g.grp, COUNT(*) FROM client_plans p JOIN g ON g.client_id = p.client_id
        WHERE p.deleted = false AND p.activated_at IS NOT NULL AND p.activated_at < :end
          AND (p.closed_at IS NULL OR p.closed_at >= :start)
        GROUP BY g.grp
    """
    for grp, count in _rows(session, active, **w.days):
        found[("plans", w.label, grp)] = int(count)
    plans = f"""
        WITH g AS ({GROUPS})
        SELECT g.grp, p.closed_at, p.next_evaluation, p.single_parent_exemption,
               p.client_signature, p.caseworker_signature
        FROM client_plans p JOIN g ON g.client_id = p.client_id
        WHERE p.deleted = false AND p.activated_at IS NOT NULL AND p.activated_at < :end
    """
    for grp, closed, planned, exempt, *signatures in _rows(session, plans, end=CURRENT.end):
        due = _day(planned)
        if due is None:
            signed = []
            for signature in map(_json, signatures):
                assert signature is not None
                day = _day(signature.get("paper_date")) or (
                    datetime.fromisoformat(signature["signed_at"]).astimezone(ZONE).date()
                )
                signed.append(day)
            due = default_evaluation(max(signed), single_parent_exemption=bool(exempt))
        if not w.first <= due <= w.last:
            continue
        closed_day = datetime.fromisoformat(str(closed)).astimezone(ZONE).date() if closed else None
        kind = "on_time" if closed_day is not None and closed_day <= due else "late"
        key = ("evaluations", w.label, grp, kind)
        found[key] = found.get(key, 0) + 1
    return found


def _health(session: Session, w: W) -> dict[tuple[Any, ...], int]:
    found: dict[tuple[Any, ...], int] = {}
    for name, sql in (
        (
            "conflicts",
            f"""WITH g AS ({GROUPS}) SELECT g.grp, COUNT(*) FROM conflicts x
                JOIN g ON g.client_id = x.client_id
                WHERE x.created_at >= :start AND x.created_at < :end GROUP BY g.grp""",
        ),
        (
            "orphans",
            f"""WITH g AS ({GROUPS}) SELECT g.grp, COUNT(*) FROM orphaned_mutations x
                JOIN g ON g.client_id = x.client_id
                WHERE x.created_at < :end AND (x.handled_at IS NULL OR x.handled_at >= :end)
                GROUP BY g.grp""",
        ),
    ):
        bounds = {"start": _sql_moment(w.start), "end": _sql_moment(w.end)}
        for grp, count in _rows(session, sql, **bounds):
            found[(name, w.label, grp)] = int(count)
    return found


def _sql_moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


# ------------------------------------------------------------------------------ arrange


def _arrange(session: Session) -> None:
    seed_demo(session, clients=CLIENTS, seed=2026)
    # Process health has nothing in a fresh demo: a few conflicts and late edits, a device.
    bedum = [
        str(r[0])
        for r in _rows(
            session, "SELECT id FROM clients WHERE village = 'Bedum' ORDER BY id LIMIT 14"
        )
    ]
    for n, client in enumerate(bedum):
        session.add(
            Conflict(
                entity="client",
                record_id=client,
                client_id=client,
                field="phone",
                base=None,
                server_value=None,
                device_value=None,
                device_id="d",
                mutation_id=f"m{n}",
                created_at=datetime(2026, 9, 1 + n, 10, tzinfo=UTC),
            )
        )
    for n, client in enumerate(bedum[:3]):
        session.add(
            OrphanedMutation(
                device_id="d",
                client_id=client,
                entry={"entity": "note"},
                created_at=datetime(2026, 3, 2 + n, 10, tzinfo=UTC),
                handled_at=datetime(2026, 8, 1, tzinfo=UTC) if n == 0 else None,
            )
        )
    lead = users.find_user(session, "k.dijkstra")
    assert lead is not None
    session.add(
        Device(
            id="stale-device",
            user_id=lead.id,
            name="laptop",
            token_hash="0" * 64,
            enrolled_at=datetime(2026, 1, 5, tzinfo=UTC),
            last_seen=datetime(2026, 10, 1, tzinfo=UTC),
        )
    )
    session.commit()


def _expected(session: Session) -> tuple[dict[tuple[Any, ...], int], dict[str, Any]]:
    expected = _clients(session)
    extra: dict[str, Any] = {}
    for w in (CURRENT, PREVIOUS):
        expected.update(_ladder(session, w))
        expected.update(_visits(session, w))
        terms, days = _terms(session, w)
        expected.update(terms)
        expected.update(_plans(session, w))
        expected.update(_health(session, w))
        extra[f"scores {w.label}"] = _scores(session, w)
        extra[f"days {w.label}"] = days
    expected[("devices", CURRENT.label, WHOLE)] = 1
    expected[("device_conflicts", CURRENT.label, WHOLE)] = 0
    outside = _rows(
        session,
        "SELECT COUNT(*) FROM clients c JOIN villages v ON v.name = c.village "
        "WHERE c.deleted = false AND v.current_municipality <> 'Het Hogeland'",
    )[0][0]
    expected[("left_out", "outside_region")] = int(outside)
    expected[("left_out", "unknown_village")] = 0
    return expected, extra


# -------------------------------------------------------------------------------- tests


def test_the_figures_of_the_demo_equal_a_calculation_in_plain_sql(session: Session) -> None:
    _arrange(session)
    expected, extra = _expected(session)
    data = collect(session, Scope.council(), Period(2026, 2), as_of=DEMO_TODAY, now=NOW)
    grid, _drafts = build(data)

    # Every count the report holds for one former municipality (a leaf of its table) is the
    # plain SQL's (absent there: zero); totals are sums of leaves, made and checked by the grid.
    totals = {WHOLE, "all", "measured", "compared", "stopped", "due", "in_care", "period"}
    checked = 0
    for key, value in grid.values.items():
        family = key[0]
        if family in ("devices", "device_conflicts", "left_out"):
            assert value == expected[key], key
        elif family == "clients":  # its "all" column is no total: clients count once in it
            if key[3] == WHOLE:
                continue
            assert value == expected.get(key, 0), (key, value, expected.get(key, 0))
        elif family == "scores" or any(part in totals for part in key[2:]):
            continue
        else:
            assert value == expected.get(key, 0), (key, value, expected.get(key, 0))
        checked += 1
    assert checked > 500
    whole = ("clients", CURRENT.label, "in_care", WHOLE, "all")
    assert grid.values[whole] == sum(expected[whole[:3] + (a, "all")] for a in AREAS)

    # Scores and lead times: the clients counted and the sums their means are made of.
    for w in (CURRENT, PREVIOUS):
        scores = extra[f"scores {w.label}"]
        for area in AREAS:
            for domain in all_domain_keys():
                assert data.scores.level.get((w.label, area, domain), (0, 0)) == scores.get(
                    (area, domain, "level"), (0, 0)
                ), (w.label, area, domain)
                assert data.scores.change.get((w.label, area, domain), (0, 0)) == scores.get(
                    (area, domain, "change"), (0, 0)
                ), (w.label, area, domain)
            for kind in ("wmo_onderzoek", "wmo_beschikking", "pw_beslissing"):
                assert (
                    data.clocks.days[(w.label, area, kind)]
                    == extra[f"days {w.label}"][(area, kind)]
                )

    # The demo has history in both periods, enough to be worth reporting.
    assert expected[("clients", CURRENT.label, "in_care", "Bedum", "all")] >= 50
    assert sum(v for k, v in expected.items() if k[0] == "visits" and k[1] == PREVIOUS.label) > 100
    assert sum(v for k, v in expected.items() if k[0] == "movement" and k[3] == "up") > 0
    assert expected[("conflicts", CURRENT.label, "Bedum")] == 14


def test_what_is_published_follows_from_the_true_counts(session: Session) -> None:
    _arrange(session)
    data = collect(session, Scope.council(), Period(2026, 2), as_of=DEMO_TODAY, now=NOW)
    grid, _drafts = build(data)
    protection, tables = publish(data)
    for key, value in grid.values.items():
        shown = protection.value(key)
        if value < THRESHOLD:
            assert shown is None, key
        elif shown is not None:
            assert shown == round_count(value), key
    # Means: only over a published group; shares: only where all their parts are published.
    scores = next(t for t in tables if t.name == "self_sufficiency")
    for row in scores.records():
        if row["clients_scored"] is None:
            assert row["mean_score"] is None
        if row["clients_compared"] is None:
            assert row["mean_change"] is None
    terms = next(t for t in tables if t.name == "statutory_terms")
    for row in terms.records():
        if row["within_term"] is None or row["late"] is None:
            assert row["share_within_term"] is None
    # Conflicts: 14 in Bedum are shown (rounded); the other areas have none, so are withheld.
    health = next(t for t in tables if t.name == "process_health")
    bedum = [r for r in health.records() if r["area"] == "Bedum" and r["period"] == "2026-H2"]
    assert bedum[0]["conflicts_arisen"] == 15


def test_one_municipality_shows_exactly_its_rows_of_the_full_report(session: Session) -> None:
    _arrange(session)
    full = council_report(session, Period(2026, 2), municipality=None, as_of=DEMO_TODAY, now=NOW)
    one = council_report(
        session, Period(2026, 2), municipality="de marne", as_of=DEMO_TODAY, now=NOW
    )
    assert one.areas == ("De Marne",)
    for table in full.tables:
        if "area" not in table.columns:
            continue
        mine = one.table(table.name).records()
        assert mine == [r for r in table.records() if r["area"] == "De Marne"]
        assert mine


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_period_before_any_data_has_only_withheld_counts(session: Session) -> None:
    report = council_report(
        session, Period(2010, 1), municipality=None, as_of=date(2026, 11, 23), now=NOW
    )
    for table in report.tables:
        assert table.withheld == table.counts


def test_grouping_by_team_counts_the_team_clients_only(session: Session) -> None:
    """The lead's overview: the clients currently assigned to the team's caseworkers, as one
    group; in the demo that is every client, wherever they live."""
    _arrange(session)
    team_id = _rows(session, "SELECT id FROM teams WHERE name = 'Team Hogeland-Noord'")[0][0]
    data = collect(
        session, Scope.team(int(team_id), "Team"), Period(2026, 2), as_of=DEMO_TODAY, now=NOW
    )
    grid, _drafts = build(data)
    everyone = _rows(
        session,
        f"""SELECT COUNT(DISTINCT e.client_id) FROM enrollments e
            WHERE e.deleted = false AND {GRANTED}
              AND e.start_date <= :last AND (e.end_date IS NULL OR e.end_date >= :first)""",
        **CURRENT.days,
    )[0][0]
    assert grid.values[("clients", CURRENT.label, "in_care", "Team", "all")] == everyone
    assert ("clients", CURRENT.label, "in_care", WHOLE, "all") not in grid.values
