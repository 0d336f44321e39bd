"""Status values and their allowed transitions, as data that both client and server check.

Enum values are the stable snake_case values we store and send; labels are for people and may
change. A transition that is not in a machine's table is refused, including staying in the same
status, so every change of status is a deliberate step (SYNC.md rule 6: status changes are
commands validated on the server, not free field edits).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Generic, TypeVar

from app.domain.errors import TransitionError

__all__ = [
    "ACTION",
    "INTAKE",
    "PLAN",
    "VISIT",
    "ActionStatus",
    "IntakeStatus",
    "LabelledStatus",
    "PlanStatus",
    "StateMachine",
    "VisitStatus",
]


class LabelledStatus(StrEnum):
    """Base of the status enums; each subclass registers its labels in `_LABELS` below it."""

    def label(self, language: str = "nl") -> str:
        # Same language rule as VeldwerkError.message, so one setting drives both.
        label_nl, label_en = _LABELS[type(self)][self]
        return label_nl if language.startswith("nl") else label_en


# Labels per enum class, because members of different status enums with the same value ("draft",
# "done") are equal strings and would collide as keys of one shared dict. Labels live outside the
# members so that `.value` and `IntakeStatus("draft")` stay plain str for mypy.
_LABELS: dict[type[LabelledStatus], Mapping[LabelledStatus, tuple[str, str]]] = {}


class IntakeStatus(LabelledStatus):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


_LABELS[IntakeStatus] = {
    IntakeStatus.DRAFT: ("concept", "draft"),
    IntakeStatus.SUBMITTED: ("ingediend", "submitted"),
    IntakeStatus.APPROVED: ("goedgekeurd", "approved"),
    IntakeStatus.RETURNED: ("teruggestuurd", "returned"),
}


class PlanStatus(LabelledStatus):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


_LABELS[PlanStatus] = {
    PlanStatus.DRAFT: ("concept", "draft"),
    PlanStatus.ACTIVE: ("actief", "active"),
    PlanStatus.CLOSED: ("afgesloten", "closed"),
}


class VisitStatus(LabelledStatus):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"
    NOT_HOME = "not_home"


_LABELS[VisitStatus] = {
    VisitStatus.PLANNED: ("gepland", "planned"),
    VisitStatus.DONE: ("afgerond", "done"),
    VisitStatus.CANCELLED: ("geannuleerd", "cancelled"),
    VisitStatus.NOT_HOME: ("cliënt niet thuis", "client not at home"),
}


class ActionStatus(LabelledStatus):
    """Status of one action in a client plan."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


_LABELS[ActionStatus] = {
    ActionStatus.OPEN: ("open", "open"),
    ActionStatus.IN_PROGRESS: ("bezig", "in progress"),
    ActionStatus.DONE: ("afgerond", "done"),
    ActionStatus.CANCELLED: ("vervallen", "cancelled"),
}


def _check_labels() -> None:
    # A member without labels must fail at import, not when a caseworker opens a screen.
    for enum, labels in _LABELS.items():
        if set(labels) != set(enum) or not all(all(pair) for pair in labels.values()):
            raise RuntimeError(f"labels of {enum.__name__} do not match its members")


_check_labels()


S = TypeVar("S", bound=LabelledStatus)


class StateMachine(Generic[S]):
    """The allowed transitions between the members of one status enum.

    `name` is the stable prefix of error codes; `subject_nl`/`subject_en` start the messages
    ("Een intake", "An intake"). States without an entry in `transitions` are final.
    """

    def __init__(
        self,
        states: type[S],
        *,
        name: str,
        subject_nl: str,
        subject_en: str,
        transitions: Mapping[S, frozenset[S]],
    ) -> None:
        # Checked here so that a typo in a table fails at import, not at a caseworker's desk.
        for from_state, targets in transitions.items():
            for state in (from_state, *targets):
                if not isinstance(state, states):
                    raise TypeError(f"{name}: {state!r} is not a {states.__name__}")
        self.states = states
        self.name = name
        self.subject_nl = subject_nl
        self.subject_en = subject_en
        self.transitions: Mapping[S, frozenset[S]] = MappingProxyType(dict(transitions))

    def __repr__(self) -> str:
        return f"StateMachine({self.states.__name__}, name={self.name!r})"

    def allowed(self, from_state: S) -> frozenset[S]:
        """The states that `from_state` may move to; empty for a final state."""
        return self.transitions.get(from_state, frozenset())

    def can(self, from_state: S, to_state: S) -> bool:
        return to_state in self.allowed(from_state)

    def check(self, from_state: S, to_state: S) -> S:
        """Return `to_state` if the transition is allowed, else raise `TransitionError`."""
        if self.can(from_state, to_state):
            return to_state
        raise TransitionError(
            f"{self.name}_transition_not_allowed",
            f"{self.subject_nl} met status '{from_state.label('nl')}' "
            f"kan niet naar '{to_state.label('nl')}'.",
            f"{self.subject_en} with status '{from_state.label('en')}' "
            f"cannot move to '{to_state.label('en')}'.",
        )


INTAKE: StateMachine[IntakeStatus] = StateMachine(
    IntakeStatus,
    name="intake",
    subject_nl="Een intake",
    subject_en="An intake",
    transitions={
        IntakeStatus.DRAFT: frozenset({IntakeStatus.SUBMITTED}),
        IntakeStatus.SUBMITTED: frozenset({IntakeStatus.APPROVED, IntakeStatus.RETURNED}),
        IntakeStatus.RETURNED: frozenset({IntakeStatus.SUBMITTED}),
    },
)

PLAN: StateMachine[PlanStatus] = StateMachine(
    PlanStatus,
    name="plan",
    subject_nl="Een plan",
    subject_en="A plan",
    transitions={
        PlanStatus.DRAFT: frozenset({PlanStatus.ACTIVE, PlanStatus.CLOSED}),
        PlanStatus.ACTIVE: frozenset({PlanStatus.CLOSED}),
    },
)

VISIT: StateMachine[VisitStatus] = StateMachine(
    VisitStatus,
    name="visit",
    subject_nl="Een huisbezoek",
    subject_en="A visit",
    transitions={
        VisitStatus.PLANNED: frozenset(
            {VisitStatus.DONE, VisitStatus.CANCELLED, VisitStatus.NOT_HOME}
        ),
    },
)

ACTION: StateMachine[ActionStatus] = StateMachine(
    ActionStatus,
    name="action",
    subject_nl="Een actie",
    subject_en="An action",
    transitions={
        ActionStatus.OPEN: frozenset(
            {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED}
        ),
        ActionStatus.IN_PROGRESS: frozenset(
            {ActionStatus.DONE, ActionStatus.CANCELLED, ActionStatus.OPEN}
        ),
    },
)
