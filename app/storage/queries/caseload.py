"""The caseload (Cliënten) query: one statement that filters, searches and sorts in SQL.

Sorting happens in SQLite, never in Python: a `QSortFilterProxyModel` calls back into Python for
every comparison and took 1-1.8 s on 10,000 rows. Text search goes through the encrypted FTS5
index with the storage layer's safe quoting (`app.storage.search.match_query`).

Per client the statement fetches values from other tables (current schemes, last visit, next
action, returned intake) one of two ways, whichever touches fewer rows:

- the whole caseload (no search, no narrowing filter): one pass over each child table, grouped
  by client in a single GROUP BY, joined to the clients once;
- a search or a narrowing filter: the clients are found first (FTS5 index, indexed columns), and
  only for those a handful of index lookups (`client_id` indexes) fetch the other values, so a
  keystroke costs in proportion to the hits, not to the caseload.

Both produce the same columns, and everything after (days, next action, overdue, statutory
term, ORDER BY) is one shared outer query.

Statutory terms ("Termijn"): their due days follow the Algemene termijnenwet (weekends, public
holidays), which lives in app.domain.clocks and nowhere else. So the dates of the intakes not yet
approved are read first, in one small statement, each client's most urgent running clock is
computed in Python, and the result goes into the caseload statement as one JSON parameter
(`:terms`, client id -> "<due>|<kind>|<started>"), joined once: sorting and filtering on it stay
in SQL like every other column.

Dates: visit times are stored as UTC ISO strings; the days shown, compared and sorted on ("last
visit", "overdue", "next action") are days in the caseworkers' time zone (`ZONE`, as on the
Vandaag page). SQLite knows no time zones, so the UTC offsets of that zone over the years around
today are read from zoneinfo and written into the statement as a CASE over the transitions.

The rows come back as plain values (`CaseloadRecord`); app.services.caseload makes the table's
lines of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from app.domain.clocks import DUE_SOON_DAYS, Clock, intake_clocks, most_urgent
from app.domain.intake_fields import PW_DATES, WMO_DATES, WMO_REPORT_GIVEN
from app.domain.local_time import ZONE
from app.domain.states import ActionStatus, IntakeStatus, PlanStatus, VisitStatus
from app.storage.search import match_query
from app.storage.store import Store

__all__ = [
    "ZONE",
    "CaseloadQuery",
    "CaseloadRecord",
    "PresentValues",
    "SortColumn",
    "caseload_records",
    "caseload_sql",
    "day_start_utc",
    "local_day_sql",
    "present_values",
    "running_terms",
]

# The years around today whose UTC offsets are exact in SQL; older and later times use the
# offset at the window's edge (only a time within an hour or two of midnight could then be
# given the neighbouring day).
_YEARS_BACK = 10
_YEARS_AHEAD = 2


class SortColumn(StrEnum):
    """The columns the caseload can be sorted by; each maps to a fixed SQL expression."""

    NAME = "name"
    BSN = "bsn"
    VILLAGE = "village"
    MUNICIPALITY = "municipality"
    SCHEMES = "schemes"
    LADDER_STEP = "ladder_step"
    LAST_VISIT = "last_visit"
    NEXT_ACTION = "next_action"
    TERM = "term"


@dataclass(frozen=True, slots=True)
class CaseloadQuery:
    """What the caseload screen asks for. Empty text and None filters mean "all".

    `scheme` is a scheme code ("wmo"); it matches clients enrolled in it on the query's day.
    Rows without a value for the sort column come last in both directions; ties (and the
    descending order of any column but the name) follow the name order.
    """

    text: str = ""
    municipality: str | None = None
    village: str | None = None
    scheme: str | None = None
    ladder_step: int | None = None
    visit_overdue: bool = False
    intake_returned: bool = False
    term_due: bool = False  # a statutory term overdue or due within DUE_SOON_DAYS days
    sort: SortColumn = SortColumn.NAME
    descending: bool = False


class CaseloadRecord(NamedTuple):
    """One client as the caseload statement returns it, before it becomes a table line.

    A NamedTuple, not a frozen dataclass: 10,000 are made per full caseload, and a frozen
    dataclass's __init__ costs several times as much. Days are ISO dates in the query's zone;
    `first_visit` is "<planned_at>|<purpose>" of the earliest planned visit and `first_action`
    "<due_date>|<description>" of the earliest open action of an active plan; `term`
    "<due>|<kind>|<started>" of the client's most urgent running statutory clock.
    """

    client_id: str
    bsn: str
    initials: str
    first_names: str
    name_prefix: str
    surname: str
    village: str
    municipality: str
    participation_step: int | None
    schemes: str | None  # scheme codes, comma separated, in alphabetical order
    last_day: str | None
    first_visit: str | None
    first_action: str | None
    visit_day: str | None
    action_day: str | None
    returned: int
    term: str | None


@dataclass(frozen=True, slots=True)
class PresentValues:
    """The values present in the caseload, for the filter chips."""

    municipalities: tuple[str, ...]
    villages: tuple[str, ...]
    schemes: tuple[str, ...]
    ladder_steps: tuple[int, ...]


# ------------------------------------------------------------------------------ time zones


@cache
def _transitions(zone: tzinfo, first_year: int, last_year: int) -> tuple[tuple[str, int], ...]:
    """The zone's UTC offsets (minutes) from `first_year` through `last_year`, newest first, as
    (UTC ISO time the offset starts, offset); the last one holds from the window's start."""

    def offset(moment: datetime) -> int:
        delta = moment.astimezone(zone).utcoffset() or timedelta(0)
        return int(delta.total_seconds() // 60)

    start = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    pieces: list[tuple[str, int]] = []
    day, current = start, offset(start)
    while day < end:
        following = day + timedelta(days=1)
        if offset(following) != current:
            # The first minute of the day with the new offset.
            low, high = 0, 24 * 60
            while high - low > 1:
                middle = (low + high) // 2
                if offset(day + timedelta(minutes=middle)) == current:
                    low = middle
                else:
                    high = middle
            changed = day + timedelta(minutes=high)
            pieces.append((changed.isoformat(), offset(changed)))
            current = offset(changed)
        day = following
    pieces.append((start.isoformat(), offset(start)))
    return tuple(sorted(pieces, reverse=True))


def local_day_sql(column: str, *, zone: tzinfo, today: date) -> str:
    """SQL for the local day (ISO date) of the UTC ISO time in `column`, in `zone`."""
    pieces = _transitions(zone, today.year - _YEARS_BACK, today.year + _YEARS_AHEAD)
    if len({minutes for _, minutes in pieces}) == 1:
        return f"date({column}, '{pieces[0][1]:+d} minutes')"
    # Newest first: most times in a caseload are recent, so SQLite stops after a few tests.
    branches = " ".join(
        f"WHEN {column} >= '{since}' THEN date({column}, '{minutes:+d} minutes')"
        for since, minutes in pieces
    )
    oldest = pieces[-1][1]
    return f"CASE {branches} ELSE date({column}, '{oldest:+d} minutes') END"


def day_start_utc(day: date, zone: tzinfo) -> str:
    """The start of a local day as the ISO UTC string visits are stored with."""
    return datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC).isoformat()


