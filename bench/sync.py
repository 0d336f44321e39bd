"""Sync benchmark: first sync, incremental sync at two caseload sizes, and push throughput.

Run from the repository root (PostgreSQL must accept user postgres on 127.0.0.1:5432, or set
VELDWERK_BENCH_POSTGRES_URL to another administrative database URL):

    .venv/bin/python bench/sync.py [--clients 500] [--large-clients 5000] [--devices 10]
                                   [--edits 200] [--rounds 5] [--first-syncs 3] [--seed 2026]
                                   [--cprofile]

`--clients` is the caseload of ONE caseworker: the demo seed spreads clients over two caseworkers,
so the server is seeded with twice as many (the count the device really holds is printed). For
each size a scratch database (veldwerk_bench_<random>) is created, migrated and seeded with
`server.seed.seed_demo`, `veldwerk-server serve` runs as a subprocess on 127.0.0.1, devices enroll
through `app.services.sync.enroll` and sync through `app.services.sync.sync_profile`, exactly as
`veldwerk enroll` / `veldwerk sync` do. The profiles use fast KDF parameters
(KdfParams(1024, 1, 1)): unlocking is not what is measured here. Databases and profiles are removed
at the end, also after an error. Prints figures; asserts nothing (DESIGN.md §2). The data is the
demo generator's: nothing in it is real.

Figures:
 1. first sync of a caseload (all records pulled into an empty profile, on a server that served
    another device's first sync before): the median and range of --first-syncs fresh devices'
    first syncs, one after another (one run on a shared machine says little), and rows/s,
    and the server's pull rate as the device meets it (rows/s and MB/s of JSON in pull requests),
    beside Kinto 26.5's 57,000 rows/s from issue #13 (records of unknown size; bench/peer.py
    measures Kinto on this machine serving these very records)
    and the server alone: a new device's pages asked for back to back over HTTP and parsed,
    nothing applied, uncompressed (as a device asks a server on this machine) and gzipped (as
    one on a LAN does)
 2. incremental sync of 10 local edits on that device: median of --rounds rounds
 3. the same on a device holding --large-clients clients; the ratio large / small
 4. push throughput: --devices devices of the same server, each with --edits pending edits,
    syncing at once from threads; entries / wall time (the whole round, device work included:
    the devices' SQLCipher and Python run in this one process)
 4b. the server's side of it: the same kind of entries, turned into push requests beforehand,
    sent by --devices threads at once over HTTP; entries / wall time. The issue's target
    (server push throughput >= 1,000 entries/s) is judged on this figure.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import os
import platform
import pstats
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.storage.profiles import Profile
    from app.storage.store import Store
    from app.sync.engine import SyncReport

ADMIN_URL = os.environ.get(
    "VELDWERK_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSPHRASE = "bench passphrase, not secret"
# Issue #13: first sync of 500 clients <= 0.6 s and of 5,000 <= 3 s, incremental <= 50 ms flat
# with caseload size; the server's pull rate beside Kinto 26.5's 57,000 rows/s measured on the same
# PostgreSQL (that issue's figure, with records of unknown size; bench/peer.py measures Kinto
# serving our own records on this machine: about 8,000-13,000 rows/s on 2026-12-04).
TARGET_FIRST_S = 0.6
TARGET_FIRST_LARGE_S = 3.0
TARGET_INCREMENTAL_S = 0.05
TARGET_PUSH_RATE = 1000.0
KINTO_ROWS_PER_S = 57_000


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


@dataclass
class Central:
    url: str  # database URL
    base: str  # server base URL
    password: str
    clients_seeded: int
    records_seeded: int
    seed_s: float


@dataclass
class Device:
    profile: Profile
    store: Store


@contextmanager
def central(*, clients: int, seed: int, log_dir: Path, workers: int = 1) -> Iterator[Central]:
    from bench.server import running_server, scratch_database
    from server.db import make_engine, make_sessionmaker, session_scope
    from server.migrations.runner import upgrade
    from server.seed import DEMO_CASEWORKERS, seed_demo

    with scratch_database(ADMIN_URL) as url:
        started = time.perf_counter()
        engine = make_engine(url)
        try:
            upgrade(engine)
            with session_scope(make_sessionmaker(engine)) as session:
                seeded = seed_demo(session, clients=clients, seed=seed)
        finally:
            engine.dispose()
        took = time.perf_counter() - started
        password = next(p for user, _, p in seeded.accounts if user == DEMO_CASEWORKERS[0])
        with running_server(url, workers, log_dir) as base:
            yield Central(url, base, password, seeded.clients, seeded.records, took)


def enroll_device(central: Central, home: Path, name: str) -> Device:
    from app.services import sync as sync_service
    from app.storage.vault import KdfParams
    from server.crud import devices
    from server.db import make_engine, make_sessionmaker, session_scope
    from server.seed import DEMO_CASEWORKERS

    engine = make_engine(central.url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            code = devices.issue_enrollment_code(session, username=DEMO_CASEWORKERS[0], by="bench")
    finally:
        engine.dispose()
    profile, store = sync_service.enroll(
        server_url=central.base,
        username=DEMO_CASEWORKERS[0],
        password=central.password,
        code=code,
        passphrase=PASSPHRASE,
        profile_name=name,
        home=home,
        params=KdfParams(1024, 1, 1),
    )
    return Device(profile, store)


# Time spent waiting for pull answers and the rows and bytes they brought (whole answers, as the
# device waits for them: the server's work plus the transfer on loopback). Two pulls may be
# under way at once (the next page is asked for as soon as a page's headers name it), so the
# time is the union of the requests' spans, not their sum.
PULLS: dict[str, Any] = {"spans": [], "rows": 0, "bytes": 0}


def sync(device: Device, progress: Callable[[str, int, int], None] | None = None) -> SyncReport:
    from app.services import sync as sync_service
    from app.sync.protocol import Page, PushAnswer

    link = sync_service.connection(device.store)
    original = link.request
    session = link._session  # noqa: SLF001 - the decoded body's size, without encoding it again
    send = session.request
    last_size = threading.local()
    lock = threading.Lock()

    def measured(*args: Any, **kwargs: Any) -> Any:
        response = send(*args, **kwargs)
        last_size.value = len(response.content)
        return response

    def timed(method: str, path: str, answer: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        last_size.value = 0
        result = original(method, path, answer, **kwargs)
        # A pull's page, or the first page that came with a push (protocol 4).
        page = result.page if isinstance(result, PushAnswer) else result
        if isinstance(page, Page):
            with lock:
                PULLS["spans"].append((started, time.perf_counter()))
                PULLS["rows"] += len(page.records)
                PULLS["bytes"] += last_size.value
        return result

    link.request = timed  # type: ignore[method-assign]
    session.request = measured  # type: ignore[method-assign]
    try:
        return sync_service.sync_profile(device.profile, device.store, progress=progress)
    finally:
        del link.request
        del session.request


def _covered(spans: list[tuple[float, float]]) -> float:
    """Seconds covered by at least one of these spans."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def pull_rate_line() -> str:
    seconds, rows = _covered(PULLS["spans"]), int(PULLS["rows"])
    mb = PULLS["bytes"] / 1e6
    return (
        f"   server pull rate (request to parsed page, time with a pull under way; the next "
        f"page is asked for while one arrives and is applied): {rows:,} rows in {seconds:.2f} s "
        f"= {rows / seconds:,.0f} rows/s, {mb / seconds:.1f} MB/s of JSON "
        f"({PULLS['bytes'] / max(rows, 1):,.0f} B/row); Kinto 26.5 in issue #13: "
        f"{KINTO_ROWS_PER_S:,} rows/s ({rows / seconds / KINTO_ROWS_PER_S:.2f}x; with these "
        f"records on this machine: bench/peer.py)"
    )


