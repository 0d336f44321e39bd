"""Printing the plan from bytes: every page (or the chosen ones) on the printer, rendered at no
more than 300 dpi, stoppable, and no file on disk but the one a test prints to."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QPageLayout, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

from app.ui.plan import printing
from app.ui.plan.printing import (
    MAX_RENDER_DPI,
    PrintError,
    choose_printer,
    pages_to_print,
    print_pdf,
    render_dpi,
)

A4_WIDTH_INCHES = 210 / 25.4


def make_pdf(pages: int = 3) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for n in range(1, pages + 1):
        pdf.setFont("Helvetica-Bold", 48)
        pdf.drawString(72, 720, f"Pagina {n}")
        pdf.rect(72, 300, 300, 200, stroke=0, fill=1)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def listing(root: Path) -> set[str]:
    return {
        os.path.relpath(os.path.join(folder, name), root)
        for folder, dirs, files in os.walk(root)
        for name in (*dirs, *files)
    }


@pytest.fixture
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Temp dir and HOME inside tmp_path (Python and Qt read both from the environment):
    anything printing writes, anywhere but its target, shows up under tmp_path."""
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
    yield tmp_path


def pdf_printer(target: Path, dpi: int = 1200) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setResolution(dpi)
    return printer


def pages_in(path: Path) -> int:
    document = QPdfDocument()
    document.load(str(path))
    try:
        assert document.status() == QPdfDocument.Status.Ready
        return document.pageCount()
    finally:
        document.close()


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, QSize]]:
    """Each page render print_pdf asks QtPdf for: the page and the image size."""
    calls: list[tuple[int, QSize]] = []
    original = QPdfDocument.render

    def spy(self: QPdfDocument, page: int, size: QSize, *args: object) -> QImage:
        calls.append((page, QSize(size)))
        return original(self, page, size, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(QPdfDocument, "render", spy)
    return calls


def test_all_pages_print_at_no_more_than_300_dpi(
    tmp_path: Path, renders: list[tuple[int, QSize]]
) -> None:
    target = tmp_path / "uit.pdf"
    printer = pdf_printer(target, 1200)
    assert printer.resolution() == 1200 and render_dpi(printer) == MAX_RENDER_DPI == 300
    seen: list[tuple[int, int]] = []

    printed = print_pdf(
        make_pdf(), printer, progress=lambda done, total: seen.append((done, total))
    )

    assert printed == 3 and seen == [(1, 3), (2, 3), (3, 3)]
    assert pages_in(target) == 3
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True)
        assert any(line.split() == ["Pages:", "3"] for line in info.stdout.splitlines())
    assert [page for page, _ in renders] == [0, 1, 2]
    for _, size in renders:
        # At most the paper's width at 300 dpi: 2,480 pixels, not 9,921 (and 1/16 the memory).
        assert 0 < size.width() <= A4_WIDTH_INCHES * 300 + 1


def test_render_dpi_follows_a_lower_resolution(tmp_path: Path) -> None:
    assert render_dpi(pdf_printer(tmp_path / "a.pdf", 150)) == 150
    assert render_dpi(pdf_printer(tmp_path / "b.pdf", 300)) == 300
    assert render_dpi(pdf_printer(tmp_path / "c.pdf", 600)) == 300


def test_the_paper_stays_white_and_the_ink_black(tmp_path: Path) -> None:
    target = tmp_path / "uit.pdf"
    print_pdf(make_pdf(1), pdf_printer(target, 300))
    document = QPdfDocument()
    document.load(str(target))
    image = document.render(0, QSize(210, 297))
    document.close()
    corner = image.pixelColor(5, 5)
    block = image.pixelColor(round(210 * 200 / 595), round(297 * (1 - 400 / 842)))
    assert (corner.alpha(), corner.lightness()) == (255, 255), corner.name()
    assert block.lightness() < 60, block.name()


def test_a_page_range_prints_only_those_pages(
    tmp_path: Path, renders: list[tuple[int, QSize]]
) -> None:
    target = tmp_path / "uit.pdf"
    printer = pdf_printer(target)
    printer.setFromTo(2, 3)
    assert print_pdf(make_pdf(), printer) == 2
    assert pages_in(target) == 2
    assert [page for page, _ in renders] == [1, 2]


def test_cancel_after_the_first_page_stops(tmp_path: Path) -> None:
    target = tmp_path / "uit.pdf"
    done: list[int] = []
    printed = print_pdf(
        make_pdf(),
        pdf_printer(target),
        progress=lambda n, _total: done.append(n),
        cancelled=lambda: len(done) >= 1,
    )
    assert printed == 1 and done == [1]
    assert pages_in(target) == 1


def test_copies_are_made_when_the_printer_does_not_make_them(tmp_path: Path) -> None:
    printer = pdf_printer(tmp_path / "uit.pdf")
    printer.setCopyCount(2)
    printer.setCollateCopies(True)
    if printer.supportsMultipleCopies():
        pytest.skip("this Qt's PDF printer makes copies itself")
    assert pages_to_print(printer, 3) == [0, 1, 2, 0, 1, 2]
    printer.setCollateCopies(False)
    assert pages_to_print(printer, 3) == [0, 0, 1, 1, 2, 2]
    printer.setPageOrder(QPrinter.PageOrder.LastPageFirst)
    printer.setCopyCount(1)
    assert pages_to_print(printer, 3) == [2, 1, 0]

    printer.setPageOrder(QPrinter.PageOrder.FirstPageFirst)
    printer.setCopyCount(2)
    assert print_pdf(make_pdf(), printer) == 6
    assert pages_in(tmp_path / "uit.pdf") == 6


def test_only_the_target_file_appears(private_dirs: Path) -> None:
    out = private_dirs / "out"
    out.mkdir()
    before = listing(private_dirs)

    print_pdf(make_pdf(), pdf_printer(out / "uit.pdf"))

    assert listing(private_dirs) - before == {"out/uit.pdf"}
    assert before - listing(private_dirs) == set()


def test_bytes_that_are_no_pdf_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "uit.pdf"
    with pytest.raises(PrintError, match="Het document kan niet worden gelezen."):
        print_pdf(b"no pdf at all", pdf_printer(target))
    assert not target.exists()


def test_choose_printer_asks_for_a4_high_resolution_and_no_file(
    monkeypatch: pytest.MonkeyPatch, qtbot: object
) -> None:
    shown: list[QPrintDialog] = []
    answer = [QDialog.DialogCode.Rejected]

    class Answering(QPrintDialog):
        def exec(self) -> int:
            shown.append(self)
            return int(answer[0])

    monkeypatch.setattr(printing, "QPrintDialog", Answering)
    parent = QWidget()
    try:
        assert choose_printer(parent) is None
        dialog = shown[-1]
        assert dialog.windowTitle() == "Afdrukken"
        option = QAbstractPrintDialog.PrintDialogOption
        assert not dialog.testOption(option.PrintToFile)
        assert dialog.testOption(option.PrintPageRange)

        answer[0] = QDialog.DialogCode.Accepted
        printer = choose_printer(parent, "Plan afdrukken", pages=3)
        assert printer is not None
        assert shown[-1].windowTitle() == "Plan afdrukken"
        assert (shown[-1].minPage(), shown[-1].maxPage()) == (1, 3)
        assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
        assert printer.pageLayout().orientation() == QPageLayout.Orientation.Portrait
        assert printer.docName() == "Veldwerk"  # never the client's name in a print queue
    finally:
        parent.deleteLater()