# ------------------------------------------------------------------------------------- SQL
# Status values come from the domain enums, so a renamed value cannot silently break a filter.
# They and the column expressions below are constants of ours; whatever a person types or picks
# reaches SQL only as a bound parameter.
_PLANNED = VisitStatus.PLANNED.value
_DONE = VisitStatus.DONE.value
_RETURNED = IntakeStatus.RETURNED.value
_ACTIVE_PLAN = PlanStatus.ACTIVE.value
_OPEN_ACTIONS = f"('{ActionStatus.OPEN.value}', '{ActionStatus.IN_PROGRESS.value}')"

# The base columns both strategies produce. first_visit is "<planned_at>|<purpose>" of the
# earliest planned visit and first_action "<due_date>|<description>" of the earliest open action
# of an active plan: min() over such strings picks the earliest and carries its text along.
_CLIENT_COLUMNS = (
    "c.id, c.bsn, c.initials, c.first_names, c.name_prefix, c.surname, c.village, "
    "c.municipality, c.participation_step, c.sort_key"
)
# Granted and running today (Enrollment.active_on): a refused or broken-off application never was.
_ACTIVE_ENROLLMENT = (
    "start_date <= :today AND (end_date IS NULL OR end_date >= :today) AND outcome = 'granted'"
)
_ACTION_ROWS = (
    "FROM client_plans AS p JOIN plan_actions AS a ON a.plan_id = p.id "
    "WHERE p.deleted = 0 AND a.deleted = 0 AND {status} = '" + _ACTIVE_PLAN + "' "
    f"AND a.status IN {_OPEN_ACTIONS} "
)
_ACTION_TEXT = "a.due_date || '|' || a.description"