def edit(store: Store, client_ids: Sequence[str]) -> None:
    """One local edit per id: the participation step of a client, a journal entry each."""
    from app.domain.client import Client

    for client_id in client_ids:
        client = store.get(Client, client_id)
        assert client is not None
        step = (client.participation_step or 0) % 5 + 1
        store.update(dataclasses.replace(client, participation_step=step))


def profiled(enabled: bool, label: str, fn: Callable[[], Any]) -> Any:
    if not enabled:
        return fn()
    profiler = cProfile.Profile()
    result = profiler.runcall(fn)
    print(f"\n--- cProfile (client side): {label} ---")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(int(os.environ.get("NSTATS", "35")))
    return result


def incremental(device: Device, rounds: int, *, cprofile: bool = False) -> tuple[float, int]:
    """Median seconds of `rounds` rounds of: 10 local edits, then a timed sync."""
    ids = [c.id for c in device.store.caseload(limit=10 * rounds)]
    times = []
    sent = 0
    for n in range(rounds):
        batch = ids[(10 * n) % len(ids) :][:10] or ids[:10]
        edit(device.store, batch)
        started = time.perf_counter()
        report = profiled(cprofile and n == rounds - 1, "incremental sync", lambda: sync(device))
        times.append(time.perf_counter() - started)
        sent += report.sent
    return statistics.median(times), sent // rounds


