"""Reading a generated PDF the way a reader would: poppler's pdftotext, pdffonts and pdfinfo
(poppler-utils), and the decoded page content streams for what is drawn."""

from __future__ import annotations

import base64
import re
import subprocess
import zlib
from dataclasses import dataclass
from itertools import count
from pathlib import Path

__all__ = ["FontRow", "PdfFile", "content_streams", "flat"]

_names = count()


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool


@dataclass(frozen=True)
class PdfFile:
    path: Path

    @classmethod
    def write(cls, data: bytes, folder: Path) -> PdfFile:
        path = folder / f"document-{next(_names)}.pdf"
        path.write_bytes(data)
        return cls(path)

    def text(self, *, layout: bool = False) -> str:
        args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(self.path), "-"]
        return _run(args)

    def pages_text(self) -> list[str]:
        """The text of each page (pdftotext ends every page with a form feed)."""
        return self.text(layout=True).split("\f")[:-1]

    def fonts(self) -> list[FontRow]:
        lines = _run(["pdffonts", str(self.path)]).splitlines()
        header = lines[0]
        # Columns by the header's positions: a font name never contains two spaces in a row.
        emb_at = header.index("emb")
        type_at = header.index("type")
        return [
            FontRow(
                name=line[:type_at].strip(),
                type=line[type_at:emb_at].split("  ")[0].strip(),
                embedded=line[emb_at : emb_at + 3].strip() == "yes",
            )
            for line in lines[2:]
            if line.strip()
        ]

    def info(self) -> dict[str, str]:
        out = _run(["pdfinfo", str(self.path)])
        pairs = (line.split(":", 1) for line in out.splitlines() if ":" in line)
        return {key.strip(): value.strip() for key, value in pairs}


def _run(args: list[str]) -> str:
    result = subprocess.run(args, check=True, capture_output=True)
    return result.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace (line breaks, layout spaces) as single spaces: a sentence wrapped over two
    lines still reads as one."""
    return " ".join(text.split())


_STREAM = re.compile(rb"<<(?P<dict>(?:(?!>>).)*?)>>\s*stream\r?\n", re.S)
_LENGTH = re.compile(rb"/Length (\d+)\b")


def content_streams(pdf: bytes) -> list[bytes]:
    """Every stream in the file, decoded (reportlab compresses with Flate, and in some versions
    wraps that in ASCII85): page contents, font programs. Enough to count drawing operators."""
    streams = []
    for match in _STREAM.finditer(pdf):
        head = match["dict"]
        length = _LENGTH.search(head)
        if length is None:
            continue
        data = pdf[match.end() : match.end() + int(length[1])]
        if b"/ASCII85Decode" in head:
            data = base64.a85decode(data.strip(), adobe=True)
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        streams.append(data)
    return streams