# Strategy 1, the whole caseload: one GROUP BY over the child rows, then one join.
_GROUPED = f"""
agg AS (
    SELECT client_id,
           group_concat(DISTINCT scheme ORDER BY scheme) AS schemes,
           max(last_at) AS last_at,
           min(first_visit) AS first_visit,
           min(first_action) AS first_action,
           max(returned) AS returned
    FROM (
        SELECT client_id, NULL AS scheme,
               CASE WHEN status = '{_DONE}' THEN planned_at END AS last_at,
               CASE WHEN status = '{_PLANNED}' THEN planned_at || '|' || purpose END
                   AS first_visit,
               NULL AS first_action, 0 AS returned
        FROM visits
        WHERE deleted = 0 AND status IN ('{_DONE}', '{_PLANNED}')
        UNION ALL
        SELECT client_id, scheme, NULL, NULL, NULL, 0
        FROM enrollments
        WHERE deleted = 0 AND {_ACTIVE_ENROLLMENT}
        UNION ALL
        SELECT p.client_id, NULL, NULL, NULL, {_ACTION_TEXT}, 0
        {_ACTION_ROWS.format(status="p.status")}
        UNION ALL
        SELECT client_id, NULL, NULL, NULL, NULL, 1
        FROM intakes
        WHERE deleted = 0 AND status = '{_RETURNED}'
    )
    GROUP BY client_id
),
base AS (
    SELECT {_CLIENT_COLUMNS},
           a.schemes, a.last_at, a.first_visit, a.first_action,
           coalesce(a.returned, 0) AS returned
    FROM clients AS c
    LEFT JOIN agg AS a ON a.client_id = c.id
    WHERE {{where}}
)"""

# Strategy 2, a search or a narrowing filter: index lookups for the clients found. MATERIALIZED,
# so that SQLite runs each lookup once per client and not again for ORDER BY and the output.
# The unary `+` keeps SQLite on the client_id indexes (the status index would make it scan every
# visit or intake with that status, per client).
_LOOKUPS = f"""
base AS MATERIALIZED (
    SELECT {_CLIENT_COLUMNS},
        (SELECT group_concat(DISTINCT e.scheme ORDER BY e.scheme) FROM enrollments AS e
         WHERE e.client_id = c.id AND e.deleted = 0 AND e.start_date <= :today
           AND (e.end_date IS NULL OR e.end_date >= :today) AND e.outcome = 'granted')
            AS schemes,
        (SELECT max(v.planned_at) FROM visits AS v
         WHERE v.client_id = c.id AND v.deleted = 0 AND +v.status = '{_DONE}') AS last_at,
        (SELECT min(v.planned_at || '|' || v.purpose) FROM visits AS v
         WHERE v.client_id = c.id AND v.deleted = 0 AND +v.status = '{_PLANNED}')
            AS first_visit,
        (SELECT min({_ACTION_TEXT})
         {_ACTION_ROWS.format(status="+p.status")} AND p.client_id = c.id) AS first_action,
        EXISTS (SELECT 1 FROM intakes AS i
                WHERE i.client_id = c.id AND i.deleted = 0 AND +i.status = '{_RETURNED}')
            AS returned
    FROM clients AS c
    WHERE {{where}}
)"""

_DAYS = """,
terms AS MATERIALIZED (
    SELECT key AS client_id, value AS term FROM json_each(:terms)
),
times AS (
    SELECT base.*, substr(first_visit, 1, instr(first_visit, '|') - 1) AS visit_at, t.term
    FROM base LEFT JOIN terms AS t ON t.client_id = base.id
),
days AS (
    SELECT times.*,
           {last_day} AS last_day,
           {visit_day} AS visit_day,
           substr(first_action, 1, 10) AS action_day,
           substr(term, 1, 10) AS term_day
    FROM times
),
caseload AS (
    SELECT days.*,
           CASE WHEN visit_day IS NULL OR action_day < visit_day THEN action_day
                ELSE visit_day END AS next_day
    FROM days
)
"""

