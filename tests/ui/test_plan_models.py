"""The Plan tab's item models without any widget: the actions table (edits in place leave as a
signal, never written), the versions list, what changed between versions, and the goals; each
passes Qt's model tester."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from app.domain.plan import (
    ActionOwner,
    ClientPlan,
    PlanAction,
    PlanChange,
    Signature,
    SignatureMethod,
)
from app.domain.states import ActionStatus, PlanStatus
from app.services.plan import PlanVersion
from app.ui.plan.actions_model import ActionTableModel, ChoicesRole, IdRole, status_choices
from app.ui.plan.goals import GoalListModel
from app.ui.plan.versions import (
    ChangeTableModel,
    VersionTableModel,
    value_text,
    version_state,
    version_title,
)

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
EDIT = Qt.ItemDataRole.EditRole


def plan(**changes: Any) -> ClientPlan:
    base = ClientPlan(client_id="c1", caseworker="k.dijkstra", goals=("Werk vinden",))
    return replace(base, **changes)


def actions(plan_id: str = "p1") -> list[PlanAction]:
    return [
        PlanAction("c1", plan_id, "Cv bijwerken", due_date=date(2026, 11, 1), rank=0),
        PlanAction(
            "c1",
            plan_id,
            "Intake schuldhulp",
            owner=ActionOwner.PARTNER,
            partner="Schuldhulp Noord-Groningen",
            rank=1,
        ),
        PlanAction(
            "c1",
            plan_id,
            "Vacatures bespreken",
            owner=ActionOwner.CASEWORKER,
            status=ActionStatus.DONE,
            rank=2,
        ),
    ]


# ------------------------------------------------------------------------------------ actions


def test_the_actions_table_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = ActionTableModel()
    qtmodeltester.check(model)
    model.set_actions(actions(), content_editable=True, status_editable=True, today=TODAY)
    qtmodeltester.check(model)
    model.set_actions(actions()[:1], content_editable=False, status_editable=True, today=TODAY)
    qtmodeltester.check(model)


def test_the_actions_table_says_what_who_when_and_status(qtbot: QtBot) -> None:
    model = ActionTableModel()
    rows = actions()
    model.set_actions(rows, content_editable=True, status_editable=True, today=TODAY)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Wat", "Wie", "Wanneer", "Status"]
    texts = [[model.index(r, c).data() for c in range(4)] for r in range(3)]
    assert texts == [
        ["Cv bijwerken", "Cliënt", "01-11-2026", "Open"],
        ["Intake schuldhulp", "Schuldhulp Noord-Groningen", "", "Open"],
        ["Vacatures bespreken", "Klantmanager", "", "Afgerond"],
    ]
    assert model.index(1, 0).data(IdRole) == rows[1].id
    # An open action past its date is red; a date without a late action is not.
    assert model.index(0, ActionTableModel.DUE).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(1, ActionTableModel.DUE).data(Qt.ItemDataRole.ForegroundRole) is None


def test_an_edit_in_place_leaves_as_a_signal(qtbot: QtBot) -> None:
    model = ActionTableModel()
    rows = actions()
    model.set_actions(rows, content_editable=True, status_editable=True, today=TODAY)
    with qtbot.waitSignal(model.edited) as edited:
        assert model.setData(model.index(0, ActionTableModel.DESCRIPTION), "  Cv afmaken ")
    assert edited.args == [rows[0].id, {"description": "Cv afmaken"}]
    assert model.index(0, 0).data() == "Cv afmaken"
    # Nothing, or the same words, or an empty text, is no edit.
    assert not model.setData(model.index(0, ActionTableModel.DESCRIPTION), "Cv afmaken")
    assert not model.setData(model.index(0, ActionTableModel.DESCRIPTION), "   ")
    # Who and when are not edited in place.
    assert not model.flags(model.index(0, ActionTableModel.OWNER)) & Qt.ItemFlag.ItemIsEditable
    status = model.index(0, ActionTableModel.STATUS)
    assert [v for _t, v in status.data(ChoicesRole)] == [
        "open",
        "in_progress",
        "done",
        "cancelled",
    ]
    with qtbot.waitSignal(model.edited) as edited:
        assert model.setData(status, "in_progress", EDIT)
    assert edited.args == [rows[0].id, {"status": "in_progress"}]
    # A finished action keeps its status; an unknown one is refused.
    done = model.index(2, ActionTableModel.STATUS)
    assert not model.flags(done) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(done, "open", EDIT)
    assert not model.setData(status, "nonsense", EDIT)


def test_the_active_plan_changes_only_statuses() -> None:
    model = ActionTableModel()
    model.set_actions(actions(), content_editable=False, status_editable=True, today=TODAY)
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, ActionTableModel.STATUS)) & Qt.ItemFlag.ItemIsEditable
    model.set_actions(actions(), content_editable=False, status_editable=False, today=TODAY)
    assert not model.flags(model.index(0, ActionTableModel.STATUS)) & Qt.ItemFlag.ItemIsEditable


def test_the_same_actions_again_keep_their_rows(qtbot: QtBot) -> None:
    model = ActionTableModel()
    rows = actions()
    model.set_actions(rows, content_editable=True, status_editable=True, today=TODAY)
    resets: list[bool] = []
    changed: list[int] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top.row()))
    started = [rows[0], replace(rows[1], status=ActionStatus.IN_PROGRESS), rows[2]]
    model.set_actions(started, content_editable=True, status_editable=True, today=TODAY)
    assert resets == [] and changed == [1]
    assert model.index(1, ActionTableModel.STATUS).data() == "Bezig"
    model.set_actions(rows[::-1], content_editable=True, status_editable=True, today=TODAY)
    assert resets == [True]
    assert model.row_of(rows[2].id) == 0


def test_status_choices_follow_the_state_machine() -> None:
    assert [v for _t, v in status_choices(ActionStatus.DONE)] == ["done"]
    assert [t for t, _v in status_choices(ActionStatus.IN_PROGRESS)][0] == "Bezig"


# ----------------------------------------------------------------------------------- versions


def _signature(method: SignatureMethod = SignatureMethod.PAPER, **extra: Any) -> Signature:
    return Signature("Jan de Vries", method, NOW, paper_date=date(2026, 11, 20), **extra)


def test_the_versions_list_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = VersionTableModel()
    qtmodeltester.check(model)
    first = plan(
        id="p1",
        status=PlanStatus.CLOSED,
        activated_at=datetime(2025, 10, 12, 9, tzinfo=UTC),
        closed_at=datetime(2026, 10, 12, 9, tzinfo=UTC),
    )
    second = plan(
        id="p2",
        revision=2,
        previous_id="p1",
        status=PlanStatus.ACTIVE,
        activated_at=datetime(2026, 10, 12, 9, tzinfo=UTC),
        next_evaluation=date(2027, 10, 12),
    )
    third = plan(id="p3", revision=3, previous_id="p2")
    model.set_versions([PlanVersion(first, ()), PlanVersion(second, ()), PlanVersion(third, ())])
    qtmodeltester.check(model)
    rows = [[model.index(r, c).data() for c in range(3)] for r in range(3)]
    assert rows == [
        ["Versie 3", "concept", ""],
        ["Versie 2", "actief", "sinds 12-10-2026"],
        ["Versie 1", "afgesloten", "12-10-2025 – 12-10-2026"],
    ]
    assert model.row_of("p1") == 2 and model.version_at(0) is not None


def test_a_version_says_where_it_stands() -> None:
    draft = plan()
    assert version_title(plan(revision=2)) == "Versie 2"
    assert version_state(draft) == "concept"
    signed = plan(caseworker_signature=_signature())
    assert version_state(signed) == "ondertekend door de klantmanager; wacht op de cliënt"
    refused = plan(
        client_signature=Signature(
            "Jan de Vries", SignatureMethod.REFUSED, NOW, reason="Wil eerst overleggen"
        )
    )
    assert version_state(refused) == "de cliënt tekent niet; wacht op de klantmanager"
    active = plan(
        status=PlanStatus.ACTIVE,
        activated_at=datetime(2026, 10, 12, 9, tzinfo=UTC),
        next_evaluation=date(2027, 10, 12),
    )
    assert version_state(active) == "actief sinds 12-10-2026, evaluatie op 12-10-2027"
    closed = plan(status=PlanStatus.CLOSED, closed_at=datetime(2026, 12, 3, 9, tzinfo=UTC))
    assert version_state(closed) == "afgesloten op 03-12-2026"


def test_the_changes_list_passes_the_model_tester_and_speaks_in_words(
    qtmodeltester: Any,
) -> None:
    model = ChangeTableModel()
    qtmodeltester.check(model)
    changes = [
        PlanChange("field", "own_words", "Werk", "Werk in de zorg"),
        PlanChange("field", "single_parent_exemption", False, True),
        PlanChange("field", "next_evaluation", None, "2027-05-01"),
        PlanChange("field", "obligations", [], ["werk_verkrijgen"]),
        PlanChange(
            "action_added",
            "Cv bijwerken",
            None,
            {"owner": "client", "partner": "", "due_date": "2026-12-15", "description": "x"},
        ),
        PlanChange(
            "action_changed",
            "Intake schuldhulp",
            {"owner": "client", "partner": "", "due_date": None, "description": "y"},
            {"owner": "partner", "partner": "Schuldhulp", "due_date": None, "description": "y"},
        ),
        PlanChange(
            "action_removed",
            "Taalles",
            {"owner": "caseworker", "partner": "", "due_date": None, "description": "z"},
            None,
        ),
    ]
    model.set_changes(changes)
    qtmodeltester.check(model)
    rows = [
        [model.index(r, c).data(Qt.ItemDataRole.ToolTipRole) for c in range(3)] for r in range(7)
    ]
    assert rows[0] == ["Wat wil ik zelf", "Werk", "Werk in de zorg"]
    assert rows[1] == ["Vrijstelling alleenstaande ouder (art. 9a)", "Nee", "Ja"]
    assert rows[2] == ["Volgende evaluatie", "—", "01-05-2027"]
    assert rows[3][2].startswith("• Naar vermogen algemeen geaccepteerde arbeid")
    assert rows[4] == ["Actie toegevoegd: Cv bijwerken", "—", "Cliënt · 15-12-2026"]
    assert rows[5] == [
        "Actie gewijzigd: Intake schuldhulp",
        "Wie: Cliënt",
        "Wie: Schuldhulp",
    ]
    assert rows[6] == ["Actie vervallen: Taalles", "Klantmanager", "—"]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Wat",
        "Was",
        "Nu",
    ]


def test_values_are_written_as_the_screens_write_them() -> None:
    assert value_text("service_layer", "leefbaarheid") == "Leefbaarheid"
    assert value_text("goals", ["A", "B"]) == "• A\n• B"
    assert value_text("support_offered", "") == "—"


# -------------------------------------------------------------------------------------- goals


def test_the_goals_pass_the_model_tester_and_drop_empty_lines(
    qtmodeltester: Any, qtbot: QtBot
) -> None:
    model = GoalListModel()
    qtmodeltester.check(model)
    model.set_goals(["Werk vinden", "Schulden regelen"])
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0), "Iets anders")
    model.set_editable(True)
    qtmodeltester.check(model)
    index = model.append_empty()
    assert index.row() == 2 and model.goals() == ("Werk vinden", "Schulden regelen")
    with qtbot.waitSignal(model.edited):
        assert model.setData(index, "  Taal   leren ")
    assert model.goals() == ("Werk vinden", "Schulden regelen", "Taal leren")
    model.append_empty()
    model.drop_empty()
    assert model.rowCount() == 3
    with qtbot.waitSignal(model.edited):
        model.remove(0)
    assert model.goals() == ("Schulden regelen", "Taal leren")
    assert model.rowCount(model.index(0)) == 0 and model.rowCount(QModelIndex()) == 2
