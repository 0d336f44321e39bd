"""Show an attachment inside Veldwerk, from bytes in memory: never a plaintext file on disk.

Images go through QImage.fromData into a scrollable label; PDFs through QtPdf, read from a
QBuffer over the bytes. Other types are not opened at all (handing them to another program
would need a file on disk).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.notes import Attachment
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import ScreenAction, with_key

# The part of the 900 x 700 window an image gets before it is scaled down to fit.
FIT_WIDTH, FIT_HEIGHT = 860, 600


class AttachmentViewer(QDialog):
    """A window that shows one attachment. `kind` is "image", "pdf" or "unsupported"."""

    def __init__(self, attachment: Attachment, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentViewer")
        self.setWindowTitle(attachment.name)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.attachment = attachment
        self.kind = "unsupported"
        self.image_label: QLabel | None = None
        self.pdf_view: QPdfView | None = None
        self._document: QPdfDocument | None = None
        self._buffer: QBuffer | None = None
        self._bytes: QByteArray | None = None
        self._message_label: QLabel | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        # The message shown instead of the content, if any, in the current language.
        self._message_text: Callable[[], str] = str
        if attachment.media_type.startswith("image/"):
            layout.addWidget(self._image_widget(data), 1)
        elif attachment.media_type == "application/pdf":
            layout.addWidget(self._pdf_widget(data), 1)
        else:
            layout.addWidget(
                self._message(lambda: self.tr("Dit soort bestand kan Veldwerk niet tonen.")), 1
            )
        layout.addLayout(self._button_row())
        self.resize(900, 700)
        self._retranslate()

    def _button_row(self) -> QHBoxLayout:
        self.zoom_in_action = ScreenAction(
            self, lambda: self._zoom(1.25), shortcut=QKeySequence.StandardKey.ZoomIn
        )
        self.zoom_out_action = ScreenAction(
            self, lambda: self._zoom(0.8), shortcut=QKeySequence.StandardKey.ZoomOut
        )
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        self.zoom_buttons: list[QToolButton] = []
        for action in (self.zoom_out_action, self.zoom_in_action):
            action.setEnabled(self.kind != "unsupported")
            button = QToolButton()
            button.setDefaultAction(action)
            row.addWidget(button)
            self.zoom_buttons.append(button)
        row.addStretch(1)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._buttons.rejected.connect(self.reject)
        row.addWidget(self._buttons)
        return row

    def _retranslate(self) -> None:
        self.zoom_in_action.set_caption(self.tr("Inzoomen"))
        self.zoom_out_action.set_caption(self.tr("Uitzoomen"))
        close = self._buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Sluiten"))
        close.setToolTip(with_key(close.text(), QKeySequence(Qt.Key.Key_Escape)))
        if self._message_label is not None:
            self._message_label.setText(self._message_text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _message(self, text: Callable[[], str]) -> QLabel:
        """A message in place of the content; `text` gives it in the current language."""
        self._message_text = text
        label = QLabel()
        self._message_label = label
        label.setObjectName("fieldError")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label

    def _image_widget(self, data: bytes) -> QWidget:
        image = QImage.fromData(data)
        if image.isNull():
            return self._message(lambda: self.tr("Deze afbeelding kan niet worden getoond."))
        self.kind = "image"
        self._image = image
        # A phone photo or a scan is larger than the window: start with all of it in view.
        self._scale = min(1.0, FIT_WIDTH / image.width(), FIT_HEIGHT / image.height())
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setAccessibleName(self.attachment.name)
        self.image_label = label
        self._show_image()
        area = QScrollArea()
        area.setWidget(label)
        area.setWidgetResizable(True)
        area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        area.setAccessibleName(self.attachment.name)
        return area

    def _pdf_widget(self, data: bytes) -> QWidget:
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument(self)
        document.load(self._buffer)
        if document.status() == QPdfDocument.Status.Error or document.pageCount() == 0:
            return self._message(lambda: self.tr("Dit PDF-bestand kan niet worden getoond."))
        self.kind = "pdf"
        self._document = document
        view = QPdfView(self)
        view.setDocument(document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.setAccessibleName(self.attachment.name)
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pdf_view = view
        return view

    def _show_image(self) -> None:
        if self.image_label is None:
            return
        pixmap = QPixmap.fromImage(self._image)
        if self._scale != 1.0:
            pixmap = pixmap.scaled(
                self._image.size() * self._scale,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self.image_label.setPixmap(pixmap)

    @property
    def page_count(self) -> int:
        return self._document.pageCount() if self._document is not None else 0

    def _zoom(self, factor: float) -> None:
        if self.image_label is not None:
            self._scale = max(0.05, min(8.0, self._scale * factor))
            self._show_image()
        elif self.pdf_view is not None:
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.pdf_view.setZoomFactor(max(0.1, min(8.0, self.pdf_view.zoomFactor() * factor)))

    def done(self, result: int) -> None:
        # Drop the content as soon as the window closes, not whenever Python collects it.
        if self._document is not None:
            self._document.close()
        if self._buffer is not None:
            self._buffer.close()
        if self.image_label is not None:
            self.image_label.clear()
        self._bytes = None
        super().done(result)
