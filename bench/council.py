"""Council report benchmark: `veldwerk-server council-report` on a large caseload in PostgreSQL.

Run from the repository root (PostgreSQL must accept user postgres on 127.0.0.1:5432, or set
VELDWERK_BENCH_POSTGRES_URL to another administrative database URL):

    .venv/bin/python bench/council.py [--clients 10000] [--history-days 730] [--rounds 3]
                                      [--seed 2026]

A scratch database (veldwerk_bench_<random>) is created, migrated and seeded with
`server.seed.seed_demo` (the demo generator: every client's enrollments over up to ten years,
home visits, intakes and notes over the last --history-days days, two years by default where
the demo itself keeps eighteen months, earlier intakes a year or two before, plans). The report
for the half year holding the demo's day (2026-H2, counted up to 23-11-2026) is then made
--rounds times, exactly as the command makes it, into a temporary folder. The database is
dropped at the end, also after an error. Prints figures; asserts nothing (DESIGN.md §2). The data
is the demo generator's: nothing in it is real.

Figures:
 1. the whole report (figures of both periods, disclosure control, SQLite file, PDF, metadata):
    median seconds of --rounds, and the slowest; target <= 10 s on PostgreSQL (issue #16)
 2. where the time goes in the median round: the queries and measures (collect), disclosure
    control over every count (protect), the SQLite file, the PDF
 3. what the report holds: counts, how many withheld, and a few published figures
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

ADMIN_URL = os.environ.get(
    "VELDWERK_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TARGET_S = 10.0
T = TypeVar("T")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def timed(stages: dict[str, float], name: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = work()
    stages[name] = stages.get(name, 0.0) + time.perf_counter() - started
    return result


def one_round(url: str, folder: Path) -> tuple[float, dict[str, float], Any]:
    """The report as `council_report_command` makes it, each stage timed."""
    from app.demo.caseload import DEMO_TODAY
    from server.council.disclosure import protect
    from server.council.files import Outputs
    from server.council.outputs_pdf import report_pdf
    from server.council.outputs_sqlite import (
        METADATA,
        database_name,
        make_database,
        metadata_bytes,
    )
    from server.council.periods import Period
    from server.council.report import Report, collect
    from server.council.scope import Scope
    from server.council.tables import build, resolve_tables
    from server.db import make_engine, make_sessionmaker, session_scope

    stages: dict[str, float] = {}
    engine = make_engine(url)
    started = time.perf_counter()
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            now = datetime.now(UTC)
            data = timed(
                stages,
                "queries and measures",
                lambda: collect(
                    session, Scope.council(), Period(2026, 2), as_of=DEMO_TODAY, now=now
                ),
            )
        grid, drafts = timed(stages, "tables", lambda: build(data))
        protection = timed(
            stages, "disclosure control", lambda: protect(grid.values, grid.equations)
        )
        tables = timed(stages, "tables", lambda: resolve_tables(grid, drafts, protection))
        report = Report(
            Period(2026, 2),
            data.windows.current.last,
            now,
            data.scope,
            data.scope.labels,
            tuple(tables),
        )
        name = database_name(report)
        outputs = Outputs(folder)
        timed(
            stages,
            "SQLite file",
            lambda: outputs.build(f"{name}.db", partial(make_database, report)),
        )
        pdf = timed(stages, "PDF", lambda: report_pdf(report))
        outputs.write(f"{name}.pdf", pdf)
        outputs.write(METADATA, metadata_bytes(report, folder))
        outputs.commit()
    finally:
        engine.dispose()
    return time.perf_counter() - started, stages, report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument(
        "--history-days", type=int, default=730, help="days of visits, intakes and notes"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    from bench.server import cpu_model, scratch_database
    from server.db import make_engine, make_sessionmaker, session_scope
    from server.migrations.runner import upgrade
    from server.seed import seed_demo

    print(f"Machine: {cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    with scratch_database(ADMIN_URL) as url, tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(url)
        started = time.perf_counter()
        try:
            upgrade(engine)
            with session_scope(make_sessionmaker(engine)) as session:
                seeded = seed_demo(
                    session,
                    clients=args.clients,
                    seed=args.seed,
                    history_days=args.history_days,
                )
        finally:
            engine.dispose()
        print(
            f"PostgreSQL seeded with {seeded.clients:,} clients / {seeded.records:,} records "
            f"({args.history_days} days of history) in {time.perf_counter() - started:.1f} s"
        )
        rounds = []
        for n in range(args.rounds):
            folder = Path(tmp) / f"round{n}"
            folder.mkdir()
            rounds.append(one_round(url, folder))
        took = sorted(r[0] for r in rounds)
        median = statistics.median(took)
        print(
            f"1. council report 2026-H2 beside 2026-H1, {seeded.clients:,} clients: median "
            f"{median:.2f} s of {args.rounds} (slowest {took[-1]:.2f} s)   target <= "
            f"{TARGET_S:g} s  {verdict(median <= TARGET_S)}"
        )
        middle = min(rounds, key=lambda r: abs(r[0] - median))
        _took, stages, report = middle
        print("2. " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items()))
        counts = sum(t.counts for t in report.tables)
        withheld = sum(t.withheld for t in report.tables)
        clients = report.table("clients_per_scheme").records()
        whole = next(
            r
            for r in clients
            if r["area"] == "Het Hogeland" and r["scheme"] == "all" and r["period"] == "2026-H2"
        )
        seen = next(
            r
            for r in report.table("seen_at_home").records()
            if r["area"] == "Het Hogeland" and r["period"] == "2026-H2"
        )
        print(
            f"3. {counts:,} counts, {withheld:,} withheld ({100 * withheld / counts:.0f}%); "
            f"Het Hogeland 2026-H2: {whole['clients']} clients in care "
            f"({whole['new_clients']} new, {whole['gone_clients']} gone), "
            f"{seen['share_seen']}% seen at home"
        )


if __name__ == "__main__":
    # Run as `python bench/council.py`, this file's directory is sys.path[0], where server.py
    # would shadow the server package; the repository root goes first instead.
    HERE = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != HERE]
    sys.path.insert(0, str(HERE.parent))
    main()