def warm_up(central: Central, home: Path, label: str) -> None:
    """Another device's first sync, unmeasured: a server in use has compiled its statements
    and built its schemas in every worker, which each worker's first requests do (the first
    push with a hello took 160 ms of a 1.2 s first sync, most of it once per process).

    Then the planner's statistics are refreshed, as autovacuum would after those thousands
    of new rows: this machine's PostgreSQL runs without it, and statistics from before any
    device held anything are not what a server in use plans with."""
    from sqlalchemy import text

    from server.db import make_engine

    device = enroll_device(central, home, f"{label}-warm-up")
    sync(device)
    device.store.close()
    engine = make_engine(central.url)
    try:
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
    finally:
        engine.dispose()


def first_sync(device: Device, *, cprofile: bool = False) -> tuple[float, SyncReport, int]:
    PULLS.update(spans=[], rows=0, bytes=0)
    started = time.perf_counter()
    report = profiled(cprofile, "first sync", lambda: sync(device))
    took = time.perf_counter() - started
    return took, report, len(device.store.caseload())


def cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far on this machine (Linux /proc), by who: this process (the
    device: its threads are this process's), its descendants (the server and its workers),
    PostgreSQL's processes, and the rest. All of them share the machine's cores."""
    me = os.getpid()
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    postgres: set[int] = set()
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()
        pid = int(entry)
        parents[pid] = int(fields[1])
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
        if command.startswith(b"postgres"):
            postgres.add(pid)

    def whose(pid: int) -> str:
        if pid == me:
            return "device"
        if pid in postgres:
            return "PostgreSQL"
        seen = set()
        while pid in parents and pid not in seen:
            seen.add(pid)
            pid = parents[pid]
            if pid == me:
                return "server"
        return "other"

    totals = dict.fromkeys(("device", "server", "PostgreSQL", "other"), 0.0)
    for pid, seconds in used.items():
        totals[whose(pid)] += seconds
    return totals


def cpu_line(used: dict[str, float]) -> str:
    total = sum(used.values())
    cores = os.cpu_count() or 1
    parts = ", ".join(f"{who} {seconds:.2f} s" for who, seconds in used.items())
    return (
        f"   CPU of that run: {parts} = {total:.2f} s on {cores} cores (so at least "
        f"{total / cores:.2f} s of wall time)"
    )


@dataclass
class FirstSyncs:
    """Several fresh devices' first syncs of one caseload."""

    times: list[float]
    received: int  # rows
    held: int  # clients
    # Of the run at the median (the later of the two middle ones for an even count):
    pull_rate: str  # `pull_rate_line`
    cpu: str  # `cpu_line`
    device: Device  # the last one, open, for the incremental rounds

    def lines(self, label: str, target: float) -> str:
        """The figure, then the CPU and the pull rate of the median run."""
        median = statistics.median(self.times)
        return (
            f"{label}: {self.held:,} clients on the device, {self.received:,} rows: median "
            f"{median:.2f} s of {len(self.times)} fresh devices ({min(self.times):.2f}-"
            f"{max(self.times):.2f} s; {self.received / median:,.0f} rows/s)   target <= "
            f"{target:g} s  {verdict(median <= target)}\n{self.cpu}\n{self.pull_rate}"
        )


def first_syncs(
    central: Central, home: Path, label: str, runs: int, *, cprofile: bool = False
) -> FirstSyncs:
    """`runs` new devices' first syncs, one after another; the last device stays open."""
    results: list[tuple[float, int, int, str, str]] = []
    device: Device | None = None
    for n in range(runs):
        if device is not None:
            device.store.close()
        device = enroll_device(central, home, f"{label}-{n}")
        before = cpu_seconds()
        took, report, held = first_sync(device, cprofile=cprofile and n == runs - 1)
        after = cpu_seconds()
        used = {who: after[who] - before[who] for who in after}
        results.append((took, report.received, held, pull_rate_line(), cpu_line(used)))
    assert device is not None
    _took, received, held, rate, cpu = sorted(results)[len(results) // 2]
    return FirstSyncs([r[0] for r in results], received, held, rate, cpu, device)


def push_throughput(
    central: Central, home: Path, devices_wanted: int, edits: int
) -> tuple[float, float, int, int]:
    """Enroll and fill `devices_wanted` devices, give each `edits` pending edits on clients of its
    own, then sync them all at once from threads. Returns (wall s, push-phase wall s, entries,
    errors)."""
    from app.services import sync as sync_service

    prepared: list[tuple[Profile, list[str]]] = []
    for n in range(devices_wanted):
        device = enroll_device(central, home, f"push-{n}")
        sync(device)
        ids = [c.id for c in device.store.caseload()]
        share = max(1, len(ids) // devices_wanted)
        mine = ids[n * share : (n + 1) * share] or ids[:share]
        # `edits` entries: the device's own clients in turn, several edits each if needed.
        wanted = [mine[i % len(mine)] for i in range(edits)]
        device.store.close()
        prepared.append((device.profile, wanted))

    barrier = threading.Barrier(devices_wanted + 1)
    sent = [0] * devices_wanted
    push_done = [0.0] * devices_wanted
    errors: list[BaseException] = []

    def work(n: int, profile: Profile, wanted: list[str]) -> None:
        # Each thread opens its own store: one SQLCipher connection per device, as on a laptop.
        store = profile.unlock(PASSPHRASE)
        try:
            edit(store, wanted)

            def progress(phase: str, done: int, total: int) -> None:
                if phase == "push" and done == total:
                    push_done[n] = time.perf_counter()

            barrier.wait()
            report = sync_service.sync_profile(profile, store, progress=progress)
            sent[n] = report.sent
        except BaseException as error:  # reported, never lost in a thread
            errors.append(error)
            barrier.abort()
        finally:
            store.close()

    threads = [
        threading.Thread(target=work, args=(n, profile, wanted))
        for n, (profile, wanted) in enumerate(prepared)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    push_wall = max(push_done) - started if all(push_done) else float("nan")
    return wall, push_wall, sum(sent), len(errors)


def push_server_only(
    central: Central, home: Path, devices_wanted: int, edits: int
) -> tuple[float, int, int]:
    """The server's side alone: each device's journal is turned into its push requests first
    (JSON, gzip, as the device sends them), then all devices send them at once over HTTP from
    threads, each its batches in order. Returns (wall s, entries, failed requests)."""
    import gzip

    import requests

    from app.services import sync as sync_service
    from app.sync.engine import _wire, batches
    from app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, Push

    prepared: list[tuple[str, list[bytes], int]] = []
    for n in range(devices_wanted):
        device = enroll_device(central, home, f"server-push-{n}")
        sync(device)
        ids = [c.id for c in device.store.caseload()]
        share = max(1, len(ids) // devices_wanted)
        mine = ids[n * share : (n + 1) * share] or ids[:share]
        edit(device.store, [mine[i % len(mine)] for i in range(edits)])
        journal = device.store.journal_entries()
        bodies = [
            gzip.compress(Push(entries=[_wire(e) for e in batch]).model_dump_json().encode(), 5)
            for batch in batches(journal)
        ]
        prepared.append((str(device.store.setting(sync_service.TOKEN)), bodies, len(journal)))
        device.store.close()

    barrier = threading.Barrier(devices_wanted + 1)
    failures = [0] * devices_wanted

    def send(n: int, token: str, bodies: list[bytes]) -> None:
        with requests.Session() as http:
            http.headers.update(
                {
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    "Content-Encoding": "gzip",
                    PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                }
            )
            barrier.wait()
            for body in bodies:
                answer = http.post(central.base + "/v1/sync/push", data=body, timeout=120)
                if answer.status_code != 200:
                    failures[n] += 1

    threads = [
        threading.Thread(target=send, args=(n, token, bodies))
        for n, (token, bodies, _count) in enumerate(prepared)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, sum(c for _t, _b, c in prepared), sum(failures)


def pull_server_only(central: Central, home: Path, name: str, encoding: str) -> tuple[float, int]:
    """The server's side of a first sync alone, as Kinto's figure was taken: a new device's
    pages asked for back to back over HTTP (the largest page a device asks for, each after
    the one before it, with `encoding` as Accept-Encoding and JSON fields as text, as the
    device asks), nothing applied. Returns (seconds from each request to its whole body,
    summed; rows)."""
    import json

    import requests

    from app.services import sync as sync_service
    from app.storage.gc_pause import paused_gc
    from app.sync.protocol import (
        JSON_TEXT_HEADER,
        MAX_PAGE_SIZE,
        PROTOCOL_HEADER,
        PROTOCOL_VERSION,
    )

    device = enroll_device(central, home, name)
    token = str(device.store.setting(sync_service.TOKEN))
    device.store.close()
    rows = 0
    took = 0.0
    cursor: str | None = None
    with requests.Session() as http:
        http.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept-Encoding": encoding,
                PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                JSON_TEXT_HEADER: "1",  # as the device asks
            }
        )
        while True:
            started = time.perf_counter()
            answer = http.post(
                central.base + "/v1/sync/pull",
                json={"cursor": cursor, "applied": cursor, "limit": MAX_PAGE_SIZE},
                timeout=120,
            )
            answer.raise_for_status()
            body = answer.content  # read (and inflated) within the time taken
            took += time.perf_counter() - started
            # Parsing is the device's work, and Python's cyclic collector makes it vary tenfold
            # from page to page; only the cursor is needed here.
            with paused_gc():
                page = json.loads(body)
            rows += len(page["records"])
            cursor = page["cursor"]
            if not page["more"]:
                break
    return took, rows


def pull_server_only_line(central: Central, home: Path, label: str) -> str:
    parts = []
    for encoding in ("identity", "gzip"):
        seconds, rows = pull_server_only(central, home, f"{label}-pull-{encoding}", encoding)
        parts.append(
            f"{encoding}: {rows:,} rows in {seconds:.2f} s = {rows / seconds:,.0f} rows/s "
            f"({rows / seconds / KINTO_ROWS_PER_S:.2f}x Kinto)"
        )
    return "   server pull alone (pages back to back, nothing applied): " + "; ".join(parts)


def machine_line() -> str:
    from bench.server import cpu_model

    return (
        f"{os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=500, help="caseload of one caseworker")
    parser.add_argument("--large-clients", type=int, default=5000, help="the large caseload")
    parser.add_argument("--devices", type=int, default=10, help="devices pushing at once")
    parser.add_argument("--edits", type=int, default=200, help="pending edits per device")
    parser.add_argument("--rounds", type=int, default=5, help="incremental rounds (median)")
    parser.add_argument(
        "--first-syncs", type=int, default=3, help="fresh devices' first syncs (median)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--workers", type=int, default=2, help="uvicorn worker processes of the server"
    )
    parser.add_argument("--cprofile", action="store_true", help="profile the client side")
    args = parser.parse_args(argv)

    print(f"Machine: {machine_line()}")
    print(
        f"Caveat: client threads, the uvicorn server ({args.workers} worker(s)) and PostgreSQL"
        " share this machine;"
        " the figures are a lower bound and single runs differ by tens of percent."
    )
    print("Profiles use fast KDF params KdfParams(1024, 1, 1): unlocking is not measured.\n")

    with tempfile.TemporaryDirectory(prefix="veldwerk-bench-sync-") as tmp:
        root = Path(tmp)
        home = root / "home"

        # ---- small caseload: figures 1, 2 and 4
        with central(
            clients=2 * args.clients, seed=args.seed, log_dir=root, workers=args.workers
        ) as small:
            print(
                f"Server seeded with {small.clients_seeded:,} clients / "
                f"{small.records_seeded:,} records in {small.seed_s:.1f} s"
            )
            warm_up(small, home, "small")
            firsts = first_syncs(small, home, "small", args.first_syncs, cprofile=args.cprofile)
            device, held = firsts.device, firsts.held
            print(firsts.lines("1. first sync", TARGET_FIRST_S))
            print(pull_server_only_line(small, home, "small"))
            small_inc, sent = incremental(device, args.rounds, cprofile=args.cprofile)
            print(
                f"2. incremental sync, {sent} edits, {held:,} clients: median "
                f"{small_inc * 1000:.0f} ms of {args.rounds}   target <= "
                f"{TARGET_INCREMENTAL_S * 1000:.0f} ms  "
                f"{verdict(small_inc <= TARGET_INCREMENTAL_S)}"
            )
            device.store.close()

            wall, push_wall, entries, errors = push_throughput(
                small, home, args.devices, args.edits
            )
            push_rate = entries / wall if wall else float("inf")
            print(
                f"4. push: {args.devices} devices x {args.edits} edits at once: {entries:,} "
                f"entries in {wall:.2f} s = {push_rate:,.0f} entries/s (whole sync round; push "
                f"phase alone {push_wall:.2f} s = {entries / push_wall:,.0f} entries/s)"
                f"{f', {errors} device(s) FAILED' if errors else ''}   target >= "
                f"{TARGET_PUSH_RATE:,.0f} entries/s  {verdict(push_rate >= TARGET_PUSH_RATE)}"
            )
            server_wall, server_entries, failed = push_server_only(
                small, home, args.devices, args.edits
            )
            server_rate = server_entries / server_wall if server_wall else float("inf")
            print(
                f"4b. server push throughput: {args.devices} devices sending {server_entries:,} "
                f"prepared entries at once over HTTP: {server_wall:.2f} s = {server_rate:,.0f} "
                f"entries/s{f', {failed} request(s) FAILED' if failed else ''}   target >= "
                f"{TARGET_PUSH_RATE:,.0f} entries/s  {verdict(server_rate >= TARGET_PUSH_RATE)}"
            )

        # ---- large caseload: figure 3
        with central(
            clients=2 * args.large_clients, seed=args.seed, log_dir=root, workers=args.workers
        ) as big:
            print(
                f"\nServer seeded with {big.clients_seeded:,} clients / "
                f"{big.records_seeded:,} records in {big.seed_s:.1f} s"
            )
            warm_up(big, home, "large")
            firsts = first_syncs(big, home, "large", args.first_syncs)
            device, large_held = firsts.device, firsts.held
            print(firsts.lines("1b. first sync of the large caseload", TARGET_FIRST_LARGE_S))
            print(pull_server_only_line(big, home, "large"))
            large_inc, sent = incremental(device, args.rounds)
            device.store.close()
            print(
                f"3. incremental sync, {sent} edits, {large_held:,} clients: median "
                f"{large_inc * 1000:.0f} ms of {args.rounds}   target <= "
                f"{TARGET_INCREMENTAL_S * 1000:.0f} ms  "
                f"{verdict(large_inc <= TARGET_INCREMENTAL_S)}"
            )
            print(
                f"   {large_held:,} vs {held:,} clients ({large_held / held:.1f}x the caseload): "
                f"{large_inc * 1000:.0f} ms vs {small_inc * 1000:.0f} ms = "
                f"{large_inc / small_inc:.2f}x the time"
            )


if __name__ == "__main__":
    # Run as `python bench/sync.py`, this file's directory is sys.path[0], where server.py would
    # shadow the server package; the repository root goes first instead.
    HERE = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != HERE]
    sys.path.insert(0, str(HERE.parent))
    main()
