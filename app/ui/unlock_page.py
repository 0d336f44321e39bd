"""Ontgrendelen: choose a profile on this device and open it with its passphrase.

Before the unlock only what `profile.json` holds is shown (profile name, user name, role, when
the device was enrolled): nothing of the caseload. The unlock itself (Argon2id, about half a
second, then opening and migrating the database) runs on the storage lane with a busy indicator.

After a wrong passphrase the remaining attempts are shown; when the vault asks to wait, a live
countdown is shown and the button stays disabled until it has run out. A profile wiped after too
many failures says so and cannot be unlocked any more. A device past its offline lease offers
"Nu synchroniseren", which hands the profile and passphrase to the main window.
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
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
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

from app.domain.local_time import local
from app.services.sync import LeaseExpired, unlock_for_work
from app.storage.profiles import Profile, list_profiles
from app.storage.store import Store
from app.storage.vault import ProfileWiped, UnlockDelayed, WrongPassphrase
from app.ui.messages import error_text
from app.ui.tasks import Lanes
from app.ui.theme import MARGIN, SPACING

UnlockFn = Callable[[Profile, str], Store]

ProfileRole = Qt.ItemDataRole.UserRole + 1
ProfileNameRole = Qt.ItemDataRole.UserRole + 2
WipedRole = Qt.ItemDataRole.UserRole + 3

_COUNTDOWN_TICK_MS = 200
_FEW_ATTEMPTS_LEFT = 3


def is_wiped(profile: Profile) -> bool:
    """A profile whose key file is gone can never be opened again (see vault.py)."""
    return not profile.key_path.exists()


def _local_date(iso: str) -> str:
    try:
        return local(datetime.fromisoformat(iso)).strftime("%d-%m-%Y")
    except ValueError:
        return ""


class ProfileListModel(QAbstractListModel):
    """The profiles on this device, one row each; only what profile.json holds."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._profiles: list[Profile] = []
        self._wiped: list[bool] = []

    def set_profiles(self, profiles: list[Profile]) -> None:
        self.beginResetModel()
        self._profiles = list(profiles)
        self._wiped = [is_wiped(p) for p in self._profiles]
        self.endResetModel()

    def profiles(self) -> list[Profile]:
        return list(self._profiles)

    def role_label(self, role: str) -> str:
        if role == "caseworker":
            return self.tr("Klantmanager")
        if role == "team_lead":
            return self.tr("Teamleider")
        return role

    def details(self, row: int) -> str:
        info = self._profiles[row].info
        parts = [self.role_label(info.role), info.username]
        if self._wiped[row]:
            parts.append(self.tr("gewist"))
        else:
            enrolled = _local_date(info.created_at)
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
        profile = self._profiles[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{profile.name}\n{self.details(row)}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{profile.name}, {self.details(row)}"
        if role == ProfileRole:
            return profile
        if role == ProfileNameRole:
            return profile.name
        if role == WipedRole:
            return self._wiped[row]
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
        """`unlock` defaults to `app.services.sync.unlock_for_work`; tests pass one with a vault
        on a fake clock."""
        super().__init__(parent)
        self._lanes = lanes
        self._home = home
        self._unlock: UnlockFn = unlock or unlock_for_work
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
        title = QLabel(self.tr("Ontgrendelen"))
        title.setObjectName("pageTitle")
        hint = QLabel(self.tr("Kies uw profiel en vul uw wachtwoordzin in."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)

        profiles_label = QLabel(self.tr("&Profiel"))
        self.profile_view = QListView()
        self.profile_view.setModel(self._model)
        self.profile_view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.profile_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.profile_view.setUniformItemSizes(True)
        self.profile_view.setSpacing(SPACING // 2)
        self.profile_view.setAccessibleName(self.tr("Profielen op dit apparaat"))
        self.profile_view.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.profile_view.activated.connect(self._on_list_activated)
        profiles_label.setBuddy(self.profile_view)

        self.empty_label = QLabel(
            self.tr(
                "Er is nog geen profiel op dit apparaat. Meld dit apparaat aan bij de centrale "
                "server om te beginnen."
            )
        )
        self.empty_label.setWordWrap(True)

        passphrase_label = QLabel(self.tr("&Wachtwoordzin"))
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName(self.tr("Wachtwoordzin"))
        self.passphrase_edit.returnPressed.connect(self._on_unlock_clicked)
        passphrase_label.setBuddy(self.passphrase_edit)

        self.message_label = QLabel()
        self.message_label.setObjectName("fieldError")
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName(self.tr("Melding"))
        self.message_label.hide()
        self.countdown_label = QLabel()
        self.countdown_label.setObjectName("muted")
        self.countdown_label.setAccessibleName(self.tr("Wachttijd"))
        self.countdown_label.hide()

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setAccessibleName(self.tr("Bezig met ontgrendelen"))
        self.progress_bar.setMaximumHeight(SPACING)
        self.progress_bar.hide()

        self.unlock_button = QPushButton(self.tr("Ontgrendelen"))
        self.unlock_button.setObjectName("primary")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)

        self.sync_button = QPushButton(self.tr("Nu synchroniseren"))
        self.sync_button.clicked.connect(self._on_sync_clicked)
        self.sync_button.hide()

        self.enroll_button = QPushButton(self.tr("Nieuw profiel / apparaat aanmelden"))
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

    # --------------------------------------------------------------------------------- public

    @property
    def model(self) -> ProfileListModel:
        return self._model

    def profiles(self) -> list[Profile]:
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
        """Put the cursor where the user types next (call when the page is shown)."""
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
        unlock = self._unlock
        self._lanes.storage.submit(
            lambda: unlock(profile, passphrase),
            done=self._on_unlock_done,
            failed=self._on_unlock_failed,
            name="unlock",
            owner=self,
        )

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
