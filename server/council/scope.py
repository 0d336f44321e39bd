"""Whose clients a set of figures counts, and over which days.

The council report groups the clients of Het Hogeland by their former municipality (their
village's, in reference data); a team lead's overview takes the clients currently assigned to the
team's caseworkers as one group. Either way a client counts once, in one group, by their address
of today, also for the previous period.

A window is a period as far as it has gone: a period still running on the report day is counted
up to and including that day (the peildatum).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, literal, select

from server.council.areas import REGION, areas
from server.council.periods import Period, iso_instant, local_midnight
from server.models import Assignment, TeamMember, Village, clients

__all__ = ["Scope", "Window", "client_groups"]


@dataclass(frozen=True, slots=True)
class Scope:
    groups: tuple[str, ...]  # the former municipalities, or the team's name
    total: str | None  # the group that sums them ("Het Hogeland"), if any
    team_id: int | None = None  # None: the areas of Het Hogeland

    @classmethod
    def council(cls) -> Scope:
        return cls(areas(), REGION)

    @classmethod
    def team(cls, team_id: int, name: str) -> Scope:
        return cls((name,), None, team_id)

    @property
    def labels(self) -> tuple[str, ...]:
        return (*self.groups, self.total) if self.total is not None else self.groups

    @property
    def whole(self) -> str:
        """The group that stands for everyone: the total, or the one group there is."""
        return self.total if self.total is not None else self.groups[0]


@dataclass(frozen=True, slots=True)
class Window:
    period: Period
    first: date
    last: date  # the period's last day, or the report day while the period runs

    @classmethod
    def of(cls, period: Period, as_of: date) -> Window:
        return cls(period, period.first, min(period.last, as_of))

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def complete(self) -> bool:
        return self.last == self.period.last

    @property
    def start(self) -> datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> datetime:
        """The first instant after the window."""
        return local_midnight(self.last + timedelta(days=1))

    @property
    def start_text(self) -> str:
        # Stored moments are UTC ISO strings; comparing strings of one form compares instants.
        return iso_instant(self.start)

    @property
    def end_text(self) -> str:
        return iso_instant(self.end)

    def holds(self, day: date | None) -> bool:
        return day is not None and self.first <= day <= self.last


def client_groups(scope: Scope) -> Select[Any]:
    """(client_id, grp) of every client the figures count."""
    if scope.team_id is None:
        return (
            select(clients.c.id.label("client_id"), Village.municipality.label("grp"))
            .join(Village, Village.name == clients.c.village)
            .where(clients.c.deleted.is_(False), Village.current_municipality == REGION)
        )
    return (
        select(clients.c.id.label("client_id"), literal(scope.groups[0]).label("grp"))
        .join(Assignment, Assignment.client_id == clients.c.id)
        .join(TeamMember, TeamMember.user_id == Assignment.caseworker_id)
        .where(
            clients.c.deleted.is_(False),
            Assignment.ended_at.is_(None),
            TeamMember.team_id == scope.team_id,
        )
    )
