"""What the team lead's Beoordelen queue reads: the submitted intakes on this device with their
clients' names and villages, and how many threads of each are open, in one read transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from app.domain.intake import Intake
from app.domain.review import ThreadStatus
from app.domain.states import IntakeStatus
from app.domain.values import PersonName
from app.storage.store import Store
from app.storage.tables import NOT_FIELDS, clients, intakes, review_comments

__all__ = ["QueuedIntake", "queued_intakes"]


@dataclass(frozen=True, slots=True)
class QueuedIntake:
    intake: Intake
    name: PersonName
    village: str
    open_threads: int


def _open_threads(conn: Connection, intake_ids: list[str]) -> dict[str, int]:
    query = (
        select(review_comments.c.intake_id, func.count())
        .where(
            review_comments.c.intake_id.in_(intake_ids),
            review_comments.c.thread_id == review_comments.c.id,
            review_comments.c.status == ThreadStatus.OPEN.value,
            review_comments.c.deleted.is_(False),
        )
        .group_by(review_comments.c.intake_id)
    )
    return {str(intake_id): int(count) for intake_id, count in conn.execute(query)}


def queued_intakes(store: Store) -> tuple[QueuedIntake, ...]:
    """Every submitted intake here, oldest submission first. A team lead's device holds only
    what waits for review in their team (the server's scope), so this is their queue."""
    query = (
        select(
            intakes,
            clients.c.initials.label("c_initials"),
            clients.c.first_names.label("c_first_names"),
            clients.c.name_prefix.label("c_name_prefix"),
            clients.c.surname.label("c_surname"),
            clients.c.village.label("c_village"),
        )
        .join(clients, clients.c.id == intakes.c.client_id)
        .where(
            intakes.c.status == IntakeStatus.SUBMITTED.value,
            intakes.c.deleted.is_(False),
            clients.c.deleted.is_(False),
        )
        .order_by(intakes.c.submitted_at, intakes.c.id)
    )
    with store.read_transaction() as conn:
        rows = conn.execute(query).all()
        open_counts = _open_threads(conn, [str(row.id) for row in rows])
    found = []
    for row in rows:
        mapping = row._mapping
        fields = {
            k: v for k, v in mapping.items() if k not in NOT_FIELDS and not k.startswith("c_")
        }
        found.append(
            QueuedIntake(
                intake=Intake.from_fields(str(row.id), fields),
                name=PersonName(
                    initials=mapping["c_initials"] or "",
                    first_names=mapping["c_first_names"] or "",
                    prefix=mapping["c_name_prefix"] or "",
                    surname=mapping["c_surname"],
                ),
                village=str(mapping["c_village"]),
                open_threads=open_counts.get(str(row.id), 0),
            )
        )
    return tuple(found)