_SELECT = """
SELECT id, bsn, initials, first_names, name_prefix, surname, village, municipality,
       participation_step, schemes, last_day, first_visit, first_action, visit_day,
       action_day, returned, term
FROM caseload
"""

# The expression behind each sort column.
_SORT_SQL: dict[SortColumn, str] = {
    SortColumn.NAME: "sort_key",
    SortColumn.BSN: "substr(bsn, -3)",
    SortColumn.VILLAGE: "village",
    SortColumn.MUNICIPALITY: "municipality",
    SortColumn.SCHEMES: "schemes",
    SortColumn.LADDER_STEP: "participation_step",
    SortColumn.LAST_VISIT: "last_day",
    SortColumn.NEXT_ACTION: "next_day",
    SortColumn.TERM: "term_day",
}


def _order_by(sort: SortColumn, descending: bool) -> str:
    direction = "DESC" if descending else "ASC"
    if sort is SortColumn.NAME:
        return f"sort_key {direction}, id {direction}"
    return f"{_SORT_SQL[sort]} {direction} NULLS LAST, sort_key ASC, id ASC"


def _client_filters(query: CaseloadQuery, params: dict[str, Any]) -> list[str]:
    """The conditions that pick the clients (inside `base`, before any per-client lookup)."""
    conditions = ["c.deleted = 0"]
    match = match_query(query.text)
    if match is not None:
        conditions.append(
            "c.rowid IN (SELECT rowid FROM client_search WHERE client_search MATCH :match)"
        )
        params["match"] = match
    if query.municipality is not None:
        conditions.append("c.municipality = :municipality")
        params["municipality"] = query.municipality
    if query.village is not None:
        conditions.append("c.village = :village")
        params["village"] = query.village
    if query.ladder_step is not None:
        conditions.append("c.participation_step = :ladder_step")
        params["ladder_step"] = query.ladder_step
    if query.scheme is not None:
        conditions.append(
            "EXISTS (SELECT 1 FROM enrollments AS f WHERE f.client_id = c.id "
            "AND f.deleted = 0 AND +f.scheme = :scheme AND f.start_date <= :today "
            "AND (f.end_date IS NULL OR f.end_date >= :today) AND f.outcome = 'granted')"
        )
        params["scheme"] = query.scheme
    if query.visit_overdue:
        # Evaluated once, as a set of client ids: planned before today began, not recorded.
        conditions.append(
            "c.id IN (SELECT client_id FROM visits WHERE deleted = 0 "
            f"AND status = '{_PLANNED}' AND planned_at < :day_start)"
        )
    if query.intake_returned:
        conditions.append(
            f"c.id IN (SELECT client_id FROM intakes WHERE deleted = 0 AND status = '{_RETURNED}')"
        )
    if query.term_due:
        conditions.append(
            "c.id IN (SELECT key FROM json_each(:terms) WHERE substr(value, 1, 10) <= :term_soon)"
        )
    return conditions


def caseload_sql(
    query: CaseloadQuery,
    *,
    today: date,
    zone: tzinfo = ZONE,
    terms: Mapping[str, Clock] | None = None,
) -> tuple[str, dict[str, Any]]:
    """The statement and parameters `caseload_records` runs (exposed for EXPLAIN and benchmarks).
    `terms` is each client's most urgent running statutory clock (`running_terms`)."""
    params: dict[str, Any] = {
        "today": today.isoformat(),
        "day_start": day_start_utc(today, zone),
        "term_soon": (today + timedelta(days=DUE_SOON_DAYS)).isoformat(),
        "terms": json.dumps(
            {
                client_id: f"{clock.due.isoformat()}|{clock.kind.value}|{clock.started.isoformat()}"
                for client_id, clock in (terms or {}).items()
            }
        ),
    }
    client_filters = _client_filters(query, params)
    narrowed = len(client_filters) > 1
    base = (_LOOKUPS if narrowed else _GROUPED).format(where=" AND ".join(client_filters))
    days = _DAYS.format(
        last_day=local_day_sql("last_at", zone=zone, today=today),
        visit_day=local_day_sql("visit_at", zone=zone, today=today),
    )
    sql = f"WITH {base}{days}{_SELECT}ORDER BY {_order_by(query.sort, query.descending)}"
    return sql, params


