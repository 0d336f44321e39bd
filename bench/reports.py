"""Reports benchmark: building the plan van aanpak PDF, rendering it for printing, and memory.

Run from the repository root:

    .venv/bin/python bench/reports.py [--runs 20] [--render-rounds 3] [--dpi 300]

1. build: `app.reports.client_plan_pdf` on the three-page sample plan of the report tests
   (tests/reports/samples.py: 14 actions, radar chart, a drawn signature); median of --runs
   builds after one warm-up build (the warm-up registers the fonts; it is shown apart);
2. render: every page of that PDF through QtPdf as printing does (`QPdfDocument` loaded from a
   `QBuffer` that is the document's child, `render(page, QSize)` at --dpi, A4 at 300 dpi is
   2480 x 3508 px, one page image at a time); the first round in a fresh document and the
   median of --render-rounds more;
3. memory: the extra peak resident memory of rendering all pages, measured in child processes:
   one that only imports Qt and loads the document (baseline), one that also renders; each
   reports its own peak (VmHWM) and the difference is the figure.

Prints figures with their targets and PASS/MISS; asserts nothing (DESIGN.md §2). The plan is
generated sample data: nothing in it is real, and nothing is written to disk (the children get
the PDF on stdin).
"""

from __future__ import annotations

import os
import sys

# Before Qt is loaded: no display means offscreen.
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import PySide6  # noqa: E402
from PySide6.QtCore import (  # noqa: E402
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QSize,
    qVersion,
)
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtPdf import QPdfDocument  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the samples live in tests/
    sys.path.insert(0, str(ROOT))

BUILD_TARGET_MS = 200.0
BUILD_AIM_MS = 50.0
RENDER_TARGET_S = 1.0
MEMORY_TARGET_MIB = 150.0
POINTS_PER_INCH = 72.0
LOAD_TIMEOUT_S = 10.0


# ------------------------------------------------------------------------------------- helpers


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def peak_rss_mib() -> float:
    """This process's peak resident memory: VmHWM, or getrusage's peak where /proc is missing
    (ru_maxrss is KiB on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) / 1024
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def percentile(values: Sequence[float], pct: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None
    digits: int = 1


def print_table(title: str, figures: Sequence[Figure]) -> None:
    print(f"\n{title}")
    label_w = max(len(f.label) for f in figures)
    values = [f"{f.value:,.{f.digits}f}" for f in figures]
    value_w = max(len(v) for v in values)
    unit_w = max(len(f.unit) for f in figures)
    target_w = max(len(f.target) for f in figures)
    for figure, value in zip(figures, values, strict=True):
        verdict = "" if figure.ok is None else ("PASS" if figure.ok else "MISS")
        target = f"target {figure.target:<{target_w}}" if figure.target else ""
        print(
            f"  {figure.label:<{label_w}}  {value:>{value_w}} {figure.unit:<{unit_w}}"
            f"  {target}  {verdict}".rstrip()
        )


# ------------------------------------------------------------------------------------- build


def time_builds(runs: int) -> tuple[float, list[float], bytes]:
    """The first (cold) build's ms, then `runs` warm builds' ms, and the PDF."""
    from app.reports import client_plan_pdf
    from tests.reports.samples import sample_plan

    doc = sample_plan()
    start = time.perf_counter()
    data = client_plan_pdf(doc)
    cold_ms = (time.perf_counter() - start) * 1000
    warm: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        client_plan_pdf(doc)
        warm.append((time.perf_counter() - start) * 1000)
    return cold_ms, warm, data


# ------------------------------------------------------------------------------------ render


def load_document(data: bytes) -> QPdfDocument:
    """A QPdfDocument reading `data` from a QBuffer that is its child (so the buffer lives as
    long as the document reads it), as the app's printing and preview do."""
    document = QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    deadline = time.monotonic() + LOAD_TIMEOUT_S
    while document.status() == QPdfDocument.Status.Loading and time.monotonic() < deadline:
        QCoreApplication.processEvents()
    if document.status() != QPdfDocument.Status.Ready:
        raise RuntimeError(f"QtPdf could not load the PDF: {document.status()}")
    return document


def render_all(document: QPdfDocument, dpi: int) -> tuple[float, tuple[int, int]]:
    """Seconds to render every page at `dpi`, one image at a time, and the last image's size."""
    size = (0, 0)
    start = time.perf_counter()
    for page in range(document.pageCount()):
        points = document.pagePointSize(page)
        pixels = QSize(
            round(points.width() / POINTS_PER_INCH * dpi),
            round(points.height() / POINTS_PER_INCH * dpi),
        )
        image = document.render(page, pixels)
        if image.isNull():
            raise RuntimeError(f"page {page + 1} did not render")
        size = (image.width(), image.height())
        del image  # before the next page's, as printing does
    return time.perf_counter() - start, size


