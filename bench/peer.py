"""Peer benchmark: the server's first-sync pull beside Kinto 26.5's, same machine, same records.

Run from the repository root (PostgreSQL must accept user postgres on 127.0.0.1:5432, or set
VELDWERK_BENCH_POSTGRES_URL to another administrative database URL):

    .venv/bin/python bench/peer.py [--clients 500] [--runs 3] [--warm-up 3] [--workers 2]
                                   [--seed 2026] [--kinto-venv DIR]

Issue #13 asks that a first-sync pull serves at least Kinto's rows per second on the same
machine. bench/sync.py compares with a fixed figure taken on another day with unknown record
sizes; this bench measures Kinto here and now, on the same PostgreSQL, serving the very JSON
documents our server sends in a first sync:

 1. A scratch database is seeded with `server.seed.seed_demo` (twice `--clients`: the demo deals
    clients to two caseworkers) and `veldwerk-server serve` starts (bench.sync.central). A new
    device pulls its whole first sync once, untimed (the server's warm-up), and every record
    object of it is kept.
 2. Kinto 26.5 runs from its own virtualenv (`--kinto-venv`; by default one under
    ~/.cache/veldwerk-bench is created with pip when missing; Kinto is no dependency of
    Veldwerk), with PostgreSQL storage, permission and cache backends on a second scratch
    database, pages of MAX_PAGE_SIZE records, basic auth, served by waitress on 127.0.0.1. The
    same records are copied into its `objects` table (the record's own `id` as Kinto's id), and
    a HEAD and one untimed pass through all pages (Kinto's warm-up) check that it serves them
    all, and each one as our server does. Both databases are vacuumed and analyzed, and each
    server does `--warm-up` more untimed pulls.
 3. `--runs` rounds, each: a fresh device's first sync from our server, pages back to back
    (bench.sync.pull_server_only, uncompressed), then all of Kinto's pages back to back
    (GET .../records?_limit=MAX_PAGE_SIZE&_sort=-last_modified, following Next-Page, as
    kinto-http lists a collection), timed from request to whole body and parsed with json with
    the cyclic collector paused, the same way for both. Median and range of rows/s, and the ratio.

Scratch databases, the Kinto process and temporary files are removed at the end, also after an
error. Prints figures; asserts nothing (DESIGN.md §2). The data is the demo generator's: nothing
in it is real.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.sync import Central

KINTO_REQUIREMENT = "kinto[postgresql]==26.5.0"
DEFAULT_KINTO_VENV = Path.home() / ".cache" / "veldwerk-bench" / "kinto-26.5"
BUCKET = "veldwerk"
COLLECTION = "first-sync"
PARENT_ID = f"/buckets/{BUCKET}/collections/{COLLECTION}"
KINTO_AUTH = ("bench", "bench password, not secret")
REQUEST_TIMEOUT_S = 120.0
START_TIMEOUT_S = 60.0
# Issue #13: a first-sync pull serves at least Kinto's rows per second on the same machine.
TARGET_RATIO = 1.0


# ----------------------------------------------------------------------------------- our side


@dataclass
class FirstSync:
    records: list[dict[str, Any]]
    body_bytes: int
    pages: int


def collect_first_sync(central: Central, home: Path, name: str) -> FirstSync:
    """A new device's whole first sync, untimed, as pull_server_only asks for it, keeping the
    record objects: the documents Kinto is given to serve."""
    import requests

    from app.services import sync as sync_service
    from app.sync.protocol import MAX_PAGE_SIZE, PROTOCOL_HEADER, PROTOCOL_VERSION
    from bench.sync import enroll_device

    device = enroll_device(central, home, name)
    token = str(device.store.setting(sync_service.TOKEN))
    device.store.close()
    records: list[dict[str, Any]] = []
    body_bytes = pages = 0
    cursor: str | None = None
    with requests.Session() as http:
        http.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept-Encoding": "identity",
                PROTOCOL_HEADER: str(PROTOCOL_VERSION),
            }
        )
        while True:
            answer = http.post(
                central.base + "/v1/sync/pull",
                json={"cursor": cursor, "applied": cursor, "limit": MAX_PAGE_SIZE},
                timeout=REQUEST_TIMEOUT_S,
            )
            answer.raise_for_status()
            body_bytes += len(answer.content)
            pages += 1
            page = json.loads(answer.content)
            records.extend(page["records"])
            cursor = page["cursor"]
            if not page["more"]:
                break
    return FirstSync(records, body_bytes, pages)


def kinto_ids(records: list[dict[str, Any]]) -> list[str]:
    """The record's own id where it is unique in the first sync (Kinto's id then says what
    ours does); entity-qualified otherwise, so no record is lost to a clash in Kinto's key."""
    from collections import Counter

    counts = Counter(str(r["id"]) for r in records)
    return [
        str(r["id"]) if counts[str(r["id"])] == 1 else f"{r['entity']}-{r['id']}" for r in records
    ]


