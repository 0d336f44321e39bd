"""DejaVu Sans, registered once with reportlab and embedded in every document.

The standard PDF fonts (Helvetica and friends) are never embedded and cover only Latin-1 through
the printer's own copy; a TrueType font carried in the PDF prints ë, é, ü, ï and the ĳ the same
everywhere. Every style and every `setFont` in this package names one of these three.
"""

from __future__ import annotations

import threading
from importlib import resources

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

__all__ = ["BOLD", "ITALIC", "REGULAR", "register_fonts", "text_width"]

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the fonts with reportlab (the first call reads them; later calls return at once).
    Documents are made off the UI thread, so two may ask at the same moment."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = resources.files("resources").joinpath("fonts")
        for name, file in _FILES.items():
            # From the package's own files (also inside a frozen app), never the system's fonts.
            with folder.joinpath(file).open("rb") as data:
                pdfmetrics.registerFont(TTFont(name, data))
        # So that <b> and <i> in paragraph markup pick these faces, not Helvetica's.
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD
        )
        _registered = True


def text_width(text: str, font: str, size: float) -> float:
    """The width of `text` in points, as reportlab will set it."""
    register_fonts()
    return float(pdfmetrics.stringWidth(text, font, size))
