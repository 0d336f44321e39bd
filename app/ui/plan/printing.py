"""Printing the plan from PDF bytes in memory.

`choose_printer(parent)` asks which printer, pages and copies (Qt's print dialog, A4); then
`print_pdf(data, printer)` renders each page to an image and paints it on the printer's page.

Pages are rendered at the printer's resolution but at most `MAX_RENDER_DPI` (300 dpi): a
1200-dpi printer would otherwise cost about 560 MB per A4 page, and 300 dpi is more than text
and a signature need on paper. One page image exists at a time.

Nothing is written to disk by Veldwerk. "Print to file" is not offered in the dialog (it would
put the plan on disk); a real printer's job goes to the print system (on Linux, Qt hands CUPS a
spool file that Qt removes again). The job is named "Veldwerk", never after the client: the
printer's queue is visible to others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from app.ui.plan.pdf_preview import pdf_document

MAX_RENDER_DPI = 300
JOB_NAME = "Veldwerk"


class PrintError(Exception):
    """Printing could not start or go on; the message is for the user, in the UI language."""


def render_dpi(printer: QPrinter) -> int:
    """The resolution pages are rendered at for `printer`: its own, at most 300 dpi."""
    return max(1, min(printer.resolution(), MAX_RENDER_DPI))


def choose_printer(
    parent: QWidget | None, title: str | None = None, *, pages: int = 0
) -> QPrinter | None:
    """Ask for a printer, the pages and the number of copies; None when the user cancels.

    `title` is the dialog's title ("Afdrukken" when not given); `pages`, when known, bounds the
    page range the user may type."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setDocName(JOB_NAME)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title or QCoreApplication.translate("printing", "Afdrukken"))
    option = QAbstractPrintDialog.PrintDialogOption
    dialog.setOptions(option.PrintPageRange | option.PrintCollateCopies | option.PrintShowPageSize)
    if pages > 0:
        dialog.setMinMax(1, pages)
        dialog.setFromTo(1, pages)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
    return printer if accepted else None


def pages_to_print(printer: QPrinter, page_count: int) -> list[int]:
    """The 0-based pages, in printing order: the range chosen in the dialog (none: all pages),
    copies repeated here when the printer does not make them itself."""
    ranges = printer.pageRanges()
    wanted = [page for page in range(page_count) if ranges.isEmpty() or ranges.contains(page + 1)]
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        wanted.reverse()
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    if printer.collateCopies():
        return wanted * copies
    return [page for page in wanted for _ in range(copies)]


def print_pdf(
    data: bytes,
    printer: QPrinter,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Print the PDF `data` on `printer`; returns the number of pages printed.

    `progress(done, total)` is called after each page; `cancelled()` before each page, and
    when it says yes no further page is printed (those printed so far stay in the job). Raises
    `PrintError` when the PDF cannot be read or the printer cannot be opened."""
    document = pdf_document(data)
    if document is None:
        raise PrintError(
            QCoreApplication.translate("printing", "Het document kan niet worden gelezen.")
        )
    try:
        sequence = pages_to_print(printer, document.pageCount())
        return _print_pages(document, sequence, printer, progress, cancelled)
    finally:
        # The pages' data goes now; the document itself (Python's alone) when this returns.
        document.close()


def _print_pages(
    document: QPdfDocument,
    sequence: Sequence[int],
    printer: QPrinter,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    if not sequence or (cancelled is not None and cancelled()):
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(
            QCoreApplication.translate("printing", "De printer kan niet worden geopend.")
        )
    done = 0
    try:
        for page in sequence:
            if done > 0:
                if cancelled is not None and cancelled():
                    break
                if not printer.newPage():
                    raise PrintError(
                        QCoreApplication.translate("printing", "Het afdrukken is mislukt.")
                    )
            _print_page(painter, document, page, printer)
            done += 1
            if progress is not None:
                progress(done, len(sequence))
    finally:
        painter.end()
    return done


def _print_page(painter: QPainter, document: QPdfDocument, page: int, printer: QPrinter) -> None:
    """One PDF page, as large as the printable area allows keeping its shape, centred."""
    size = document.pagePointSize(page)
    area = QRectF(0, 0, printer.width(), printer.height())
    if size.width() <= 0 or size.height() <= 0 or area.isEmpty():
        return
    fit = min(area.width() / size.width(), area.height() / size.height())
    target = QRectF(0, 0, size.width() * fit, size.height() * fit)
    target.moveCenter(area.center())
    # The image has the render resolution's pixels for the target's size on paper.
    factor = render_dpi(printer) / printer.resolution()
    pixels = QSize(max(1, round(target.width() * factor)), max(1, round(target.height() * factor)))
    image = document.render(page, pixels)
    if image.isNull():
        raise PrintError(
            QCoreApplication.translate("printing", "Pagina {page} kan niet worden gemaakt.").format(
                page=page + 1
            )
        )
    _make_opaque(image)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(target, image)
    del image  # before the next page's: one page image in memory at a time


def _make_opaque(image: QImage) -> None:
    """White under the rendered page (QtPdf leaves the paper transparent), then without an
    alpha channel: a printer gets a plain image rather than one with a mask beside it."""
    painter = QPainter(image)
    try:
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationOver)
        painter.fillRect(image.rect(), Qt.GlobalColor.white)
    finally:
        painter.end()
    image.convertTo(QImage.Format.Format_RGB32)
