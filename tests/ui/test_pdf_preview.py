"""The plan's preview from PDF bytes: pages, keys, the QBuffer that must outlive Python's
references, and no file left on disk."""

from __future__ import annotations

import gc
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

from app.ui.plan.pdf_preview import PdfPreview, PdfPreviewDialog, pdf_document

CTRL = Qt.KeyboardModifier.ControlModifier


def make_pdf(pages: int = 3) -> bytes:
    """An A4 PDF whose page n has "Pagina n" and a black block lower on the page each time."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for n in range(1, pages + 1):
        pdf.setFont("Helvetica-Bold", 48)
        pdf.drawString(72, 720, f"Pagina {n}")
        pdf.rect(72, 560 - 150 * n, 300, 120, stroke=0, fill=1)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def dark_share(image: QImage) -> float:
    """The share of sampled pixels that are dark (ink rather than paper)."""
    step = 4
    dark = total = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colour = image.pixelColor(x, y)
            total += 1
            dark += colour.alpha() > 128 and colour.lightness() < 80
    return dark / max(total, 1)


def listing(*roots: Path) -> set[str]:
    return {
        os.path.relpath(os.path.join(folder, name), root)
        for root in roots
        for folder, dirs, files in os.walk(root)
        for name in (*dirs, *files)
    }


@pytest.fixture
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """A temp dir and a HOME of the test's own (Python and Qt read both from the environment),
    so whatever the preview would write shows up there and nothing else does."""
    temp, home = tmp_path / "tmp", tmp_path / "home"
    temp.mkdir()
    home.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("HOME", str(home))
    for name, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    assert tempfile.gettempdir() == str(temp)
    yield temp, home


@pytest.fixture
def dialog(qtbot: QtBot) -> PdfPreviewDialog:
    window = PdfPreviewDialog("Plan van aanpak — voorbeeld", make_pdf())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)
    return window


def test_the_dialog_shows_every_page_and_the_keys_page_and_zoom(
    qtbot: QtBot, dialog: PdfPreviewDialog
) -> None:
    preview = dialog.preview
    assert dialog.windowTitle() == "Plan van aanpak — voorbeeld"
    assert preview.page_count() == 3 and preview.current_page() == 0
    assert preview.view.pageMode() == QPdfView.PageMode.MultiPage
    assert dialog.page_label.text() == "Pagina 1 van 3"
    assert preview.view.hasFocus()

    QTest.keyClick(preview.view, Qt.Key.Key_PageDown)
    assert preview.current_page() == 1 and dialog.page_label.text() == "Pagina 2 van 3"
    QTest.keyClick(preview.view, Qt.Key.Key_PageDown)
    QTest.keyClick(preview.view, Qt.Key.Key_PageDown)  # past the last page: stays there
    assert preview.current_page() == 2 and dialog.page_label.text() == "Pagina 3 van 3"
    assert not preview.next_page_action.isEnabled()
    QTest.keyClick(preview.view, Qt.Key.Key_PageUp)
    assert preview.current_page() == 1

    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    fitted = preview.zoom_factor()
    QTest.keyClick(preview.view, Qt.Key.Key_Plus, CTRL)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert preview.zoom_factor() == pytest.approx(fitted * 1.25)
    QTest.keyClick(preview.view, Qt.Key.Key_Minus, CTRL)
    QTest.keyClick(preview.view, Qt.Key.Key_Minus, CTRL)
    assert preview.zoom_factor() == pytest.approx(fitted / 1.25)
    assert preview.current_page() == 1, "zooming keeps the page in view"
    QTest.keyClick(preview.view, Qt.Key.Key_0, CTRL)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth

    with qtbot.waitSignal(dialog.print_requested):
        QTest.keyClick(preview.view, Qt.Key.Key_P, CTRL)
    assert dialog.isVisible()
    assert dialog.print_button.toolTip() == "Afdrukken… (Ctrl+P)"
    assert dialog.close_button.toolTip() == "Sluiten (Esc)"
    assert [b.toolTip() for b in dialog.zoom_buttons] == [
        "Uitzoomen (Ctrl+-)",
        "Inzoomen (Ctrl++)",
        "Paginabreedte (Ctrl+0)",
    ]

    with qtbot.waitSignal(dialog.rejected):
        QTest.keyClick(preview.view, Qt.Key.Key_Escape)
    assert preview.document() is None and preview.page_count() == 0


def test_a_document_from_bytes_outlives_every_python_reference() -> None:
    """QtPdf reads a page's bytes when the page is first needed. With the QBuffer only
    Python's, gc would have freed it by then, and this test would crash."""
    document = pdf_document(make_pdf())
    assert document is not None
    gc.collect()
    assert document.pageCount() == 3
    assert document.pagePointSize(2).width() == pytest.approx(595.3, abs=0.1)
    image = document.render(2, QSize(298, 421))
    assert not image.isNull() and dark_share(image) > 0.05
    buffers = document.findChildren(QBuffer)
    assert len(buffers) == 1 and buffers[0].isOpen()
    document.close()
    assert pdf_document(b"no pdf") is None


def test_later_pages_render_after_python_dropped_its_references(qtbot: QtBot) -> None:
    """The QBuffer under the document is the document's child: Python holding none of it
    must not take the bytes away from the view's render thread."""
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.resize(600, 500)
    preview.show()
    assert preview.load_pdf(make_pdf())
    gc.collect()

    document = preview.document()
    assert document is not None
    buffers = document.findChildren(QBuffer)
    assert len(buffers) == 1 and buffers[0].isOpen()
    del buffers, document
    gc.collect()

    preview.go_to_page(2)
    qtbot.waitUntil(lambda: dark_share(preview.view.grab().toImage()) > 0.002)
    document = preview.document()
    assert document is not None
    image = document.render(2, QSize(298, 421))
    assert not image.isNull() and dark_share(image) > 0.05

    # Replacing the document disposes of the old one (and its buffer) once Qt gets round to
    # it; the new one renders all the same.
    old = document
    destroyed: list[bool] = []
    old.destroyed.connect(lambda: destroyed.append(True))
    del document
    assert preview.load_pdf(make_pdf(4))
    del old
    qtbot.waitUntil(lambda: bool(destroyed))
    gc.collect()
    assert preview.page_count() == 4 and preview.current_page() == 0
    preview.go_to_page(3)
    qtbot.waitUntil(lambda: preview.current_page() == 3)
    qtbot.waitUntil(lambda: dark_share(preview.view.grab().toImage()) > 0.002)


def test_bytes_that_are_no_pdf_give_a_message(qtbot: QtBot) -> None:
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.show()
    assert not preview.load_pdf(b"%PDF-1.4 this is not a document")
    assert preview.page_count() == 0 and preview.message_label.isVisible()
    assert preview.message_label.text() == "Dit PDF-bestand kan niet worden getoond."
    assert preview.load_pdf(make_pdf(1))
    assert preview.page_count() == 1 and not preview.message_label.isVisible()


def test_the_preview_writes_nothing_to_disk(qtbot: QtBot, private_dirs: tuple[Path, Path]) -> None:
    temp, home = private_dirs
    before = listing(temp, home)

    window = PdfPreviewDialog("Plan van aanpak", make_pdf())
    qtbot.addWidget(window)
    window.show()
    window.preview.go_to_page(2)
    qtbot.waitUntil(lambda: dark_share(window.preview.view.grab().toImage()) > 0.002)
    window.preview.zoom_in()
    window.preview.load_pdf(make_pdf(2))
    window.reject()
    QApplication.processEvents()
    gc.collect()

    assert listing(temp, home) == before