# -------------------------------------------------------------------------------------- Kinto


def kinto_executable(venv: Path | None) -> Path:
    if venv is not None:
        kinto = venv / "bin" / "kinto"
        if not kinto.exists():
            raise SystemExit(f"--kinto-venv {venv}: no bin/kinto there")
        return kinto
    kinto = DEFAULT_KINTO_VENV / "bin" / "kinto"
    if not kinto.exists():
        print(
            f"Creating a Kinto virtualenv in {DEFAULT_KINTO_VENV} "
            f"(python3 -m venv; pip install '{KINTO_REQUIREMENT}')...",
            flush=True,
        )
        python3 = shutil.which("python3") or sys.executable
        subprocess.run([python3, "-m", "venv", str(DEFAULT_KINTO_VENV)], check=True)
        subprocess.run(
            [
                str(DEFAULT_KINTO_VENV / "bin" / "python"),
                *("-m", "pip", "install", "--quiet", KINTO_REQUIREMENT),
            ],
            check=True,
        )
    return kinto


def libpq_url(sqlalchemy_url: str) -> str:
    """The scratch database's URL without the SQLAlchemy driver name: Kinto's SQLAlchemy uses
    psycopg2 for plain postgresql://, and psycopg takes it as a conninfo."""
    from sqlalchemy.engine import make_url

    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(False)


def write_ini(path: Path, database: str, threads: int) -> None:
    from app.sync.protocol import MAX_PAGE_SIZE

    # `kinto init --backend postgresql` puts all three backends on PostgreSQL; pagination tokens
    # only touch the cache on DELETE, so a GET pays for storage and permissions alone. Kinto
    # fetches a page's limit + 1 objects, hence a fetch size above the page size. Logging at
    # WARNING: Kinto's per-request summary at INFO would be work our server does not do.
    path.write_text(
        f"""[server:main]
use = egg:waitress#main
host = 127.0.0.1
port = %(http_port)s
threads = {threads}

[app:main]
use = egg:kinto
kinto.storage_backend = kinto.core.storage.postgresql
kinto.storage_url = {database}
kinto.storage_max_fetch_size = {2 * MAX_PAGE_SIZE}
kinto.cache_backend = kinto.core.cache.postgresql
kinto.cache_url = {database}
kinto.permission_backend = kinto.core.permission.postgresql
kinto.permission_url = {database}
kinto.paginate_by = {MAX_PAGE_SIZE}
kinto.userid_hmac_secret = {secrets.token_hex(32)}
multiauth.policies = basicauth
kinto.bucket_create_principals = system.Authenticated

[loggers]
keys = root, kinto

[handlers]
keys = console

[formatters]
keys = plain

[logger_root]
level = WARNING
handlers = console

[logger_kinto]
level = WARNING
handlers = console
qualname = kinto
propagate = 0

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = plain

[formatter_plain]
class = logging.Formatter
""",
        encoding="utf-8",
    )


