"""The council figures of one team, as the team lead's overview receives them (GET
/v1/team/figures): the same tables and the same disclosure control as the council report, for
the clients currently assigned to the team's caseworkers, this half year (so far) beside the
last one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.domain.local_time import ZONE
from server.council.report import team_figures
from server.models import Team

__all__ = ["team_council_figures"]

# What the lead's screen has no use for: the limitations are the report's own words.
LEFT_OUT = frozenset({"limitations"})


def team_council_figures(session: Session, team: Team, *, now: datetime) -> dict[str, Any]:
    report = team_figures(
        session,
        team_id=team.id,
        team_name=team.name,
        as_of=now.astimezone(ZONE).date(),
        now=now,
    )
    return {
        "period": report.period.label,
        "previous_period": report.previous.label,
        "counted_until": report.as_of,
        "figures": [
            {
                "name": table.name,
                "columns": list(table.columns),
                "rows": [list(row) for row in table.rows],
                "counts": table.counts,
                "withheld": table.withheld,
            }
            for table in report.tables
            if table.name not in LEFT_OUT
        ],
    }
