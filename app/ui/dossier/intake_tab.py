"""Intake: the brede intake of the client, saved as it is typed, and the pictures beside it.

On top, where the intake stands ("Concept", "Ingediend op 02-12-2026 — wacht op beoordeling",
"Teruggestuurd door t.mulder op 03-12-2026 — 2 open opmerkingen", "Goedgekeurd door ..."), its
round, the small "Opgeslagen", and the two things to do: "Intake starten" (when there is none, or
the last one was approved) and "Indienen". Indienen first saves what is being typed and reads the
intake again; while answers are missing it lists them, by section, each a way to the field.
A submitted or approved intake is read-only.

Beside the form (under it when the tab is narrow): the self-sufficiency radar of this intake with
the previous approved one as an outline, the ladder step and the mean score over the client's
intakes, and the rounds of this intake with what the team lead decided.

Everything is read and written through app.ui.operations.intake; the tab redraws from the change
bus when the intake, its comments or its rounds change (here, or in a sync round).

For a Wmo client, "Wmo-verslag…" shows the written report of the Wmo onderzoek (built in memory,
once the Wmo part has an answer) in a preview whose "Afdrukken…" prints it, audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import date_text, moment_text
from app.domain.intake import Intake
from app.domain.intake_fields import IntakeSection, section_of
from app.domain.reference import Scheme, ladder_label, self_sufficiency_domains
from app.domain.review import Decision, IntakeRound, ReviewComment
from app.domain.schema import field_label
from app.domain.states import IntakeStatus
from app.services.documents import has_wmo_answers
from app.services.intake import IntakeView
from app.ui.intake.form import IntakeForm
from app.ui.intake.radar_chart import RadarChart
from app.ui.intake.threads import set_caption
from app.ui.intake.trend_chart import TrendChart
from app.ui.messages import ui_language
from app.ui.operations import documents as document_ops
from app.ui.operations import intake as ops
from app.ui.operations.bus import RedrawOnChange
from app.ui.operations.documents import ReportPdf
from app.ui.operations.op import show_failure
from app.ui.plan import printing
from app.ui.plan.pdf_preview import PdfPreviewDialog
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import (
    ActionButton,
    ListPane,
    SavedHint,
    ScreenAction,
    fit_columns,
    key_text,
    record_table,
    restore_focus,
    sentence_or_split,
)

__all__ = ["IntakeTab", "RoundTableModel"]

# What the tab shows; a change to any of these redraws it.
TOPICS = (Intake.ENTITY, ReviewComment.ENTITY, IntakeRound.ENTITY)
# From this width on, the pictures stand beside the form rather than under it.
SIDE_BY_SIDE_WIDTH = 1000
FieldRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole


class RoundTableModel(QAbstractTableModel):
    """The rounds of one intake: number, submitted, decision, reviewer, decided."""

    NUMBER, SUBMITTED, DECISION, REVIEWER, DECIDED = range(5)
    COLUMN_COUNT = 5
    STRETCH = DECISION

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[IntakeRound] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(self._rows[index.row()], index.column())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("Ronde"),
                self.tr("Ingediend op"),
                self.tr("Besluit"),
                self.tr("Beoordelaar"),
                self.tr("Besloten op"),
            )[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def set_rounds(self, rounds: Sequence[IntakeRound]) -> None:
        rows = sorted(rounds, key=lambda r: r.number)
        if rows == self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rounds(self) -> tuple[IntakeRound, ...]:
        return tuple(self._rows)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1)
            )

    def _text(self, row: IntakeRound, column: int) -> str:
        if column == self.NUMBER:
            return str(row.number)
        if column == self.SUBMITTED:
            return moment_text(row.submitted_at)
        if column == self.DECISION:
            if row.decision is Decision.APPROVED:
                return self.tr("Goedgekeurd")
            if row.decision is Decision.RETURNED:
                return self.tr("Teruggestuurd")
            return self.tr("Wacht op beoordeling")
        if column == self.REVIEWER:
            return row.reviewer or ""
        return moment_text(row.decided_at)


class IntakeTab(QWidget):
    """The Intake tab of a dossier (see the module note)."""

    loaded = Signal(str)  # the intake of this client id is on screen

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeTab")
        self._session = session
        self._client_id: str | None = None
        self._view: IntakeView | None = None
        self._load_on_show = False
        self._checking = False  # Indienen: reading the intake before submitting
        self._focus_first = False  # an intake was just started: into its first field
        self._saving = 0
        self._split_done = False  # the splitter was divided for its orientation
        self._reporting = False  # the Wmo report is being built or printed
        self.preview_dialog: PdfPreviewDialog | None = None

        self._make_actions()
        self.form = IntakeForm()
        self.form.answerChanged.connect(self._on_form_answer_changed)
        self.form.commentSubmitted.connect(self._on_form_comment_submitted)
        self.form.resolveRequested.connect(self._on_form_resolve_requested)
        self.form.reopenRequested.connect(self._on_form_reopen_requested)
        self.stack = self._body()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self._top_bar())
        layout.addWidget(self._missing_panel())
        layout.addWidget(self.stack, 1)

        self.redraw = RedrawOnChange(self, session.bus, topics=TOPICS, redraw=self._reload)
        self._retranslate()
        self._show_view()

    # ------------------------------------------------------------------------------ building

    def _make_actions(self) -> None:
        self.start_action = ScreenAction(
            self, self._on_start_triggered, shortcut="Ctrl+N", object_name="startIntakeAction"
        )
        self.submit_action = ScreenAction(
            self, self._on_submit_triggered, shortcut="Ctrl+Shift+I", object_name="submitIntake"
        )
        self.wmo_report_action = ScreenAction(
            self, self._on_wmo_report_triggered, shortcut="Ctrl+Shift+W", object_name="wmoReport"
        )
        self.start_button = ActionButton(self.start_action, "startIntake")
        self.wmo_report_button = ActionButton(self.wmo_report_action, "wmoReportButton")
        self.submit_button = ActionButton(self.submit_action, "primary")

    def _body(self) -> QStackedWidget:
        """A sentence while there is no intake; else the form with the pictures beside it."""
        stack, self.empty_label, self.splitter = sentence_or_split(
            self.form, self._side(), stretch=(3, 2)
        )
        return stack

    def _top_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("intakeBar")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, 0)
        layout.setSpacing(SPACING)
        self.status_label = QLabel()
        self.status_label.setObjectName("intakeStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.round_label = QLabel()
        self.round_label.setObjectName("muted")
        self.saved_hint = SavedHint()
        layout.addWidget(self.status_label, 1)
        layout.addWidget(self.round_label)
        layout.addWidget(self.saved_hint)
        layout.addWidget(self.wmo_report_button)
        layout.addWidget(self.start_button)
        layout.addWidget(self.submit_button)
        return bar

    def _missing_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("card")
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING // 2)
        head = QHBoxLayout()
        self.missing_title = QLabel()
        self.missing_title.setObjectName("cardTitle")
        self.missing_title.setWordWrap(True)
        self.missing_close = QPushButton()
        self.missing_close.setObjectName("closeMissing")
        self.missing_close.clicked.connect(self.hide_missing)
        head.addWidget(self.missing_title, 1)
        head.addWidget(self.missing_close)
        self.missing_list = QTreeWidget()
        self.missing_list.setObjectName("missingList")
        self.missing_list.setHeaderHidden(True)
        self.missing_list.setColumnCount(1)
        self.missing_list.setRootIsDecorated(False)
        self.missing_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.missing_list.setMaximumHeight(self.fontMetrics().height() * 8)
        self.missing_list.itemActivated.connect(self._on_missing_item_activated)
        self.missing_list.itemClicked.connect(self._on_missing_item_activated)
        self.missing_title.setBuddy(self.missing_list)
        layout.addLayout(head)
        layout.addWidget(self.missing_list)
        outer = QFrame()
        outer_layout = QVBoxLayout(outer)
        outer_layout.setContentsMargins(MARGIN, 0, MARGIN, 0)
        outer_layout.addWidget(panel)
        self.missing_panel = outer
        outer.hide()
        return outer

    def _side(self) -> QScrollArea:
        side = QWidget()
        side.setObjectName("intakeSide")
        layout = QVBoxLayout(side)
        layout.setContentsMargins(SPACING, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(MARGIN)
        self.radar = RadarChart()
        self.ladder_chart = TrendChart()
        self.mean_chart = TrendChart()
        self.round_model = RoundTableModel(self)
        self.round_view = record_table("roundTable", stretch=RoundTableModel.STRETCH)
        self.round_view.setModel(self.round_model)
        fit_columns(self.round_view)
        self.round_view.setMinimumHeight(self.round_view.fontMetrics().height() * 6)
        self.rounds_pane = ListPane(self.round_view, margins=(0, 0, 0, 0))
        layout.addWidget(self.radar)
        layout.addWidget(self.ladder_chart)
        layout.addWidget(self.mean_chart)
        layout.addWidget(self.rounds_pane)
        layout.addStretch(1)
        area = QScrollArea()
        area.setObjectName("intakeSideScroll")
        area.setWidget(side)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setMinimumWidth(self.radar.minimumSizeHint().width() + 2 * MARGIN)
        self.side = area
        return area

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        self.start_action.set_caption(self.tr("Intake &starten"))
        self.submit_action.set_caption(self.tr("&Indienen"))
        self.wmo_report_action.set_caption(self.tr("Wmo-verslag…"))
        set_caption(self.missing_close, self.tr("Sl&uiten"))
        self.missing_list.setAccessibleName(self.tr("Nog in te vullen"))
        self.missing_list.clear()  # shown again below, in the new language
        self.rounds_pane.set_texts(
            title=self.tr("&Rondes"),
            accessible=self.tr("Rondes van deze intake"),
            empty=self.tr("Deze intake is nog niet ingediend."),
        )
        self._show_view()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.round_model.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ contents

    @property
    def client_id(self) -> str | None:
        return self._client_id

    @property
    def view(self) -> IntakeView | None:
        """The intake as last read."""
        return self._view

    def set_client(self, client_id: str) -> None:
        """A dossier was opened: its intake is read when the tab is on screen."""
        if client_id != self._client_id:
            self.flush()
            self._client_id = client_id
            self._view = None
            self.hide_missing()
            self.saved_hint.hide()
            self._show_view()
        if self.isVisible():
            self._reload()
        else:
            self._load_on_show = True

    def flush(self) -> None:
        """Save what is still being typed in the form (before a lock, a close, a switch)."""
        self.form.flush()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._load_on_show:
            self._reload()
        self._place_side()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()
        super().hideEvent(event)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._place_side()

    def _place_side(self) -> None:
        """Pictures beside the form (three fifths for the form), or under it when narrow (the
        form keeps two thirds of the height); the user may move the divider."""
        wide = self.width() >= SIDE_BY_SIDE_WIDTH
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() == orientation and self._split_done:
            return
        self.splitter.setOrientation(orientation)
        if wide:
            total = max(self.width(), 1)
            self.splitter.setSizes([total * 3 // 5, total - total * 3 // 5])
        else:
            total = max(self.stack.height(), 1)
            self.splitter.setSizes([total * 2 // 3, total - total * 2 // 3])
        self._split_done = self.isVisible()

    def _reload(self) -> None:
        client_id = self._client_id
        self._load_on_show = False
        self.redraw.mark_fresh()
        if client_id is None:
            return
        ops.load_intake(parent=self, session=self._session, client_id=client_id).success(
            self._on_loaded
        ).run()

    def _on_loaded(self, view: IntakeView) -> None:
        if view.client.id != self._client_id:
            return
        self._view = view
        self._show_view()
        if self._focus_first and view.intake is not None and view.intake.editable:
            self._focus_first = False
            fields = self.form.fields_shown()
            if fields:
                self.form.focus_field(fields[0])
        self.loaded.emit(view.client.id)

    # ------------------------------------------------------------------------------ showing

    def _editable(self) -> bool:
        view = self._view
        return view is not None and view.intake is not None and view.intake.editable

    def _show_view(self) -> None:
        view = self._view
        intake = view.intake if view is not None else None
        self._show_status(view)
        can_start = view is not None and (intake is None or intake.status is IntakeStatus.APPROVED)
        self.start_action.setVisible(can_start)
        self.start_action.setEnabled(can_start)
        editable = self._editable()
        self.submit_action.setVisible(intake is not None)
        self.submit_action.setEnabled(editable and not self._checking)
        self._show_wmo_report_action()
        if view is None or intake is None:
            self.round_model.set_rounds(())
            self.stack.setCurrentWidget(self.empty_label)
            if view is None:
                self.empty_label.setText(self.tr("Intake laden…"))
            else:
                self.empty_label.setText(
                    self.tr("Nog geen intake voor deze cliënt. Start een intake met %1.").replace(
                        "%1", key_text(self.start_action.shortcut())
                    )
                )
            return
        self.form.set_view(
            view,
            read_only=not editable,
            highlighted=frozenset(view.changed_since_last_round()),
            can_start_threads=self._session.is_team_lead,
            me=self._session.username,
        )
        self.stack.setCurrentWidget(self.splitter)
        self._show_charts(view, intake)
        self.round_model.set_rounds(view.rounds)
        if not self.missing_panel.isHidden():
            self._show_missing(view)

    def _show_status(self, view: IntakeView | None) -> None:
        intake = view.intake if view is not None else None
        if view is None or intake is None:
            self.status_label.setText("")
            self.round_label.setText("")
            return
        status = intake.status
        if status is IntakeStatus.DRAFT:
            text = self.tr("Concept")
        elif status is IntakeStatus.SUBMITTED:
            text = self.tr("Ingediend op %1 — wacht op beoordeling").replace(
                "%1", date_text(intake.submitted_at)
            )
        elif status is IntakeStatus.RETURNED:
            text = (
                self.tr("Teruggestuurd door %1 op %2")
                .replace("%1", intake.reviewer or "")
                .replace("%2", date_text(intake.reviewed_at))
            )
            count = view.open_threads
            if count == 1:
                text += " — " + self.tr("1 open opmerking")
            elif count:
                text += " — " + self.tr("%1 open opmerkingen").replace("%1", str(count))
            else:
                text += " — " + self.tr("alle opmerkingen opgelost")
        else:
            text = (
                self.tr("Goedgekeurd door %1 op %2")
                .replace("%1", intake.reviewer or "")
                .replace("%2", date_text(intake.reviewed_at))
            )
        self.status_label.setText(text)
        number = intake.round if not intake.editable else intake.round + 1
        self.round_label.setText(self.tr("Ronde %1").replace("%1", str(number)))

    def _show_charts(self, view: IntakeView, intake: Intake) -> None:
        language = ui_language()
        domains = self_sufficiency_domains(intake.domain_version)

        def scores(of: Intake) -> list[int | None]:
            return [of.scores[d.key].score if d.key in of.scores else None for d in domains]

        previous = view.previous
        when = (previous.reviewed_at or previous.submitted_at) if previous is not None else None
        self.radar.set_data(
            labels=[d.text(language) for d in domains],
            current=scores(intake),
            previous=scores(previous) if previous is not None else None,
            current_caption=self.tr("Nu"),
            previous_caption=(
                self.tr("Vorige intake (%1)").replace("%1", date_text(when))
                if previous is not None
                else ""
            ),
        )
        ladder: list[tuple[date, float]] = [
            (p.day, float(p.ladder_step)) for p in view.history if p.ladder_step is not None
        ]
        mean: list[tuple[date, float]] = [
            (p.day, p.mean_score) for p in view.history if p.mean_score is not None
        ]
        self.ladder_chart.set_series(
            title=self.tr("Trede op de participatieladder"),
            points=ladder,
            y_min=1,
            y_max=6,
            y_labels={float(n): str(n) for n in range(1, 7)},
        )
        self.ladder_chart.setToolTip(
            "\n".join(f"{n} – {ladder_label(n, language)}" for n in range(1, 7))
        )
        self.mean_chart.set_series(
            title=self.tr("Gemiddelde zelfredzaamheid"), points=mean, y_min=1, y_max=5
        )

    # ------------------------------------------------------------------------------ missing

    def missing_fields(self) -> tuple[str, ...]:
        """The fields the list of missing answers shows, in its order."""
        names: list[str] = []
        for top in range(self.missing_list.topLevelItemCount()):
            section = self.missing_list.topLevelItem(top)
            if section is None:
                continue
            for child in range(section.childCount()):
                item = section.child(child)
                if item is not None:
                    names.append(str(item.data(0, FieldRole)))
        return tuple(names)

    def hide_missing(self) -> None:
        self.missing_panel.hide()
        self.missing_list.clear()

    def _show_missing(self, view: IntakeView) -> None:
        language = ui_language()
        missing = view.missing if view.intake is not None and view.intake.editable else ()
        by_section: dict[IntakeSection, list[str]] = {}
        for name in missing:
            by_section.setdefault(section_of(name), []).append(name)
        shown = self.missing_fields()
        wanted = tuple(name for section in by_section.values() for name in section)
        if not missing:
            self.missing_title.setText(
                self.tr("Alles is ingevuld. U kunt de intake indienen met %1.").replace(
                    "%1", key_text(self.submit_action.shortcut())
                )
            )
        elif len(missing) == 1:
            self.missing_title.setText(self.tr("Nog 1 antwoord nodig voor het indienen:"))
        else:
            self.missing_title.setText(
                self.tr("Nog %1 antwoorden nodig voor het indienen:").replace(
                    "%1", str(len(missing))
                )
            )
        self.missing_panel.show()
        if shown == wanted and self.missing_list.topLevelItemCount():
            return
        self.missing_list.clear()
        for section, names in by_section.items():
            head = QTreeWidgetItem([section.label(language)])
            head.setData(0, FieldRole, names[0])
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            self.missing_list.addTopLevelItem(head)
            for name in names:
                item = QTreeWidgetItem([field_label(Intake.ENTITY, name, language)])
                item.setData(0, FieldRole, name)
                item.setToolTip(0, self.tr("Naar dit veld"))
                head.addChild(item)
        self.missing_list.expandAll()
        self.missing_list.setVisible(bool(missing))

    def _on_missing_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        name = item.data(0, FieldRole)
        if isinstance(name, str):
            self.form.focus_field(name)

    # ------------------------------------------------------------------------------ actions

    def _on_start_triggered(self) -> None:
        client_id = self._client_id
        if client_id is None or not self.start_action.isEnabled() or not self.isVisible():
            return
        self.start_action.setEnabled(False)
        self._focus_first = True
        ops.start_intake(parent=self, session=self._session, client_id=client_id).finally_(
            self._show_view
        ).run()

    def _on_submit_triggered(self) -> None:
        client_id = self._client_id
        if client_id is None or not self._editable() or self._checking or not self.isVisible():
            return
        self.form.flush()
        self._checking = True
        self.submit_action.setEnabled(False)
        # Read after the saves just queued (the storage lane keeps order), under a key of its
        # own so that a redraw in between does not swallow the answer.
        ops.load_intake(
            parent=self, session=self._session, client_id=client_id, key="intake_check"
        ).success(self._on_checked).failure(self._on_check_failed).run()

    def _on_checked(self, view: IntakeView) -> None:
        if view.client.id != self._client_id:
            self._end_check()
            return
        self._view = view
        intake = view.intake
        if intake is None or not intake.editable:
            self._end_check()
            return
        if view.missing:
            self._end_check()
            self._show_missing(view)
            self.missing_list.setFocus(Qt.FocusReason.OtherFocusReason)
            first = self.missing_list.topLevelItem(0)
            field_item = first.child(0) if first is not None else None
            if field_item is not None:
                self.missing_list.setCurrentItem(field_item)
            return
        ops.submit_intake(
            parent=self,
            session=self._session,
            intake_id=intake.id,
            client_id=view.client.id,
            schemes=view.schemes,
        ).success(self._on_submitted).finally_(self._end_check).run()

    def _on_check_failed(self, error: BaseException) -> None:
        self._end_check()
        show_failure(self, error)

    def _end_check(self) -> None:
        self._checking = False
        self._show_view()

    def _on_submitted(self, _intake: Intake) -> None:
        self.hide_missing()
        restore_focus(self.round_view)

    # ----------------------------------------------------------------------------- saving

    def _on_form_answer_changed(self, name: str, value: object) -> None:
        view, intake_id = self._view, self.form.intake_id
        if view is None or intake_id is None:
            return
        self.saved_hint.hide()
        self._saving += 1
        ops.save_answers(
            parent=self,
            session=self._session,
            intake_id=intake_id,
            client_id=view.client.id,
            values={name: value},
        ).success(lambda _intake: self._on_saved()).failure(
            lambda error: self._on_save_failed(name, error)
        ).finally_(self._on_save_ended).run()

    def _on_saved(self) -> None:
        if self._saving <= 1 and not self.form.has_unsent:
            self.saved_hint.show()

    def _on_save_ended(self) -> None:
        self._saving -= 1

    def _on_save_failed(self, name: str, error: BaseException) -> None:
        self.saved_hint.hide()
        self.form.save_failed([name])
        show_failure(self, error)
        self._reload()

    # --------------------------------------------------------------------------- comments

    def _on_form_comment_submitted(self, section: str, thread_id: str, text: str) -> None:
        view, intake_id = self._view, self.form.intake_id
        if view is None or intake_id is None:
            return
        ops.add_comment(
            parent=self,
            session=self._session,
            intake_id=intake_id,
            client_id=view.client.id,
            section=IntakeSection(section),
            text=text,
            thread_id=thread_id or None,
        ).run()

    def _on_form_resolve_requested(self, thread_id: str) -> None:
        if self._client_id is not None:
            ops.resolve_thread(
                parent=self, session=self._session, thread_id=thread_id, client_id=self._client_id
            ).run()

    def _on_form_reopen_requested(self, thread_id: str) -> None:
        if self._client_id is not None:
            ops.reopen_thread(
                parent=self, session=self._session, thread_id=thread_id, client_id=self._client_id
            ).run()

    # --------------------------------------------------------------------------- Wmo report

    def _on_wmo_report_triggered(self) -> None:
        view = self._view
        intake = view.intake if view is not None else None
        if (
            view is None
            or intake is None
            or not self.wmo_report_action.isEnabled()
            or not self.isVisible()
        ):
            return
        self.form.flush()
        self._set_reporting(True)
        document_ops.build_wmo_report(
            parent=self, session=self._session, intake_id=intake.id, client_id=view.client.id
        ).success(self._on_wmo_report_built).failure(lambda e: show_failure(self, e)).finally_(
            lambda: self._set_reporting(False)
        ).run()

    def _set_reporting(self, reporting: bool) -> None:
        self._reporting = reporting
        self._show_wmo_report_action()

    def _show_wmo_report_action(self) -> None:
        """Shown for a Wmo client's intake; usable once its Wmo part has an answer."""
        view = self._view
        intake = view.intake if view is not None else None
        wmo = view is not None and intake is not None and Scheme.WMO in view.schemes
        self.wmo_report_action.setVisible(wmo)
        self.wmo_report_action.setEnabled(
            wmo and intake is not None and has_wmo_answers(intake) and not self._reporting
        )

    def _on_wmo_report_built(self, pdf: ReportPdf) -> None:
        title = self.tr("Voorbeeld — verslag Wmo-onderzoek")
        dialog = PdfPreviewDialog(title, pdf.data, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.print_requested.connect(lambda: self._print_wmo_report(pdf, dialog))
        self.preview_dialog = dialog
        dialog.open()

    def _print_wmo_report(self, pdf: ReportPdf, parent: QWidget) -> None:
        if self._reporting:
            return
        printer = printing.choose_printer(
            parent, self.tr("Verslag Wmo-onderzoek afdrukken"), pages=pdf.pages
        )
        if printer is None:
            return
        self._set_reporting(True)
        document_ops.print_report(
            parent=self, session=self._session, pdf=pdf, printer=printer
        ).failure(self._on_print_failed).finally_(lambda: self._set_reporting(False)).run()

    def _on_print_failed(self, error: BaseException) -> None:
        if isinstance(error, printing.PrintError):
            QMessageBox.warning(self.window(), self.tr("Afdrukken is niet gelukt"), str(error))
        else:
            show_failure(self, error)
