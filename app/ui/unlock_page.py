"""Ontgrendelen: choose a profile on this device and open it with its passphrase.

Before the unlock only what `profile.json` holds is shown (profile name, user name, role, when
the device was enrolled): nothing of the caseload. The unlock itself (Argon2id, about half a
second, then opening and migrating the database) runs on the storage lane with a busy indicator.

After a wrong passphrase the remaining attempts are shown; when the vault asks to wait, a live
countdown is shown and the button stays disabled until it has run out. A profile wiped after too
many failures says so and cannot be unlocked any more. A device past its offline lease offers
"Nu synchroniseren", which hands the profile and passphrase to the main window.

Whenever the page shows, and after a profile is chosen, the cursor is in the passphrase field;
characters typed while the profile list has focus go there too (the arrow keys still choose a
profile). The texts follow a language switch at once.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import date_text, moment_text
from app.domain.roles import role_label
from app.services import LeaseExpired, ProfileWiped, UnlockDelayed, WrongPassphrase
from app.services import profiles as profile_service
from app.services.profiles import Profile, ProfileSummary, Store, list_profiles
from app.ui.messages import error_text, ui_language
from app.ui.operations.profiles import Device, unlock_profile
from app.ui.tasks import Lanes
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import mnemonic, with_key

UnlockFn = Callable[[Profile, str], Store]

ProfileRole = Qt.ItemDataRole.UserRole + 1
ProfileNameRole = Qt.ItemDataRole.UserRole + 2
WipedRole = Qt.ItemDataRole.UserRole + 3

_COUNTDOWN_TICK_MS = 200
_FEW_ATTEMPTS_LEFT = 3


def _local_date(moment: datetime | None) -> str:
    return date_text(moment) if moment is not None else ""


class ProfileListModel(QAbstractListModel):
    """The profiles on this device, one row each; only what profile.json holds."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._profiles: list[ProfileSummary] = []

    def set_profiles(self, profiles: list[ProfileSummary]) -> None:
        self.beginResetModel()
        self._profiles = list(profiles)
        self.endResetModel()

    def profiles(self) -> list[ProfileSummary]:
        return list(self._profiles)

    def role_label(self, role: str) -> str:
        return role_label(role, ui_language())

    def retranslate(self) -> None:
        """The rows' words in the language now installed (a model gets no LanguageChange)."""
        if self._profiles:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._profiles) - 1, 0))

    def details(self, row: int) -> str:
        summary = self._profiles[row]
        parts = [self.role_label(summary.role), summary.username]
        if summary.wiped:
            parts.append(self.tr("gewist"))
        elif summary.last_sync is not None:
            parts.append(
                self.tr("laatst gesynchroniseerd {moment}").format(
                    moment=moment_text(summary.last_sync)
                )
            )
        else:
            enrolled = _local_date(summary.created_at)
            if enrolled:
                parts.append(self.tr("aangemaakt op {date}").format(date=enrolled))
        return " · ".join(parts)

    def rowCount(  # noqa: N802 - Qt's name
        self, parent: QModelIndex | QPersistentModelIndex | None = None
    ) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._profiles)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._profiles):
            return None
        row = index.row()
        summary = self._profiles[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{summary.name}\n{self.details(row)}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{summary.name}, {self.details(row)}"
        if role == ProfileRole:
            return summary.profile
        if role == ProfileNameRole:
            return summary.name
        if role == WipedRole:
            return summary.wiped
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class UnlockPage(QWidget):
    """The lock screen. The main window shows it at start and whenever it locks."""

    unlocked = Signal(object, object)  # Profile, Store (open)
    enroll_requested = Signal()
    sync_requested = Signal(object, object)  # Profile, passphrase (str)

    def __init__(
        self,
        lanes: Lanes,
        home: Path | None = None,
        *,
        unlock: UnlockFn | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`unlock` defaults to `app.services.profiles.unlock`; tests pass one with a vault
        on a fake clock."""
        super().__init__(parent)
        self._lanes = lanes
        self._device = Device(lanes)
        self._home = home
        self._unlock: UnlockFn = unlock or profile_service.unlock
        self._busy = False
        self._attempt: Profile | None = None
        self._attempt_passphrase = ""
        self._lease_passphrase = ""
        # Profile name -> time.monotonic() at which the vault accepts the next attempt.
        self._delays: dict[str, float] = {}

        self._model = ProfileListModel(self)
        self._build()
        self._countdown_timer = QTimer(self)
        self._countdown_timer.setInterval(_COUNTDOWN_TICK_MS)
        self._countdown_timer.timeout.connect(self._update_state)
        self.reload()

    # ----------------------------------------------------------------------------- building

    def _build(self) -> None:
        self.title = title = QLabel()
        title.setObjectName("pageTitle")
        self.hint = hint = QLabel()
        hint.setObjectName("muted")
        hint.setWordWrap(True)

        self.profiles_label = profiles_label = QLabel()
        self.profile_view = QListView()
        self.profile_view.setModel(self._model)
        self.profile_view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.profile_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.profile_view.setUniformItemSizes(True)
        self.profile_view.setSpacing(SPACING // 2)
        self.profile_view.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.profile_view.activated.connect(self._on_list_activated)
        self.profile_view.clicked.connect(self._on_list_activated)
        self.profile_view.installEventFilter(self)
        profiles_label.setBuddy(self.profile_view)

        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)

        self.passphrase_label = passphrase_label = QLabel()
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.returnPressed.connect(self._on_unlock_clicked)
        passphrase_label.setBuddy(self.passphrase_edit)

        self.message_label = QLabel()
        self.message_label.setObjectName("fieldError")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        self.countdown_label = QLabel()
        self.countdown_label.setObjectName("muted")
        self.countdown_label.hide()

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(SPACING)
        self.progress_bar.hide()

        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("primary")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)

        self.sync_button = QPushButton()
        self.sync_button.clicked.connect(self._on_sync_clicked)
        self.sync_button.hide()

        self.enroll_button = QPushButton()
        self.enroll_button.clicked.connect(self.enroll_requested.emit)

        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.sync_button)
        buttons.addStretch(1)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        column = QVBoxLayout()
        column.setSpacing(SPACING)
        column.addWidget(title)
        column.addWidget(hint)
        column.addSpacing(SPACING)
        column.addWidget(profiles_label)
        column.addWidget(self.profile_view, 1)
        column.addWidget(self.empty_label)
        column.addSpacing(SPACING)
        column.addWidget(passphrase_label)
        column.addWidget(self.passphrase_edit)
        column.addWidget(self.message_label)
        column.addWidget(self.countdown_label)
        column.addWidget(self.progress_bar)
        column.addLayout(buttons)
        column.addSpacing(SPACING)
        column.addWidget(line)
        column.addWidget(self.enroll_button, 0, Qt.AlignmentFlag.AlignLeft)

        panel = QWidget()
        panel.setLayout(column)
        panel.setMaximumWidth(60 * SPACING)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        outer.addStretch(1)
        outer.addWidget(panel, 4)
        outer.addStretch(1)

        QWidget.setTabOrder(self.profile_view, self.passphrase_edit)
        QWidget.setTabOrder(self.passphrase_edit, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.sync_button)
        QWidget.setTabOrder(self.sync_button, self.enroll_button)
        self._retranslate()

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Ontgrendelen"))
        self.hint.setText(self.tr("Kies uw profiel en vul uw wachtwoordzin in."))
        self.profiles_label.setText(self.tr("&Profiel"))
        self.profile_view.setAccessibleName(self.tr("Profielen op dit apparaat"))
        self.empty_label.setText(
            self.tr(
                "Er is nog geen profiel op dit apparaat. Meld dit apparaat aan bij de centrale "
                "server om te beginnen."
            )
        )
        self.passphrase_label.setText(self.tr("&Wachtwoordzin"))
        self.passphrase_edit.setAccessibleName(self.tr("Wachtwoordzin"))
        self.message_label.setAccessibleName(self.tr("Melding"))
        self.countdown_label.setAccessibleName(self.tr("Wachttijd"))
        self.progress_bar.setAccessibleName(self.tr("Bezig met ontgrendelen"))
        self.unlock_button.setText(self.tr("Ontgrendelen"))
        self.sync_button.setText(self.tr("Nu synchroniseren"))
        self.enroll_button.setText(self.tr("Nieuw profiel / apparaat aanmelden"))
        # Tooltips name the keys: Enter unlocks, a caption's Alt+letter goes to its field.
        enter = QKeySequence(Qt.Key.Key_Enter)
        self.unlock_button.setToolTip(with_key(self.unlock_button.text(), enter))
        self.passphrase_edit.setToolTip(
            with_key(self.passphrase_label.text(), mnemonic(self.passphrase_label.text()))
        )
        self.profile_view.setToolTip(
            with_key(self.profiles_label.text(), mnemonic(self.profiles_label.text()))
        )
        self.sync_button.setToolTip(
            self.tr("Eerst synchroniseren, daarna ontgrendelen ({key})").format(
                key=enter.toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        self.enroll_button.setToolTip(self.enroll_button.text())
        self._model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._update_state()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # After the stack has made this page current (at start, after a lock): typing goes to
        # the passphrase, never to the profile list's keyboard search.
        QTimer.singleShot(0, self, self.focus_passphrase)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.profile_view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and self._typed_character(event)
            and self.passphrase_edit.isEnabled()
        ):
            self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            # Copied: `event` belongs to the list's delivery and is gone after it.
            QApplication.sendEvent(
                self.passphrase_edit,
                QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers(), event.text()),
            )
            return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _typed_character(event: QKeyEvent) -> bool:
        """A printable character typed without Ctrl/Alt (not Space: it selects in a list)."""
        text = event.text()
        modifiers = event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        return (
            bool(text)
            and text.isprintable()
            and not text.isspace()
            and modifiers == Qt.KeyboardModifier.NoModifier
        )

    # --------------------------------------------------------------------------------- public

    @property
    def model(self) -> ProfileListModel:
        return self._model

    def profiles(self) -> list[ProfileSummary]:
        return self._model.profiles()

    def selected_profile(self) -> Profile | None:
        index = self.profile_view.currentIndex()
        if not index.isValid():
            return None
        profile = index.data(ProfileRole)
        return profile if isinstance(profile, Profile) else None

    def select_profile(self, name: str) -> bool:
        """Make the profile called `name` current; False when there is none."""
        for row, profile in enumerate(self._model.profiles()):
            if profile.name == name:
                self.profile_view.setCurrentIndex(self._model.index(row, 0))
                return True
        return False

    def reload(self) -> None:
        """Read the profiles on this device again, keeping the current one where it still is."""
        current = self.selected_profile()
        keep = current.name if current is not None else None
        self._model.set_profiles(list_profiles(self._home))
        if not (keep and self.select_profile(keep)) and self._model.rowCount() > 0:
            self.profile_view.setCurrentIndex(self._model.index(0, 0))
        self._update_state()

    def focus_passphrase(self) -> None:
        """Put the cursor where the user types next (done by itself when the page shows)."""
        if self.passphrase_edit.isEnabled():
            self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self._model.rowCount() == 0:
            self.enroll_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.profile_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_messages(self) -> None:
        self._show_message("")
        self._forget_lease()

    @property
    def busy(self) -> bool:
        return self._busy

    # ------------------------------------------------------------------------------- unlocking

    def _on_unlock_clicked(self) -> None:
        profile = self.selected_profile()
        if profile is None or self._busy or not self.unlock_button.isEnabled():
            return
        passphrase = self.passphrase_edit.text()
        self.passphrase_edit.clear()
        if not passphrase:
            self._show_message(self.tr("Vul uw wachtwoordzin in."))
            self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._forget_lease()
        self._show_message("")
        self._attempt = profile
        self._attempt_passphrase = passphrase
        self._set_busy(True)
        unlock_profile(
            parent=self,
            device=self._device,
            profile=profile,
            passphrase=passphrase,
            unlock=self._unlock,
        ).success(self._on_unlock_done).failure(self._on_unlock_failed).run()

    def _on_unlock_done(self, store: object) -> None:
        profile = self._attempt
        self._attempt = None
        self._attempt_passphrase = ""
        self._set_busy(False)
        if profile is None or not isinstance(store, Store):
            return
        self._delays.pop(profile.name, None)
        self._update_state()
        self.unlocked.emit(profile, store)

    def _on_unlock_failed(self, exc: BaseException) -> None:
        profile = self._attempt
        passphrase = self._attempt_passphrase
        self._attempt = None
        self._attempt_passphrase = ""
        self._set_busy(False)
        if profile is None:
            return
        if isinstance(exc, WrongPassphrase):
            self._show_message(self._wrong_passphrase_text(exc.remaining_attempts))
        elif isinstance(exc, UnlockDelayed):
            self._delays[profile.name] = time.monotonic() + max(0.0, exc.seconds_remaining)
            self._show_message(self.tr("Te veel mislukte pogingen."))
        elif isinstance(exc, ProfileWiped):
            self._delays.pop(profile.name, None)
            self._model.set_profiles(list_profiles(self._home))
            self.select_profile(profile.name)
            self._show_message(error_text(exc))
        elif isinstance(exc, LeaseExpired):
            self._lease_passphrase = passphrase
            self._show_message(error_text(exc))
            self.sync_button.show()
        else:
            # Our own errors (a damaged key file, ...) in the UI language; anything else as a
            # calm generic message that never shows the exception's text.
            self._show_message(error_text(exc))
        self._update_state()
        self.focus_passphrase()

    def _wrong_passphrase_text(self, remaining: int) -> str:
        if remaining == 1:
            text = self.tr("Wachtwoordzin onjuist. Nog 1 poging.")
        else:
            text = self.tr("Wachtwoordzin onjuist. Nog {count} pogingen.").format(count=remaining)
        if remaining <= _FEW_ATTEMPTS_LEFT:
            text += " " + self.tr("Daarna wordt dit profiel van dit apparaat gewist.")
        return text

    def _on_sync_clicked(self) -> None:
        profile = self.selected_profile()
        passphrase = self._lease_passphrase
        self._forget_lease()
        self._show_message("")
        if profile is not None and passphrase:
            self.sync_requested.emit(profile, passphrase)

    # ---------------------------------------------------------------------------------- state

    def _on_list_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._busy:
            self._show_message("")
            self._forget_lease()
        self._update_state()

    def _on_list_activated(self, _index: QModelIndex) -> None:
        self.focus_passphrase()

    def _forget_lease(self) -> None:
        self._lease_passphrase = ""
        self.sync_button.hide()

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress_bar.setVisible(busy)
        self.profile_view.setEnabled(not busy)
        self.enroll_button.setEnabled(not busy)
        self._update_state()

    def _remaining_delay(self, profile: Profile | None) -> float:
        """Seconds until `profile` may be tried again; expired waits are forgotten here."""
        now = time.monotonic()
        for name, deadline in list(self._delays.items()):
            if deadline <= now:
                del self._delays[name]
                if profile is not None and name == profile.name and not self._busy:
                    self._show_message("")  # "Te veel mislukte pogingen." no longer applies
        if profile is None or profile.name not in self._delays:
            return 0.0
        return self._delays[profile.name] - now

    def _update_state(self) -> None:
        has_profiles = self._model.rowCount() > 0
        self.profile_view.setVisible(has_profiles)
        self.empty_label.setVisible(not has_profiles)
        profile = self.selected_profile()
        wiped = profile is not None and bool(self.profile_view.currentIndex().data(WipedRole))
        remaining = self._remaining_delay(profile)
        usable = profile is not None and not wiped
        self.passphrase_edit.setEnabled(usable and not self._busy)
        self.unlock_button.setEnabled(usable and not self._busy and remaining <= 0)
        if remaining > 0:
            seconds = max(1, math.ceil(remaining))
            if seconds == 1:
                text = self.tr("Probeer het over 1 seconde opnieuw.")
            else:
                text = self.tr("Probeer het over {seconds} seconden opnieuw.").format(
                    seconds=seconds
                )
            self.countdown_label.setText(text)
            self.countdown_label.show()
        else:
            self.countdown_label.clear()
            self.countdown_label.hide()
        if self._delays:
            if not self._countdown_timer.isActive():
                self._countdown_timer.start()
        else:
            self._countdown_timer.stop()
