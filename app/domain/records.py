"""The syncable record types by entity name: what storage, sync and the server iterate over."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, Self

from app.domain.client import Client, Enrollment, HouseholdMember
from app.domain.fields import Fields
from app.domain.intake import Intake
from app.domain.notes import Attachment, Note
from app.domain.plan import ClientPlan, PlanAction
from app.domain.review import IntakeRound, ReviewComment
from app.domain.visit import Visit


class Record(Protocol):
    ENTITY: ClassVar[str]

    @property
    def id(self) -> str: ...

    @property
    def client_id(self) -> str: ...

    def to_fields(self) -> Fields: ...

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self: ...


# Parents before children: the order records are created, pushed and pulled in.
RECORD_TYPES: tuple[type[Record], ...] = (
    Client,
    HouseholdMember,
    Enrollment,
    Visit,
    Intake,
    IntakeRound,
    ReviewComment,
    ClientPlan,
    PlanAction,
    Note,
    Attachment,
)

BY_ENTITY: dict[str, type[Record]] = {t.ENTITY: t for t in RECORD_TYPES}
