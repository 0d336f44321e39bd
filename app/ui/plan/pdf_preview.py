"""The plan's preview, from PDF bytes in memory: nothing is written to disk to show it.

`PdfPreview` shows the pages one under the other (QPdfView's multi-page mode), fitted to the
width. `load_pdf(data)` replaces what it shows. The bytes go into a QBuffer that is a child of
its QPdfDocument (`pdf_document`): QtPdf reads a page's bytes when the page is first needed,
also in the view's render thread, long after `load_pdf` returned; a buffer that only Python
held would be collected by then, and reading the page would crash the application.

Keys: PgUp/PgDn go a page back/on, Ctrl++ and Ctrl+- zoom, Ctrl+0 fits the width. The preview
answers them while the focus is inside it; a window that is only the preview (the dialog) gives
them to the whole window (`shortcut_context`).

`PdfPreviewDialog` wraps it with "Pagina n van m", the zoom buttons, Afdrukken… (Ctrl+P, emits
`print_requested`: the caller asks for a printer and prints) and Sluiten (Esc).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import ActionButton, Key, ScreenAction

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 5.0
DIALOG_WIDTH, DIALOG_HEIGHT = 900, 720


class PdfPreview(QWidget):
    """PDF bytes shown page under page (see the module note)."""

    page_changed = Signal(int, int)  # the page in view (0-based) and the number of pages

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        shortcut_context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        # Made before any document: Qt deletes children in the order they were made, so the
        # view (and its render thread) goes before the documents it reads.
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.pageNavigator().currentPageChanged.connect(self._on_navigator_page_changed)
        self.setFocusProxy(self.view)
        self._document: QPdfDocument | None = None
        # Shown when there is nothing to show: QPdfView takes no None without a warning (its
        # link model connects to the document's signals unchecked).
        self._nothing = QPdfDocument(self)

        self.message_label = QLabel()
        self.message_label.setObjectName("fieldError")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.message_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

        self._make_actions(shortcut_context)
        self._retranslate()
        self._update_actions()

    def _make_actions(self, context: Qt.ShortcutContext) -> None:
        def action(
            triggered: Callable[[], None], shortcut: Key | Sequence[Key], name: str
        ) -> ScreenAction:
            return ScreenAction(
                self, triggered, shortcut=shortcut, context=context, object_name=name
            )

        self.previous_page_action = action(self.previous_page, "PgUp", "previousPage")
        self.next_page_action = action(self.next_page, "PgDown", "nextPage")
        self.zoom_in_action = action(
            self.zoom_in, (QKeySequence.StandardKey.ZoomIn, "Ctrl+="), "zoomIn"
        )
        self.zoom_out_action = action(self.zoom_out, QKeySequence.StandardKey.ZoomOut, "zoomOut")
        self.fit_width_action = action(self.fit_width, "Ctrl+0", "fitWidth")

    # ------------------------------------------------------------------------------ document

    def load_pdf(self, data: bytes) -> bool:
        """Show `data` (a PDF) from its first page, in place of what was shown. False (and a
        message in place of the pages) when it cannot be read."""
        document = pdf_document(data, self)
        if document is None:
            self._replace(None)
            self._stack.setCurrentWidget(self.message_label)
            return False
        self._replace(document)
        self._stack.setCurrentWidget(self.view)
        self.go_to_page(0)
        return True

    def clear(self) -> None:
        """Drop the document (a window that closes or locks keeps no plan in memory)."""
        self._replace(None)
        self._stack.setCurrentWidget(self.view)

    def _replace(self, document: QPdfDocument | None) -> None:
        old = self._document
        # The view lets go of the old document first: its render thread takes the same lock
        # to switch as to render, so after this no render of the old document is running.
        self.view.setDocument(document if document is not None else self._nothing)
        self._document = document
        if old is not None:
            _dispose(old)
        self._update_actions()
        self.page_changed.emit(self.current_page(), self.page_count())

    def document(self) -> QPdfDocument | None:
        return self._document

    def page_count(self) -> int:
        return self._document.pageCount() if self._document is not None else 0

    def current_page(self) -> int:
        """The page in view, 0-based (0 without a document)."""
        if self._document is None:
            return 0
        return max(0, min(self.view.pageNavigator().currentPage(), self.page_count() - 1))

    # ---------------------------------------------------------------------------- navigation

    def go_to_page(self, page: int) -> None:
        if self._document is None:
            return
        page = max(0, min(page, self.page_count() - 1))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(0, 0), navigator.currentZoom())
        self._update_actions()
        self.page_changed.emit(self.current_page(), self.page_count())

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def zoom_factor(self) -> float:
        """The zoom in force; fitted to the width, the factor that fit gives."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return self.view.zoomFactor()
        return self._fitted_zoom()

    def _fitted_zoom(self) -> float:
        if self._document is None:
            return 1.0
        widest = max(
            self._document.pagePointSize(page).width() for page in range(self.page_count())
        )
        margins = self.view.documentMargins()
        room = self.view.viewport().width() - margins.left() - margins.right()
        # QPdfView draws a point at the screen's logical dpi over 72.
        pixels = widest * self.view.logicalDpiX() / 72
        return room / pixels if pixels > 0 and room > 0 else 1.0

    def zoom_in(self) -> None:
        self._set_zoom(self.zoom_factor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.zoom_factor() / ZOOM_STEP)

    def fit_width(self) -> None:
        page = self.current_page()
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.go_to_page(page)

    def _set_zoom(self, factor: float) -> None:
        if self._document is None:
            return
        page = self.current_page()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(MIN_ZOOM, min(MAX_ZOOM, factor)))
        # Zooming keeps the page that was in view in view.
        self.go_to_page(page)

    def _update_actions(self) -> None:
        loaded = self._document is not None
        page, count = self.current_page(), self.page_count()
        self.previous_page_action.setEnabled(loaded and page > 0)
        self.next_page_action.setEnabled(loaded and page < count - 1)
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_width_action):
            action.setEnabled(loaded)

    def _on_navigator_page_changed(self, _page: int) -> None:
        self._update_actions()
        self.page_changed.emit(self.current_page(), self.page_count())

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        self.view.setAccessibleName(self.tr("Voorbeeld"))
        self.message_label.setText(self.tr("Dit PDF-bestand kan niet worden getoond."))
        self.previous_page_action.set_caption(self.tr("Vorige pagina"))
        self.next_page_action.set_caption(self.tr("Volgende pagina"))
        self.zoom_in_action.set_caption(self.tr("Inzoomen"))
        self.zoom_out_action.set_caption(self.tr("Uitzoomen"))
        self.fit_width_action.set_caption(self.tr("Paginabreedte"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def pdf_document(data: bytes, parent: QObject | None = None) -> QPdfDocument | None:
    """A document that reads the PDF `data` from memory; None when `data` is no readable PDF.

    QtPdf reads the bytes again whenever it needs a page, so they live in a QBuffer that is the
    document's child: it lasts exactly as long as the document, whoever holds the Python
    references (see the module note)."""
    document = QPdfDocument(parent) if parent is not None else QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() == QPdfDocument.Status.Ready and document.pageCount() > 0:
        return document
    _dispose(document)
    return None


def _dispose(document: QPdfDocument) -> None:
    """Close a document now and delete it (with its buffer, a child) from the event loop, once
    every queued signal that still names it has been delivered."""
    document.close()
    document.deleteLater()


# ------------------------------------------------------------------------------- the dialog


class PdfPreviewDialog(QDialog):
    """A window with the preview, its page and zoom controls, Afdrukken… and Sluiten."""

    print_requested = Signal()

    def __init__(self, title: str, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreviewDialog")
        self._title = title
        self.preview = PdfPreview(self, shortcut_context=Qt.ShortcutContext.WindowShortcut)
        self.preview.page_changed.connect(self._on_preview_page_changed)
        self.print_action = ScreenAction(
            self, self._on_print_triggered, shortcut=QKeySequence.StandardKey.Print
        )
        self.close_action = ScreenAction(self, self.reject, shortcut="Esc")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.preview, 1)
        layout.addLayout(self._button_row())

        self._retranslate()
        self._fit_to_screen()
        self.preview.load_pdf(data)
        self.preview.setFocus(Qt.FocusReason.OtherFocusReason)

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        self.zoom_buttons: list[ActionButton] = []
        for action in (
            self.preview.zoom_out_action,
            self.preview.zoom_in_action,
            self.preview.fit_width_action,
        ):
            button = ActionButton(action)
            # Enter in the pages must not press a button.
            button.setAutoDefault(False)
            row.addWidget(button)
            self.zoom_buttons.append(button)
        self.page_label = QLabel()
        self.page_label.setObjectName("muted")
        row.addSpacing(SPACING)
        row.addWidget(self.page_label)
        row.addStretch(1)
        self.print_button = ActionButton(self.print_action, "primary")
        self.close_button = ActionButton(self.close_action, "closePreview")
        for push in (self.print_button, self.close_button):
            push.setAutoDefault(False)
            row.addWidget(push)
        return row

    def _fit_to_screen(self) -> None:
        """900 x 720, or less where the screen is smaller (1366x768 at 150%)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = DIALOG_WIDTH, DIALOG_HEIGHT
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() - 2 * MARGIN)
            height = min(height, room.height() - 4 * MARGIN)
        self.resize(width, height)

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        self.setWindowTitle(self._title)
        self.print_action.set_caption(self.tr("Afdrukken…"))
        self.close_action.set_caption(self.tr("Sluiten"))
        self._on_preview_page_changed(self.preview.current_page(), self.preview.page_count())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------- slots

    def _on_preview_page_changed(self, page: int, count: int) -> None:
        text = self.tr("Pagina {page} van {count}").format(page=page + 1, count=count)
        self.page_label.setText(text if count else "")
        self.page_label.setAccessibleName(self.page_label.text())
        self.print_action.setEnabled(count > 0)

    def _on_print_triggered(self) -> None:
        self.print_requested.emit()

    def done(self, result: int) -> None:
        # The plan leaves memory when the window closes, not whenever Python collects it.
        self.preview.clear()
        super().done(result)
