"""Signature blocks: drawn strokes scaled into their box, and the words for the other cases."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.reports import SignatureMark, client_plan_pdf
from app.reports.signatures import stroke_drawing
from tests.reports.pdf_tools import PdfFile, content_streams, flat
from tests.reports.samples import PAD, sample_plan, signature_strokes

CURVE = re.compile(rb"(?:-?[\d.]+ ){6}c\b")


def curves(pdf: bytes) -> int:
    """The Bézier segments drawn on all pages (the signature's lines are made of them)."""
    return sum(len(CURVE.findall(stream)) for stream in content_streams(pdf))


def without_strokes() -> bytes:
    plan = sample_plan()
    marks = tuple(replace(mark, strokes=()) for mark in plan.signatures)
    return client_plan_pdf(replace(plan, signatures=marks))


def test_the_drawn_signature_is_in_the_pdf(plan_bytes: bytes) -> None:
    drawn = sum(len(stroke) for stroke in signature_strokes() if len(stroke) > 2)
    # One curve per sample between a stroke's ends; the dot is a circle (4 curves).
    assert curves(plan_bytes) - curves(without_strokes()) >= drawn - 4


def test_strokes_fit_the_box_keeping_their_aspect() -> None:
    strokes = signature_strokes()
    mark = SignatureMark(
        "Cliënt", "X", "digital", strokes=strokes, pad_width=PAD[0], pad_height=PAD[1]
    )
    width, height = 200.0, 60.0
    x0, y0, x1, y1 = stroke_drawing(mark, width, height).getBounds()
    assert 0 <= x0 < x1 <= width
    assert 0 <= y0 < y1 <= height
    xs = [p[0] for s in strokes for p in s]
    ys = [p[1] for s in strokes for p in s]
    # Pad 600 x 200 into 200 x 60: the height limits, so 1 pad unit = (60 - 2 insets) / 200.
    scale = (height - 2 * 1.5 * 72 / 25.4) / PAD[1]
    assert (x1 - x0) == pytest.approx((max(xs) - min(xs)) * scale, rel=0.05)
    assert (y1 - y0) == pytest.approx((max(ys) - min(ys)) * scale, rel=0.1)


def test_strokes_without_a_pad_size_fill_the_box_by_their_own_extent() -> None:
    stroke = ((10.0, 10.0, 0.5, 0), (110.0, 60.0, 0.5, 10), (210.0, 10.0, 0.5, 20))
    mark = SignatureMark("Cliënt", "X", "digital", strokes=(stroke,))
    x0, _, x1, _ = stroke_drawing(mark, 100.0, 100.0).getBounds()
    assert x1 - x0 == pytest.approx(100.0 - 2 * 1.5 * 72 / 25.4, abs=2.0)


def test_no_strokes_give_an_empty_drawing() -> None:
    mark = SignatureMark("Cliënt", "X", "digital", strokes=((),))
    assert stroke_drawing(mark, 100.0, 50.0).contents == []


@pytest.mark.parametrize(
    ("mark", "expected", "absent"),
    [
        (
            SignatureMark("Cliënt", "Anna Ëlzinga", None),
            ("Anna Ëlzinga", "Handtekening", "Datum: ____"),
            ("getekend",),
        ),
        (
            SignatureMark("Cliënt", "Anna Ëlzinga", "paper", signed_on=date(2026, 12, 1)),
            ("Getekend op papier op 01-12-2026",),
            ("Handtekening",),
        ),
        (
            SignatureMark("Cliënt", "Anna Ëlzinga", "refused", reason="<geen> zin & tijd"),
            ("Cliënt wil niet tekenen: <geen> zin & tijd",),
            ("Handtekening",),
        ),
        (
            SignatureMark(
                "Klantmanager",
                "Sjoerd de Boer",
                "digital",
                signed_on=date(2026, 12, 2),
                strokes=signature_strokes(20),
                pad_width=PAD[0],
                pad_height=PAD[1],
            ),
            ("Klantmanager", "Sjoerd de Boer", "Digitaal getekend op 02-12-2026"),
            ("Handtekening",),
        ),
    ],
    ids=["unsigned", "paper", "refused", "digital"],
)
def test_each_signature_state_is_worded(
    tmp_path: Path, mark: SignatureMark, expected: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    doc = replace(sample_plan(), signatures=(mark,))
    text = flat(PdfFile.write(client_plan_pdf(doc), tmp_path).text())
    signing = text[text.index("Ondertekening") :]
    for words in expected:
        assert words in signing, words
    for words in absent:
        assert words not in signing, words


def test_a_long_reason_makes_the_box_taller_and_prints_whole(tmp_path: Path) -> None:
    reason = " ".join(f"reden{n}" for n in range(80))
    mark = SignatureMark("Cliënt", "Anna Ëlzinga", "refused", reason=reason)
    doc = replace(sample_plan(), signatures=(mark,))
    text = flat(PdfFile.write(client_plan_pdf(doc), tmp_path).text())
    assert f"Cliënt wil niet tekenen: {reason}" in text


def test_an_unknown_signature_method_is_refused() -> None:
    mark = SignatureMark("Cliënt", "Anna Ëlzinga", "stamp")
    with pytest.raises(ValueError, match="unknown signature method"):
        client_plan_pdf(replace(sample_plan(), signatures=(mark,)))