@contextmanager
def running_kinto(kinto: Path, ini: Path, log_dir: Path) -> Iterator[str]:
    """`kinto start` (pserve with waitress) as a subprocess; yields its base URL."""

    from bench.server import HOST, free_port, serving

    port = free_port()
    log_path = log_dir / "kinto.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(kinto), "start", "--ini", str(ini), "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://{HOST}:{port}"
    with serving(process, "Kinto", f"{base}/v1/__heartbeat__", log_path, timeout_s=START_TIMEOUT_S):
        yield base


def load_kinto(base: str, database: str, records: list[dict[str, Any]]) -> float:
    """Bucket and collection over HTTP (so Kinto writes their permissions itself), then the
    records copied straight into its `objects` table. Returns the seconds the copy took."""
    import psycopg
    import requests

    for path in (f"/v1/buckets/{BUCKET}", f"/v1{PARENT_ID}"):
        answer = requests.put(base + path, json={"data": {}}, auth=KINTO_AUTH, timeout=30)
        answer.raise_for_status()

    started = time.perf_counter()
    # Kinto keeps `id` and `last_modified` in columns and puts them back into each object it
    # serves; its listing's unique index wants a distinct last_modified per record, in
    # milliseconds, which is what Kinto assigns record by record when they are posted.
    # Whole milliseconds, as Kinto stores them: its page boundary compares the epoch in ms, and
    # a sub-millisecond rest would serve the boundary record on both pages.
    now = datetime.now(UTC).replace(tzinfo=None)
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    first = now - timedelta(milliseconds=len(records) + 1000)
    with psycopg.connect(database) as conn:
        # Replica role skips the bump_timestamp trigger, one plpgsql query per row, which only
        # assigns what the rows here already carry.
        conn.execute("SET session_replication_role = replica")
        with conn.cursor().copy(
            "COPY objects (id, parent_id, resource_name, last_modified, data, deleted) FROM STDIN"
        ) as copy:
            for n, (kinto_id, record) in enumerate(zip(kinto_ids(records), records, strict=True)):
                data = {key: value for key, value in record.items() if key != "id"}
                copy.write_row(
                    (
                        kinto_id,
                        PARENT_ID,
                        "record",
                        first + timedelta(milliseconds=n),
                        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                        False,
                    )
                )
    return time.perf_counter() - started


def vacuum_analyze(database: str) -> None:
    """Both databases were just bulk-written; autovacuum would get to them within a minute or
    so. Done now for both, so neither plans on missing statistics or sets hint bits while
    timed."""
    import psycopg

    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def kinto_records_url(base: str) -> str:
    from app.sync.protocol import MAX_PAGE_SIZE

    # kinto-http's listRecords sorts by -last_modified unless told otherwise, and a first sync
    # (kinto.js pull without `_since`) is that listing, page after page.
    return f"{base}/v1{PARENT_ID}/records?_limit={MAX_PAGE_SIZE}&_sort=-last_modified"


def kinto_total(base: str) -> int:
    import requests

    answer = requests.head(kinto_records_url(base), auth=KINTO_AUTH, timeout=REQUEST_TIMEOUT_S)
    answer.raise_for_status()
    return int(answer.headers["Total-Records"])


@dataclass
class Pull:
    seconds: float
    rows: int
    body_bytes: int
    pages: int


def pull_kinto(base: str, keep: list[dict[str, Any]] | None = None) -> Pull:
    """All of Kinto's pages back to back, timed and parsed as pull_server_only does ours; the
    records go into `keep` when given."""
    import requests

    from app.storage.gc_pause import paused_gc

    took = 0.0
    rows = body_bytes = pages = 0
    url: str | None = kinto_records_url(base)
    with requests.Session() as http:
        http.auth = KINTO_AUTH
        http.headers["Accept-Encoding"] = "identity"
        while url:
            started = time.perf_counter()
            answer = http.get(url, timeout=REQUEST_TIMEOUT_S)
            answer.raise_for_status()
            body = answer.content
            took += time.perf_counter() - started
            with paused_gc():
                page = json.loads(body)
            rows += len(page["data"])
            if keep is not None:
                keep.extend(page["data"])
            body_bytes += len(body)
            pages += 1
            url = answer.headers.get("Next-Page")
    return Pull(took, rows, body_bytes, pages)


