"""Team verbs (Team, for team leads): the overview per caseworker and the late edits of the
team's clients, both fetched from the central office server, and marking a late edit handled.

    team.load_team_overview(parent=self, session=s).success(self._on_overview_loaded).run()
    team.mark_orphan_handled(parent=self, session=s, change=item).success(self._on_marked).run()

All three run on the network lane and need the server: without a connection they fail with the
transport's error (code "server_unreachable"). Marking publishes `TEAM` on the change bus, so the
Team screen reads the overview and the list again; so does a sync round (`SYNC`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.domain.changes import SYNC, Changes
from app.services import team as service
from app.services.team import OrphanedChange, TeamOverview
from app.ui.operations.op import Op, QueryOp, Task
from app.ui.session import Session

__all__ = [
    "TEAM",
    "TEAM_TOPICS",
    "load_orphans",
    "load_team_overview",
    "mark_orphan_handled",
]

# A topic that is no record kind of this device: what the central office holds about the team.
TEAM = "team"
# What the Team screen shows changes when a late edit is marked, or after a sync round.
TEAM_TOPICS: tuple[str, ...] = (TEAM, SYNC)


def load_team_overview(*, parent: QWidget, session: Session) -> QueryOp[TeamOverview]:
    """The figures per caseworker of the team this user leads, from the server."""
    store = session.store

    def work(task: Task) -> TeamOverview:
        return service.team_overview(store, cancel=task.cancel_event)

    return QueryOp(
        parent=parent, context=session, work=work, name="load_team_overview", network=True
    )


def load_orphans(
    *, parent: QWidget, session: Session, language: str
) -> QueryOp[tuple[OrphanedChange, ...]]:
    """The late edits of the team's clients (unhandled first), with captions in `language`."""
    store = session.store

    def work(task: Task) -> tuple[OrphanedChange, ...]:
        return service.orphaned_changes(store, language=language, cancel=task.cancel_event)

    return QueryOp(parent=parent, context=session, work=work, name="load_orphans", network=True)


def mark_orphan_handled(*, parent: QWidget, session: Session, change: OrphanedChange) -> Op[None]:
    """Mark a late edit as dealt with on the server (audited there with this user's name)."""
    store = session.store

    def work(task: Task) -> None:
        service.mark_orphan_handled(store, change_id=change.id, cancel=task.cancel_event)

    return Op(
        parent=parent,
        context=session,
        work=work,
        changes=Changes.for_clients({TEAM}, [change.client_id]),
        name="mark_orphan_handled",
        network=True,
    )
