from __future__ import annotations

from itertools import product
from typing import Any

import pytest

from app.domain.errors import DomainError, TransitionError
from app.domain.states import (
    ACTION,
    INTAKE,
    PLAN,
    VISIT,
    ActionStatus,
    IntakeStatus,
    LabelledStatus,
    PlanStatus,
    StateMachine,
    VisitStatus,
)

# The tables as the brief states them, written out again so that a slip in either copy shows.
EXPECTED: dict[str, tuple[StateMachine[Any], set[tuple[str, str]]]] = {
    "intake": (
        INTAKE,
        {
            ("draft", "submitted"),
            ("submitted", "approved"),
            ("submitted", "returned"),
            ("returned", "submitted"),
        },
    ),
    "plan": (
        PLAN,
        {("draft", "active"), ("draft", "closed"), ("active", "closed")},
    ),
    "visit": (
        VISIT,
        {("planned", "done"), ("planned", "cancelled"), ("planned", "not_home")},
    ),
    "action": (
        ACTION,
        {
            ("open", "in_progress"),
            ("open", "done"),
            ("open", "cancelled"),
            ("in_progress", "done"),
            ("in_progress", "cancelled"),
            ("in_progress", "open"),
        },
    ),
}


def _members(machine: StateMachine[Any]) -> list[LabelledStatus]:
    states: type[LabelledStatus] = machine.states
    return list(states)


ALL_PAIRS = [
    pytest.param(name, a, b, id=f"{name}:{a.value}->{b.value}")
    for name, (machine, _) in EXPECTED.items()
    for a, b in product(_members(machine), repeat=2)
]
ENUMS: list[type[LabelledStatus]] = [IntakeStatus, PlanStatus, VisitStatus, ActionStatus]
ALL_MEMBERS = [pytest.param(member, id=repr(member)) for enum in ENUMS for member in enum]


@pytest.mark.parametrize(("name", "from_state", "to_state"), ALL_PAIRS)
def test_transition_follows_the_table(
    name: str, from_state: LabelledStatus, to_state: LabelledStatus
) -> None:
    machine, allowed = EXPECTED[name]
    if (from_state.value, to_state.value) in allowed:
        assert machine.can(from_state, to_state)
        assert to_state in machine.allowed(from_state)
        assert machine.check(from_state, to_state) is to_state
        return
    assert not machine.can(from_state, to_state)
    assert to_state not in machine.allowed(from_state)
    with pytest.raises(TransitionError) as caught:
        machine.check(from_state, to_state)
    error = caught.value
    assert isinstance(error, DomainError)
    assert error.code == f"{name}_transition_not_allowed"
    assert error.message_nl.strip() and error.message_en.strip()
    assert f"'{from_state.label('nl')}'" in error.message_nl
    assert f"'{to_state.label('nl')}'" in error.message_nl
    assert f"'{from_state.label('en')}'" in error.message_en
    assert f"'{to_state.label('en')}'" in error.message_en
    assert error.message("nl") == error.message_nl
    assert error.message("en") == error.message_en


@pytest.mark.parametrize("name", list(EXPECTED))
def test_no_same_state_transitions(name: str) -> None:
    machine, allowed = EXPECTED[name]
    assert all(a != b for a, b in allowed)
    for state in _members(machine):
        assert not machine.can(state, state)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_machine_name_and_table(name: str) -> None:
    machine, allowed = EXPECTED[name]
    assert machine.name == name
    table = {(a.value, b.value) for a, targets in machine.transitions.items() for b in targets}
    assert table == allowed


@pytest.mark.parametrize("member", ALL_MEMBERS)
def test_labels_exist_in_both_languages(member: LabelledStatus) -> None:
    assert member.label("nl").strip()
    assert member.label("en").strip()
    assert member.label() == member.label("nl")
    assert member.label("nl_NL") == member.label("nl")
    assert member.label("en_GB") == member.label("en")


@pytest.mark.parametrize("enum", ENUMS)
def test_values_are_stable_snake_case_strings(enum: type[LabelledStatus]) -> None:
    for member in enum:
        assert member.value == member.name.lower()
        assert member == member.value and str(member) == member.value
        assert enum(member.value) is member
    assert len({m.label("nl") for m in enum}) == len(enum)
    assert len({m.label("en") for m in enum}) == len(enum)


def test_example_messages() -> None:
    with pytest.raises(TransitionError) as caught:
        INTAKE.check(IntakeStatus.APPROVED, IntakeStatus.SUBMITTED)
    assert caught.value.code == "intake_transition_not_allowed"
    assert (
        caught.value.message_nl == "Een intake met status 'goedgekeurd' kan niet naar 'ingediend'."
    )
    assert caught.value.message_en == "An intake with status 'approved' cannot move to 'submitted'."


def test_some_labels() -> None:
    assert VisitStatus.NOT_HOME.label() == "cliënt niet thuis"
    assert ActionStatus.CANCELLED.label("nl") == "vervallen"
    assert ActionStatus.IN_PROGRESS.label("en") == "in progress"
    assert PlanStatus.CLOSED.label() == "afgesloten"


def test_final_states_allow_nothing() -> None:
    assert INTAKE.allowed(IntakeStatus.APPROVED) == frozenset()
    assert PLAN.allowed(PlanStatus.CLOSED) == frozenset()
    for state in (VisitStatus.DONE, VisitStatus.CANCELLED, VisitStatus.NOT_HOME):
        assert VISIT.allowed(state) == frozenset()
    assert ACTION.allowed(ActionStatus.DONE) == frozenset()


def test_table_with_a_foreign_state_is_refused() -> None:
    with pytest.raises(TypeError):
        StateMachine[IntakeStatus](
            IntakeStatus,
            name="intake",
            subject_nl="Een intake",
            subject_en="An intake",
            transitions={IntakeStatus.DRAFT: frozenset({PlanStatus.ACTIVE})},  # type: ignore[arg-type]
        )


def test_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        INTAKE.transitions[IntakeStatus.APPROVED] = frozenset()  # type: ignore[index]
