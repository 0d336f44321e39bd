"""First run: enroll this device with the central server and make a local profile.

Pages: server address (and, for an organisation with its own certificate authority, its CA file),
user name and password, the one-time enrollment code, and a new passphrase typed twice with a
strength meter. The last page talks to the server on the network lane
(`app.services.sync.enroll`) and then derives the key and creates the encrypted profile; a
failure sends the user back to the page that needs fixing, with the reason shown there.

`enrolled(profile, store)` is emitted when the wizard closes after a successful enrollment (the
store is open; the receiver owns it). Until the server has answered, the wizard cannot be closed:
the one-time code may already be spent.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.errors import VeldwerkError
from app.domain.roles import role_label
from app.services.profiles import KdfParams, Profile, Store, new_profile_name
from app.ui.messages import error_text, ui_language
from app.ui.operations.profiles import Device, enroll_device
from app.ui.passphrase_strength import (
    MAX_STRENGTH,
    MIN_LENGTH,
    MIN_STRENGTH,
    is_acceptable,
    score_passphrase,
    strength_label,
)
from app.ui.tasks import Lanes
from app.ui.theme import SPACING

PAGE_SERVER = 0
PAGE_ACCOUNT = 1
PAGE_CODE = 2
PAGE_PASSPHRASE = 3
PAGE_ENROLL = 4


def profile_name_for(username: str, home: Path | None = None) -> str:
    """A free profile folder name derived from the user name (see
    `app.services.profiles.new_profile_name`)."""
    return new_profile_name(username, home)


def normalise_server_url(text: str) -> str:
    """Trimmed, with https:// added when no scheme was typed."""
    url = text.strip()
    if url and "://" not in url:
        url = "https://" + url
    return url.rstrip("/")