def child(mode: str, dpi: int) -> None:
    """A child process's work: read the PDF from stdin, load it, render it when `mode` is
    "render"; print its peak memory before and after as JSON. Neither child imports reportlab
    or the app: the baseline is Qt and the loaded document."""
    data = sys.stdin.buffer.read()
    app = QGuiApplication(["veldwerk-bench-reports"])
    document = load_document(data)
    loaded = peak_rss_mib()
    seconds = 0.0
    if mode == "render":
        seconds, _ = render_all(document, dpi)
    result = {"loaded_mib": loaded, "peak_mib": peak_rss_mib(), "seconds": seconds}
    document.close()
    del app
    print(json.dumps(result))


def run_child(mode: str, data: bytes, dpi: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--dpi", str(dpi)],
        input=data,
        check=True,
        capture_output=True,
    )
    result: dict[str, float] = json.loads(out.stdout.decode("utf-8").strip().splitlines()[-1])
    return result


# -------------------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20, help="timed builds (default 20)")
    parser.add_argument(
        "--render-rounds", type=int, default=3, help="warm render rounds (default 3)"
    )
    parser.add_argument("--dpi", type=int, default=300, help="render resolution (default 300)")
    parser.add_argument("--child", choices=["baseline", "render"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child, args.dpi)
        return

    import reportlab  # type: ignore[import-untyped]  # here only: the children do without

    app = QGuiApplication(["veldwerk-bench-reports"])
    print("Veldwerk reports benchmark")
    print(
        f"  machine: {platform.platform()}, {os.cpu_count()} CPUs ({cpu_model()}), "
        f"Python {platform.python_version()}, reportlab {reportlab.Version}, "
        f"PySide6 {PySide6.__version__} (Qt {qVersion()}), "
        f"Qt platform '{QGuiApplication.platformName()}'"
    )
    print(
        f"  caveats: a shared, noisy {os.cpu_count()}-core VM: single runs vary by tens of "
        "percent, run twice before believing a MISS. Builds run in a warm process (imports "
        "done); a real first print also pays for importing reportlab (~0.2 s) and the fonts."
    )

    cold_ms, warm_ms, data = time_builds(args.runs)
    document = load_document(data)
    pages = document.pageCount()
    print(
        f"  document: the sample plan van aanpak (tests/reports/samples.py), {pages} pages, "
        f"{len(data) / 1024:,.0f} KiB, fonts embedded as subsets"
    )

    build_median = statistics.median(warm_ms)
    print_table(
        "1. Build the plan PDF (client_plan_pdf, bytes in memory)",
        [
            Figure("first build (registers the fonts)", cold_ms, "ms"),
            Figure(
                f"median of {args.runs} after the warm-up",
                build_median,
                "ms",
                f"<= {BUILD_TARGET_MS:.0f} ms (aim <= {BUILD_AIM_MS:.0f})",
                build_median <= BUILD_TARGET_MS,
            ),
            Figure("   p95 / min", percentile(warm_ms, 95), f"/ {min(warm_ms):.1f} ms"),
            Figure(
                "   within our aim",
                build_median,
                "ms",
                f"<= {BUILD_AIM_MS:.0f} ms",
                build_median <= BUILD_AIM_MS,
            ),
        ],
    )

    first_s, size = render_all(document, args.dpi)
    rounds = [render_all(document, args.dpi)[0] for _ in range(args.render_rounds)]
    document.close()
    warm_s = statistics.median(rounds) if rounds else first_s
    print_table(
        f"2. Render every page for printing (QtPdf, {args.dpi} dpi, {size[0]} x {size[1]} px)",
        [
            Figure(
                f"all {pages} pages, first round",
                first_s,
                "s",
                f"<= {RENDER_TARGET_S:.0f} s",
                first_s <= RENDER_TARGET_S,
                digits=3,
            ),
            Figure(f"all {pages} pages, median of {len(rounds)} more", warm_s, "s", digits=3),
            Figure("   per page (first round)", first_s / pages * 1000, "ms"),
        ],
    )

    baseline = run_child("baseline", data, args.dpi)
    render = run_child("render", data, args.dpi)
    extra = render["peak_mib"] - baseline["peak_mib"]
    print_table(
        "3. Memory of printing (child processes, peak resident memory VmHWM)",
        [
            Figure("baseline child: Qt imported, document loaded", baseline["peak_mib"], "MiB"),
            Figure("render child: the same, then every page rendered", render["peak_mib"], "MiB"),
            Figure(
                "extra peak of rendering (render - baseline)",
                extra,
                "MiB",
                f"<= {MEMORY_TARGET_MIB:.0f} MiB",
                extra <= MEMORY_TARGET_MIB,
            ),
            Figure(
                "   within the render child (after - before rendering)",
                render["peak_mib"] - render["loaded_mib"],
                "MiB",
            ),
        ],
    )
    del app


if __name__ == "__main__":
    main()
