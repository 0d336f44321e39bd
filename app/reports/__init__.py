"""Printed documents: frozen dataclasses in, PDF bytes out (DESIGN.md section 2).

`client_plan_pdf`, `visit_report_pdf`, `wmo_report_pdf` and `access_report_pdf` lay out a
document on A4 with the letterhead of its municipality (`letterhead_for`), DejaVu Sans embedded, a
footer with version, reference, content hash and "Pagina n van m", and Dutch PDF metadata. Nothing
here reads storage or writes a file: the caller saves or prints the bytes (and audits that).
"""

from app.reports.access_report import access_report_pdf
from app.reports.client_plan import client_plan_pdf
from app.reports.documents import (
    AccessReportDocument,
    AccessRow,
    ActionRow,
    ClientPlanDocument,
    DocumentMeta,
    Party,
    Point,
    RadarChartData,
    SignatureMark,
    Stroke,
    VisitReportDocument,
    WmoReportDocument,
)
from app.reports.letterhead import Letterhead, letterhead_for
from app.reports.visit_report import visit_report_pdf
from app.reports.wmo_report import wmo_report_pdf

__all__ = [
    "AccessReportDocument",
    "AccessRow",
    "ActionRow",
    "ClientPlanDocument",
    "DocumentMeta",
    "Letterhead",
    "Party",
    "Point",
    "RadarChartData",
    "SignatureMark",
    "Stroke",
    "VisitReportDocument",
    "WmoReportDocument",
    "access_report_pdf",
    "client_plan_pdf",
    "letterhead_for",
    "visit_report_pdf",
    "wmo_report_pdf",
]