def server_url_acceptable(url: str) -> bool:
    """https, or http to this machine only (the demo); the sync client checks the same."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if not host:
        return False
    if parts.scheme == "https":
        return True
    if parts.scheme != "http":
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class ServerPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Server"))
        self.setSubTitle(self.tr("Het adres van de centrale Veldwerk-server van uw organisatie."))
        url_label = QLabel(self.tr("&Serveradres"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://veldwerk.voorbeeld.nl")
        self.url.setInputMethodHints(Qt.InputMethodHint.ImhUrlCharactersOnly)
        self.url.textChanged.connect(self._on_text_changed)
        url_label.setBuddy(self.url)

        ca_label = QLabel(self.tr("&CA-bestand (alleen bij een eigen certificaatautoriteit)"))
        self.ca_bundle = QLineEdit()
        self.ca_bundle.setPlaceholderText(self.tr("Niet nodig bij een gewoon certificaat"))
        self.ca_bundle.textChanged.connect(self._on_text_changed)
        ca_label.setBuddy(self.ca_bundle)
        self.browse = QPushButton(self.tr("&Bladeren…"))
        self.browse.setAccessibleName(self.tr("CA-bestand kiezen"))
        self.browse.setAutoDefault(False)
        self.browse.clicked.connect(self._on_browse_clicked)

        self.error = _error_label()
        self.error.setAccessibleName(self.tr("Fout bij de server"))

        ca_row = QHBoxLayout()
        ca_row.setSpacing(SPACING)
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(self.browse)

        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        layout.addWidget(url_label)
        layout.addWidget(self.url)
        layout.addSpacing(SPACING)
        layout.addWidget(ca_label)
        layout.addLayout(ca_row)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def server_url(self) -> str:
        return normalise_server_url(self.url.text())

    def ca_path(self) -> Path | None:
        text = self.ca_bundle.text().strip()
        return Path(text).expanduser() if text else None

    def set_error(self, text: str) -> None:
        _show(self.error, text)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.url.text().strip())

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        url = self.server_url()
        if not server_url_acceptable(url):
            self.set_error(
                self.tr(
                    "Het serveradres moet met https:// beginnen, bijvoorbeeld {example}."
                ).format(example="https://veldwerk.voorbeeld.nl")
            )
            self.url.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        ca = self.ca_path()
        if ca is not None and not ca.is_file():
            self.set_error(self.tr("Het gekozen CA-bestand bestaat niet."))
            self.ca_bundle.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.url.setText(url)
        self.set_error("")
        return True

    def _on_text_changed(self, _text: str) -> None:
        self.set_error("")
        self.completeChanged.emit()

    def _on_browse_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("CA-bestand kiezen"),
            self.ca_bundle.text(),
            self.tr("Certificaten (*.pem *.crt *.cer);;Alle bestanden (*)"),
        )
        if chosen:
            self.ca_bundle.setText(chosen)


class AccountPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Uw account"))
        self.setSubTitle(
            self.tr(
                "De gebruikersnaam en het wachtwoord die u van de centrale administratie kreeg."
            )
        )
        user_label = QLabel(self.tr("&Gebruikersnaam"))
        self.username = QLineEdit()
        self.username.setInputMethodHints(Qt.InputMethodHint.ImhNoAutoUppercase)
        self.username.textChanged.connect(self._on_text_changed)
        user_label.setBuddy(self.username)
        password_label = QLabel(self.tr("&Wachtwoord"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.textChanged.connect(self._on_text_changed)
        password_label.setBuddy(self.password)
        self.error = _error_label()

        grid = QGridLayout(self)
        grid.setHorizontalSpacing(SPACING * 2)
        grid.setVerticalSpacing(SPACING)
        grid.addWidget(user_label, 0, 0)
        grid.addWidget(self.username, 0, 1)
        grid.addWidget(password_label, 1, 0)
        grid.addWidget(self.password, 1, 1)
        grid.addWidget(self.error, 2, 0, 1, 2)
        grid.setRowStretch(3, 1)

    def set_error(self, text: str) -> None:
        _show(self.error, text)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.username.text().strip()) and bool(self.password.text())

    def _on_text_changed(self, _text: str) -> None:
        self.set_error("")
        self.completeChanged.emit()


class CodePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Koppelcode"))
        self.setSubTitle(
            self.tr(
                "De eenmalige code voor dit apparaat, van de centrale administratie "
                "(bijvoorbeeld ABCD-EFGH-JKLM)."
            )
        )
        code_label = QLabel(self.tr("&Koppelcode"))
        self.code = QLineEdit()
        self.code.setMaxLength(40)
        self.code.setInputMethodHints(
            Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.code.textChanged.connect(self._on_text_changed)
        code_label.setBuddy(self.code)
        self.error = _error_label()

        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        layout.addWidget(code_label)
        layout.addWidget(self.code)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def set_error(self, text: str) -> None:
        _show(self.error, text)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.code.text().strip())

    def _on_text_changed(self, _text: str) -> None:
        self.set_error("")
        self.completeChanged.emit()


class PassphrasePage(QWizardPage):
    def __init__(self, account: AccountPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._account = account
        self.setTitle(self.tr("Wachtwoordzin"))
        self.setSubTitle(
            self.tr(
                "Met deze wachtwoordzin opent u Veldwerk op dit apparaat. Het is iets anders dan "
                "uw wachtwoord voor de server."
            )
        )
        first_label = QLabel(self.tr("Nieuwe &wachtwoordzin"))
        self.first = self._build_passphrase_edit(first_label)
        second_label = QLabel(self.tr("&Herhaal de wachtwoordzin"))
        self.second = self._build_passphrase_edit(second_label)

        self.meter = self._build_meter()
        self.strength = QLabel()
        self.strength.setAccessibleName(self.tr("Sterkte van de wachtwoordzin"))
        self.hint = _hint_label(
            self.tr(
                "Minstens {length} tekens. Een paar woorden achter elkaar is sterk en goed te "
                "onthouden."
            ).format(length=MIN_LENGTH)
        )
        self.problem = _error_label()
        self.error = _error_label()

        grid = QGridLayout(self)
        grid.setHorizontalSpacing(SPACING * 2)
        grid.setVerticalSpacing(SPACING)
        grid.addWidget(first_label, 0, 0)
        grid.addWidget(self.first, 0, 1)
        grid.addWidget(self.meter, 1, 1)
        grid.addWidget(self.strength, 2, 1)
        grid.addWidget(second_label, 3, 0)
        grid.addWidget(self.second, 3, 1)
        grid.addWidget(self.hint, 4, 0, 1, 2)
        grid.addWidget(self.problem, 5, 0, 1, 2)
        grid.addWidget(self.error, 6, 0, 1, 2)
        grid.setRowStretch(7, 1)
        self._update()

    def _build_passphrase_edit(self, caption: QLabel) -> QLineEdit:
        """A hidden-text field for `caption` (whose mnemonic focuses it)."""
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.textChanged.connect(self._on_text_changed)
        caption.setBuddy(edit)
        return edit

    def _build_meter(self) -> QProgressBar:
        """The strength as a bar; the label under it says the same in words."""
        meter = QProgressBar()
        meter.setRange(0, MAX_STRENGTH)
        meter.setValue(0)
        meter.setTextVisible(False)
        meter.setMaximumHeight(SPACING)
        meter.setAccessibleName(self.tr("Sterkte van de wachtwoordzin"))
        return meter

    def passphrase(self) -> str:
        return self.first.text()

    def set_error(self, text: str) -> None:
        _show(self.error, text)

    def _problem(self) -> str:
        first, second = self.first.text(), self.second.text()
        if not first:
            return ""
        if len(first) < MIN_LENGTH:
            return self.tr("De wachtwoordzin is te kort: minstens {length} tekens.").format(
                length=MIN_LENGTH
            )
        if score_passphrase(first) < MIN_STRENGTH:
            return self.tr("Kies een sterkere wachtwoordzin, bijvoorbeeld een paar woorden.")
        if first == self._account.password.text():
            return self.tr("Kies een andere wachtwoordzin dan uw wachtwoord voor de server.")
        if second and not first.startswith(second):  # not while the repeat is still typed
            return self.tr("De twee wachtwoordzinnen zijn niet gelijk.")
        return ""

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        first = self.first.text()
        return (
            is_acceptable(first)
            and first == self.second.text()
            and first != self._account.password.text()
        )

    def _update(self) -> None:
        score = score_passphrase(self.first.text())
        self.meter.setValue(score if self.first.text() else 0)
        label = strength_label(score) if self.first.text() else "–"
        self.strength.setText(self.tr("Sterkte: {label}").format(label=label))
        _show(self.problem, self._problem())

    def _on_text_changed(self, _text: str) -> None:
        self.set_error("")
        self._update()
        self.completeChanged.emit()


class EnrollPage(QWizardPage):
    """Shows the exchange with the server while it runs, and its outcome."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Aanmelden"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Voortgang van de aanmelding"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Bezig met aanmelden"))
        self.progress.hide()
        self._done = False

        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addStretch(1)

    def set_busy(self) -> None:
        self._done = False
        self.setSubTitle(self.tr("Dit apparaat wordt aangemeld bij de centrale server."))
        self.status.setText(
            self.tr(
                "Bezig met aanmelden en het beveiligen van uw profiel. Dit kan enkele seconden "
                "duren."
            )
        )
        self.progress.show()
        self.completeChanged.emit()

    def set_idle(self) -> None:
        self.progress.hide()
        self.status.clear()

    def set_done(self, text: str) -> None:
        self._done = True
        self.setSubTitle(self.tr("Dit apparaat is aangemeld."))
        self.progress.hide()
        self.status.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self._done