def caseload_records(
    store: Store, query: CaseloadQuery, *, today: date, zone: tzinfo = ZONE
) -> list[CaseloadRecord]:
    """The clients matching `query`, in its order, in one read transaction. `today` is the day
    (in `zone`) that decides which schemes are current and what is overdue."""
    with store.read_transaction() as conn:
        terms = running_terms(conn, today=today)
        sql, params = caseload_sql(query, today=today, zone=zone, terms=terms)
        return list(map(CaseloadRecord._make, conn.execute(text(sql), params)))


# ------------------------------------------------------------------------ statutory terms

_WMO_MELDING, _WMO_AANVRAAG = WMO_DATES
_PW_AANVRAAG = PW_DATES[1]
_OPEN_INTAKE_DATES = text(
    f"SELECT client_id, {_WMO_MELDING}, {WMO_REPORT_GIVEN}, {_WMO_AANVRAAG}, {_PW_AANVRAAG} "
    f"FROM intakes WHERE deleted = 0 AND status != '{IntakeStatus.APPROVED.value}' "
    f"AND ({_WMO_MELDING} IS NOT NULL OR {_WMO_AANVRAAG} IS NOT NULL "
    f"OR {_PW_AANVRAAG} IS NOT NULL)"
)


@lru_cache(maxsize=4096)
def _running_clocks(
    wmo_melding: str | None,
    wmo_report_given: str | None,
    wmo_aanvraag: str | None,
    pw_aanvraag: str | None,
) -> tuple[Clock, ...]:
    """The clocks of an intake not decided yet, from its stored dates. Called once per clock
    (the other starts None), so the cache holds one entry per start date, not per intake: a
    term's end takes a walk over its days, and 5,000 intakes took a quarter of a second."""
    day = date.fromisoformat
    return intake_clocks(
        wmo_melding=day(wmo_melding) if wmo_melding else None,
        wmo_report_given=day(wmo_report_given) if wmo_report_given else None,
        wmo_aanvraag=day(wmo_aanvraag) if wmo_aanvraag else None,
        pw_aanvraag=day(pw_aanvraag) if pw_aanvraag else None,
        decided=None,
    )


def running_terms(conn: Connection, *, today: date) -> dict[str, Clock]:
    """Per client, the most urgent running statutory clock of its intakes not yet approved (an
    approved intake's clocks have stopped); clients without one are left out."""
    found: dict[str, Clock] = {}
    for client_id, melding, report, aanvraag, pw in conn.execute(_OPEN_INTAKE_DATES):
        clocks: list[Clock] = []
        if melding:
            clocks += _running_clocks(melding, report, None, None)
        if aanvraag:
            clocks += _running_clocks(None, None, aanvraag, None)
        if pw:
            clocks += _running_clocks(None, None, None, pw)
        if client_id in found:  # another intake of the same client
            clocks.append(found[client_id])
        clock = most_urgent(clocks, today)
        if clock is not None:
            found[client_id] = clock
    return found


def present_values(store: Store, *, today: date) -> PresentValues:
    """Municipalities, villages, schemes current on `today` and ladder steps in the caseload."""
    params = {"today": today.isoformat()}
    with store.read_transaction() as conn:

        def strings(sql: str) -> tuple[str, ...]:
            return tuple(str(v) for v in conn.execute(text(sql), params).scalars())

        municipalities = strings(
            "SELECT DISTINCT municipality FROM clients WHERE deleted = 0 ORDER BY 1"
        )
        villages = strings("SELECT DISTINCT village FROM clients WHERE deleted = 0 ORDER BY 1")
        schemes = strings(
            "SELECT DISTINCT e.scheme FROM enrollments AS e "
            "JOIN clients AS c ON c.id = e.client_id AND c.deleted = 0 "
            "WHERE e.deleted = 0 AND e.start_date <= :today "
            "AND (e.end_date IS NULL OR e.end_date >= :today) AND e.outcome = 'granted' "
            "ORDER BY 1"
        )
        steps = tuple(
            int(s)
            for s in conn.execute(
                text(
                    "SELECT DISTINCT participation_step FROM clients "
                    "WHERE deleted = 0 AND participation_step IS NOT NULL ORDER BY 1"
                )
            ).scalars()
        )
    return PresentValues(
        municipalities=municipalities, villages=villages, schemes=schemes, ladder_steps=steps
    )
