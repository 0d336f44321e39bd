"""The sample documents, made once per test module: building a PDF takes tens of milliseconds
and most tests only read it."""

from __future__ import annotations

import pytest

from app.reports import client_plan_pdf, visit_report_pdf, wmo_report_pdf
from tests.reports.pdf_tools import PdfFile
from tests.reports.samples import sample_plan, sample_visit, sample_wmo


@pytest.fixture(scope="module")
def plan_bytes() -> bytes:
    return client_plan_pdf(sample_plan())


@pytest.fixture(scope="module")
def plan_pdf(plan_bytes: bytes, tmp_path_factory: pytest.TempPathFactory) -> PdfFile:
    return PdfFile.write(plan_bytes, tmp_path_factory.mktemp("plan"))


@pytest.fixture(scope="module")
def visit_pdf(tmp_path_factory: pytest.TempPathFactory) -> PdfFile:
    return PdfFile.write(visit_report_pdf(sample_visit()), tmp_path_factory.mktemp("visit"))


@pytest.fixture(scope="module")
def wmo_pdf(tmp_path_factory: pytest.TempPathFactory) -> PdfFile:
    return PdfFile.write(wmo_report_pdf(sample_wmo()), tmp_path_factory.mktemp("wmo"))