class EnrollWizard(QWizard):
    """Enroll this device; emits `enrolled(profile, store)` when it closes after success."""

    enrolled = Signal(object, object)  # Profile, Store (open; the receiver owns it)

    def __init__(
        self,
        lanes: Lanes,
        home: Path | None = None,
        *,
        params: KdfParams | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`params`: Argon2id cost for the new profile; None calibrates on this machine (about
        a second of work on top), tests pass cheap ones."""
        super().__init__(parent)
        self._lanes = lanes
        self._device = Device(lanes)
        self._home = home
        self._params = params
        self._busy = False
        self._outcome: tuple[Profile, Store] | None = None

        self.setWindowTitle(self.tr("Apparaat aanmelden"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.IndependentPages, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.DisabledBackButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Volgende >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< V&orige"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Voltooien"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Annuleren"))

        self.server_page = ServerPage()
        self.account_page = AccountPage()
        self.code_page = CodePage()
        self.passphrase_page = PassphrasePage(self.account_page)
        self.enroll_page = EnrollPage()
        self.setPage(PAGE_SERVER, self.server_page)
        self.setPage(PAGE_ACCOUNT, self.account_page)
        self.setPage(PAGE_CODE, self.code_page)
        self.setPage(PAGE_PASSPHRASE, self.passphrase_page)
        self.setPage(PAGE_ENROLL, self.enroll_page)
        self.setStartId(PAGE_SERVER)
        self.currentIdChanged.connect(self._on_current_id_changed)
        self.setMinimumWidth(70 * SPACING)

    # --------------------------------------------------------------------------------- public

    @property
    def busy(self) -> bool:
        return self._busy

    # ------------------------------------------------------------------------------- flow

    def _on_current_id_changed(self, page_id: int) -> None:
        first = {
            PAGE_SERVER: self.server_page.url,
            PAGE_ACCOUNT: self.account_page.username,
            PAGE_CODE: self.code_page.code,
            PAGE_PASSPHRASE: self.passphrase_page.first,
        }.get(page_id)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        if page_id == PAGE_ENROLL and not self._busy and self._outcome is None:
            self._start_enrollment()

    def _start_enrollment(self) -> None:
        username = self.account_page.username.text().strip()
        server_url = self.server_page.server_url()
        password = self.account_page.password.text()
        code = self.code_page.code.text().strip()
        passphrase = self.passphrase_page.passphrase()
        profile_name = profile_name_for(username, self._home)
        ca_bundle = self.server_page.ca_path()
        home, params = self._home, self._params
        self._set_busy(True)
        self.enroll_page.set_busy()
        enroll_device(
            parent=self,
            device=self._device,
            server_url=server_url,
            username=username,
            password=password,
            code=code,
            passphrase=passphrase,
            profile_name=profile_name,
            ca_bundle=ca_bundle,
            home=home,
            params=params,
        ).success(self._on_enroll_done).failure(self._on_enroll_failed).run()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.button(QWizard.WizardButton.CancelButton).setEnabled(not busy)

    def _on_enroll_done(self, result: object) -> None:
        self._set_busy(False)
        if not isinstance(result, tuple) or len(result) != 2:
            return
        profile, store = result
        if not isinstance(profile, Profile) or not isinstance(store, Store):
            return
        self._outcome = (profile, store)
        # The device is enrolled and the code spent: there is nothing left to cancel.
        self.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        role = role_label(profile.info.role, ui_language())
        self.enroll_page.set_done(
            self.tr(
                "Profiel {name} ({role}) is aangemaakt. Kies Voltooien en synchroniseer om uw "
                "dossiers op te halen."
            ).format(name=profile.name, role=role)
        )
        self.button(QWizard.WizardButton.FinishButton).setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_enroll_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.enroll_page.set_idle()
        page_id, text = self.failure(exc)
        while self.currentId() > page_id:
            self.back()
        page = self.page(page_id)
        if isinstance(page, ServerPage | AccountPage | CodePage | PassphrasePage):
            page.set_error(text)
        if page_id == PAGE_ACCOUNT:
            self.account_page.password.selectAll()
            self.account_page.password.setFocus(Qt.FocusReason.OtherFocusReason)
        elif page_id == PAGE_CODE:
            self.code_page.code.selectAll()

    def failure(self, exc: BaseException) -> tuple[int, str]:
        """The page to return to and the message to show there, for an enrollment failure."""
        code = exc.code if isinstance(exc, VeldwerkError) else ""
        # The server answers every failed enrollment alike, so that its answer tells nobody
        # whether the password was right; the message names all three. An older server's
        # separate code for the enrollment code gets the same message.
        if code in ("invalid_credentials", "invalid_enrollment_code"):
            return PAGE_ACCOUNT, self.tr(
                "De gebruikersnaam, het wachtwoord of de koppelcode is onjuist. Een "
                "koppelcode werkt één keer en verloopt; vraag zo nodig de centrale "
                "administratie om een nieuwe code."
            )
        if code == "too_many_attempts":
            return PAGE_ACCOUNT, self.tr(
                "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw."
            )
        if code == "server_unreachable":
            return PAGE_SERVER, self.tr(
                "De server is niet bereikbaar. Controleer het serveradres en de "
                "internetverbinding en probeer het opnieuw. Er is niets aangemaakt."
            )
        if code == "certificate_refused":
            return PAGE_SERVER, error_text(exc) + " " + self.tr(
                "Controleer het serveradres. Gebruikt uw organisatie een eigen "
                "certificaatautoriteit, kies dan het CA-bestand dat u van de centrale "
                "administratie kreeg."
            )
        if code in ("insecure_server_url", "invalid_answer"):
            return PAGE_SERVER, error_text(exc)
        if code.startswith("http_") or code == "not_found":
            return PAGE_SERVER, self.tr(
                "Op dit adres antwoordt geen Veldwerk-server. Controleer het serveradres."
            )
        if code == "role_without_device_data":
            return PAGE_ACCOUNT, error_text(exc)
        return PAGE_PASSPHRASE, error_text(exc)

    # ------------------------------------------------------------------------------ closing

    def done(self, result: int) -> None:
        if self._busy:
            return  # the server has not answered yet; the code may already be spent
        outcome, self._outcome = self._outcome, None
        super().done(result)
        if outcome is not None:
            self.enrolled.emit(*outcome)