def differing(ours: list[dict[str, Any]], served: list[dict[str, Any]]) -> int:
    """Records Kinto served otherwise than ours (its last_modified aside), or not at all, or
    more than once."""
    wanted = dict(zip(kinto_ids(ours), ours, strict=True))
    seen: set[str] = set()
    bad = 0
    for record in served:
        kinto_id = str(record["id"])
        original = wanted.get(kinto_id)
        document = {key: value for key, value in record.items() if key != "last_modified"}
        document["id"] = original["id"] if original is not None else None
        if original is None or kinto_id in seen or document != original:
            bad += 1
        seen.add(kinto_id)
    return bad + len(wanted.keys() - seen)


# -------------------------------------------------------------------------------------- report


def kinto_version(kinto: Path) -> str:
    python = kinto.with_name("python")
    done = subprocess.run(
        [str(python), "-c", "import kinto; print(kinto.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def postgres_version(database: str) -> str:
    import psycopg

    with psycopg.connect(database) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def rates_line(rates: list[float]) -> str:
    return (
        f"median {statistics.median(rates):,.0f} rows/s "
        f"(range {min(rates):,.0f}-{max(rates):,.0f}, {len(rates)} runs)"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=500, help="caseload of one caseworker")
    parser.add_argument("--runs", type=int, default=3, help="timed pulls of each server")
    parser.add_argument(
        "--warm-up",
        type=int,
        default=3,
        help="untimed pulls of each server before the timed runs",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="uvicorn worker processes of our server, and waitress threads of Kinto's",
    )
    parser.add_argument(
        "--kinto-venv",
        type=Path,
        default=None,
        help=f"virtualenv with {KINTO_REQUIREMENT} installed (default: {DEFAULT_KINTO_VENV}, "
        "created when missing)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.clients < 1 or args.workers < 1 or args.warm_up < 0:
        parser.error("--runs, --clients and --workers must be at least 1, --warm-up at least 0")

    from app.sync.protocol import MAX_PAGE_SIZE
    from bench.server import scratch_database
    from bench.sync import ADMIN_URL, central, machine_line, pull_server_only, verdict

    kinto = kinto_executable(args.kinto_venv)
    version = kinto_version(kinto)

    print(f"Machine: {machine_line()}")
    print(
        f"Caveat: this client, our server (uvicorn, {args.workers} worker process(es)), Kinto "
        f"(waitress, 1 process, {args.workers} thread(s)) and PostgreSQL share this machine;"
        " the figures are a lower bound and single runs differ by tens of percent."
    )
    print(
        f"Kinto {version} from {kinto.parent.parent}; pages of {MAX_PAGE_SIZE:,} records on both "
        "sides; one request at a time, uncompressed, on 127.0.0.1.\n"
    )

    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="veldwerk-peer-")))
        home = root / "home"
        ours = stack.enter_context(
            central(clients=2 * args.clients, seed=args.seed, log_dir=root, workers=args.workers)
        )
        print(
            f"Our server: {ours.clients_seeded:,} clients / {ours.records_seeded:,} records "
            f"seeded in {ours.seed_s:.1f} s (PostgreSQL {postgres_version(libpq_url(ours.url))})"
        )
        first = collect_first_sync(ours, home, "peer-collect")
        rows = len(first.records)
        record_bytes = sum(
            len(json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode())
            for r in first.records
        )
        print(
            f"First sync of a new device: {rows:,} rows in {first.pages} page(s); "
            f"{record_bytes / rows:,.0f} bytes of JSON per record (compact), "
            f"{first.body_bytes / rows:,.0f} bytes of body per row"
        )
        ids = kinto_ids(first.records)
        reused = sum(a != str(r["id"]) for a, r in zip(ids, first.records, strict=True))
        print(
            f"  record ids: {len(set(ids)):,} distinct Kinto ids for {rows:,} rows"
            + (f" ({reused:,} entity-qualified, their id repeats)" if reused else "")
        )

        kinto_db = libpq_url(stack.enter_context(scratch_database(ADMIN_URL)))
        ini = root / "kinto.ini"
        write_ini(ini, kinto_db, args.workers)
        started = time.perf_counter()
        migrate = subprocess.run(
            [str(kinto), "migrate", "--ini", str(ini)], capture_output=True, text=True
        )
        if migrate.returncode != 0:
            raise RuntimeError(f"kinto migrate failed:\n{migrate.stdout}{migrate.stderr}")
        migrate_s = time.perf_counter() - started
        kinto_base = stack.enter_context(running_kinto(kinto, ini, root))
        copy_s = load_kinto(kinto_base, kinto_db, first.records)
        vacuum_analyze(kinto_db)
        vacuum_analyze(libpq_url(ours.url))
        total = kinto_total(kinto_base)
        served: list[dict[str, Any]] = []
        warm = pull_kinto(kinto_base, served)
        differ = differing(first.records, served)
        del served  # a second copy of every record: not carried into the timed runs
        print(
            f"Kinto: migrated in {migrate_s:.1f} s, {rows:,} records copied in {copy_s:.1f} s; "
            f"HEAD says Total-Records {total:,}, a full listing gave {warm.rows:,} rows in "
            f"{warm.pages} page(s), {warm.body_bytes / max(warm.rows, 1):,.0f} bytes of body "
            f"per row{'' if total == warm.rows == rows else '  (COUNTS DIFFER)'}; "
            + (
                "every record identical to ours but for Kinto's last_modified"
                if not differ
                else f"{differ:,} record(s) NOT as ours"
            )
        )
        # Each uvicorn worker compiles its statements on its first pull (0.1 s here), and which
        # worker accepts a new connection is up to the kernel: one pass cannot warm them all.
        for n in range(args.warm_up):
            pull_server_only(ours, home, f"peer-warm-up-{n}", "identity")
            pull_kinto(kinto_base)
        print(
            "Both databases VACUUM (ANALYZE)d after loading; untimed before the runs: the pass "
            f"above and {args.warm_up} more through each server.\n"
        )

        our_rates: list[float] = []
        kinto_rates: list[float] = []
        for n in range(args.runs):
            # Alternating the two keeps a noisy neighbour's burst from landing on one side only.
            seconds, our_rows = pull_server_only(ours, home, f"peer-{n}", "identity")
            theirs = pull_kinto(kinto_base)
            our_rates.append(our_rows / seconds)
            kinto_rates.append(theirs.rows / theirs.seconds)
            print(
                f"run {n + 1}: ours {our_rows:,} rows in {seconds:.3f} s = "
                f"{our_rates[-1]:,.0f} rows/s; Kinto {theirs.rows:,} rows in "
                f"{theirs.seconds:.3f} s = {kinto_rates[-1]:,.0f} rows/s"
            )

        ours_median = statistics.median(our_rates)
        kinto_median = statistics.median(kinto_rates)
        print(f"\nours:  {rates_line(our_rates)}")
        print(f"Kinto: {rates_line(kinto_rates)}")
        ratio = ours_median / kinto_median
        print(
            f"ours / Kinto: {ratio:.2f}x (medians; run by run "
            + ", ".join(f"{a / b:.2f}x" for a, b in zip(our_rates, kinto_rates, strict=True))
            + f")   target >= {TARGET_RATIO:.2f}x (issue #13)  {verdict(ratio >= TARGET_RATIO)}"
        )


if __name__ == "__main__":
    # Run as `python bench/peer.py`, this file's directory is sys.path[0], where server.py would
    # shadow the server package; the repository root goes first instead.
    HERE = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != HERE]
    sys.path.insert(0, str(HERE.parent))
    main()
