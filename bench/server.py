"""Server benchmark: authenticated requests per second on PostgreSQL, 1 and 2 uvicorn workers.

Run from the repository root (PostgreSQL must accept user postgres on 127.0.0.1:5432, or set
VELDWERK_BENCH_POSTGRES_URL to another administrative database URL):

    .venv/bin/python bench/server.py [--requests 3000] [--concurrency 8] [--clients 200]
                                     [--devices 1] [--seed 2026]

It creates a scratch database (veldwerk_bench_<random>), migrates it and fills it with the demo
data (what `veldwerk-server init-db` and `demo-seed` do), enrolls caseworker devices, then for 1
and for 2 workers starts `veldwerk-server serve` on a free port of 127.0.0.1, waits for
/v1/health, warms up, and sends a fixed number of authenticated GETs from a thread pool, one
requests.Session per thread: /v1/me, /v1/clients (the caseworker's caseload) and
/v1/clients/{id} (one dossier; every read is audited, so it writes a row) in turn. It prints
req/s and p50/p95/p99 latency overall and per endpoint, and the 2-worker / 1-worker ratio. The
database is dropped at the end. Prints figures; asserts nothing (DESIGN.md §2). The data is the
demo generator's: nothing in it is real.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get(
    "VELDWERK_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 30.0


# ------------------------------------------------------------------------------------- helpers


def percentile(values: Sequence[float], pct: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


@contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for this run, dropped afterwards whatever happens."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"veldwerk_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass(frozen=True)
class Prepared:
    caseworker: str
    tokens: list[str]
    clients: int
    records: int
    server_version: str
    seconds: float


def prepare(url: str, *, clients: int, seed: int, devices_wanted: int) -> Prepared:
    """init-db, demo-seed and enrollment, through the same functions the CLI calls."""
    # Imported here, not at the top: see the end of this file.
    from server.crud import devices
    from server.db import make_engine, make_sessionmaker, session_scope
    from server.migrations.runner import upgrade
    from server.seed import DEMO_CASEWORKERS, seed_demo

    caseworker = DEMO_CASEWORKERS[0]
    started = time.perf_counter()
    engine = make_engine(url)
    try:
        upgrade(engine)
        factory = make_sessionmaker(engine)
        with session_scope(factory) as session:
            seeded = seed_demo(session, clients=clients, seed=seed)
        password = next(p for user, _, p in seeded.accounts if user == caseworker)
        tokens = []
        for n in range(devices_wanted):
            with session_scope(factory) as session:
                code = devices.issue_enrollment_code(session, username=caseworker, by="bench")
            with session_scope(factory) as session:
                enrolled = devices.enroll(
                    session,
                    username=caseworker,
                    password=password,
                    code=code,
                    device_name=f"bench {n + 1}",
                    address="bench",
                )
                tokens.append(enrolled.token)
        with engine.connect() as conn:
            version = str(conn.execute(text("SHOW server_version")).scalar_one())
    finally:
        engine.dispose()
    took = time.perf_counter() - started
    return Prepared(caseworker, tokens, seeded.clients, seeded.records, version, took)


# -------------------------------------------------------------------------------------- server


def server_command() -> list[str]:
    script = Path(sys.executable).with_name("veldwerk-server")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "server.cli"]


@contextmanager
def running_server(url: str, workers: int, log_dir: Path) -> Iterator[str]:
    """`veldwerk-server serve` as a subprocess; yields its base URL; terminates it afterwards."""
    port = free_port()
    log_path = log_dir / f"server-{workers}w.log"
    env = {**os.environ, "VELDWERK_DATABASE_URL": url}
    command = [*server_command(), "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://{HOST}:{port}"
    with serving(process, "the server", f"{base}/v1/health", log_path):
        yield base


@contextmanager
def serving(
    process: subprocess.Popen[bytes],
    name: str,
    health_url: str,
    log_path: Path,
    *,
    verify: str | bool = True,
    timeout_s: float = START_TIMEOUT_S,
) -> Iterator[None]:
    """A server started as `process`: waits until `health_url` answers 200 (failing, with the
    end of its log, if it exits first or `timeout_s` passes), yields, and terminates it
    afterwards (killed if it lingers), also after an error."""
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with {process.returncode}:\n{log_tail(log_path)}"
                )
            try:
                if requests.get(health_url, timeout=2, verify=verify).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"no answer on {health_url} after {timeout_s:.0f} s:\n{log_tail(log_path)}"
                )
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_tail(path: Path, chars: int = 2000) -> str:
    """The end of a log file, for an error message."""
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"


# ---------------------------------------------------------------------------------------- load


@dataclass(frozen=True)
class Sample:
    endpoint: str
    seconds: float
    ok: bool


@dataclass(frozen=True)
class Run:
    workers: int
    wall_s: float
    samples: list[Sample]
    health_s: float

    @property
    def rate(self) -> float:
        return len(self.samples) / self.wall_s

    @property
    def errors(self) -> int:
        return sum(not s.ok for s in self.samples)


def fire(
    base: str, paths: list[tuple[str, str]], tokens: list[str], concurrency: int
) -> tuple[float, list[Sample]]:
    """Send every (endpoint label, path) once, `concurrency` at a time. Thread n uses its own
    requests.Session and token n mod len(tokens)."""
    local = threading.local()
    opened: list[requests.Session] = []
    lock = threading.Lock()

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            http = requests.Session()
            with lock:
                http.headers["Authorization"] = f"Bearer {tokens[len(opened) % len(tokens)]}"
                opened.append(http)
            local.session = http
        current: requests.Session = local.session
        return current

    def one(item: tuple[str, str]) -> Sample:
        label, path = item
        http = session()
        started = time.perf_counter()
        try:
            response = http.get(base + path, timeout=REQUEST_TIMEOUT_S)
            ok = response.status_code == 200
        except requests.RequestException:
            ok = False
        return Sample(label, time.perf_counter() - started, ok)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        started = time.perf_counter()
        samples = list(pool.map(one, paths))
        wall = time.perf_counter() - started
    for http in opened:
        http.close()
    return wall, samples


def sequential_health(base: str, count: int = 30) -> float:
    """Median of `count` GET /v1/health one after another on one kept-alive connection: no
    database, no concurrency, so it shows the transport alone (a ~40 ms figure here is Nagle's
    algorithm meeting delayed ACKs, not the application)."""
    times = []
    with requests.Session() as http:
        for _ in range(count):
            started = time.perf_counter()
            http.get(f"{base}/v1/health", timeout=REQUEST_TIMEOUT_S).raise_for_status()
            times.append(time.perf_counter() - started)
    return statistics.median(times[1:])  # the first one pays for the connection


def workload(client_id: str, count: int) -> list[tuple[str, str]]:
    mix = [
        ("GET /v1/me", "/v1/me"),
        ("GET /v1/clients", "/v1/clients"),
        ("GET /v1/clients/{id}", f"/v1/clients/{client_id}"),
    ]
    return [mix[n % len(mix)] for n in range(count)]


# -------------------------------------------------------------------------------------- report


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def print_run(run: Run) -> None:
    print(
        f"\n{run.workers} worker{'s' if run.workers > 1 else ''}: {len(run.samples):,} requests "
        f"in {run.wall_s:.2f} s = {run.rate:,.0f} req/s"
        + (f"  ({run.errors} not 200!)" if run.errors else "")
    )
    health = f"{run.health_s * 1000:.1f}"
    print(f"  sequential GET /v1/health on one kept-alive connection: p50 {health} ms")
    print(f"  {'endpoint':<22} {'count':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    labels = sorted({s.endpoint for s in run.samples})
    for label in [*labels, "all"]:
        times = [s.seconds for s in run.samples if label in ("all", s.endpoint)]
        share = len(times) / run.wall_s
        print(
            f"  {label:<22} {len(times):>6} {share:>7,.0f} {ms(percentile(times, 50))} "
            f"{ms(percentile(times, 95))} {ms(percentile(times, 99))}"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=3000, help="per run (default 3000)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--clients", type=int, default=200, help="demo clients (default 200)")
    parser.add_argument(
        "--devices",
        type=int,
        default=1,
        help="caseworker devices (tokens) the threads share (default 1; one per thread is "
        "what a real office looks like)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.requests < 3 or args.concurrency < 1 or args.devices < 1:
        parser.error("--requests >= 3, --concurrency >= 1 and --devices >= 1, please")
    warmup = max(60, args.requests // 10)

    print("Veldwerk server benchmark")
    print(
        f"  machine: {platform.platform()}, {os.cpu_count()} CPUs ({cpu_model()}), "
        f"Python {platform.python_version()}, uvicorn {uvicorn.__version__}, "
        f"psycopg {psycopg.__version__}"
    )
    print(
        f"  caveat: the load generator (Python threads, {args.concurrency} at a time) runs on the "
        f"same {os.cpu_count()}-CPU machine as the server and PostgreSQL, and competes with them "
        "for the CPUs: the figures are a lower bound, and the 2-worker / 1-worker ratio is "
        "compressed (it cannot show the gain a second core would give a server of its own)."
    )

    with scratch_database(ADMIN_URL) as url, tempfile.TemporaryDirectory() as logs:
        ready = prepare(url, clients=args.clients, seed=args.seed, devices_wanted=args.devices)
        print(
            f"  database: PostgreSQL {ready.server_version}, scratch database "
            f"{make_url(url).database}; {ready.clients} demo clients, {ready.records:,} records "
            f"(migrated, seeded, {args.devices} device(s) of {ready.caseworker} enrolled in "
            f"{ready.seconds:.1f} s)"
        )
        print(
            f"  load: {args.requests:,} GETs per run after {warmup} warm-up requests, "
            f"concurrency {args.concurrency}, /v1/me, /v1/clients, /v1/clients/{{id}} in turn"
        )
        runs = []
        for workers in (1, 2):
            with running_server(url, workers, Path(logs)) as base:
                caseload = requests.get(
                    f"{base}/v1/clients",
                    headers={"Authorization": f"Bearer {ready.tokens[0]}"},
                    timeout=REQUEST_TIMEOUT_S,
                )
                caseload.raise_for_status()
                client_id = str(caseload.json()[0]["id"])
                fire(base, workload(client_id, warmup), ready.tokens, args.concurrency)
                wall, samples = fire(
                    base, workload(client_id, args.requests), ready.tokens, args.concurrency
                )
                health = sequential_health(base)
            runs.append(Run(workers, wall, samples, health))
            print_run(runs[-1])

    one, two = runs
    print(
        f"\n2 workers / 1 worker: {two.rate / one.rate:.2f}x req/s "
        f"({one.rate:,.0f} -> {two.rate:,.0f}); p95 "
        f"{percentile([s.seconds for s in one.samples], 95) * 1000:.1f} -> "
        f"{percentile([s.seconds for s in two.samples], 95) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    # Run as `python bench/server.py`, this file's directory is sys.path[0], and this file is
    # called server.py: `import server` would find it instead of the server package.
    HERE = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != HERE]
    main()
