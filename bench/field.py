"""Field benchmark: sync over an emulated village phone-hotspot link (real TCP and TLS).

See bench/README.md ("Field") for what it measures, how the link is built and how to read
the output.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.storage.profiles import Profile
    from app.storage.store import Store
    from bench.shaped_link import LinkStats, ShapedLink

TARGET_FIRST_S = 10.0
TARGET_OUTAGE_S = 30.0
TARGET_INCREMENTAL_MEDIAN_S = 1.5
TARGET_INCREMENTAL_MAX_S = 3.0
ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60.0
ENROLL_TIMEOUT_S = 180.0
# One press can take minutes on a bad link (retries, each with its read timeout); a sync that
# needs more than this in all is reported as not finished.
SYNC_DEADLINE_S = 600.0
MAX_PRESSES = 20


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# ------------------------------------------------------------------------------ TLS and server


def make_tls(folder: Path, ip: str) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for `ip`; (CA bundle, certificate, key)."""
    from tests.pki import write_server_pki

    return write_server_pki(folder, ip, common="veldwerk field bench server")


@dataclass
class Central:
    url: str  # database URL
    password: str  # of the caseworker whose devices these are
    clients: int
    records: int
    seed_s: float

    def enrollment_code(self) -> str:
        from server.crud import devices
        from server.db import make_engine, make_sessionmaker, session_scope
        from server.seed import DEMO_CASEWORKERS

        engine = make_engine(self.url)
        try:
            with session_scope(make_sessionmaker(engine)) as session:
                return str(
                    devices.issue_enrollment_code(session, username=DEMO_CASEWORKERS[0], by="bench")
                )
        finally:
            engine.dispose()


@contextmanager
def seeded_central(*, clients: int, seed: int) -> Iterator[Central]:
    """What bench.sync.central does before it starts a server: scratch database, migrated and
    seeded with the demo caseload, dropped afterwards."""
    from bench.server import scratch_database
    from bench.sync import ADMIN_URL
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
        password = next(p for user, _, p in seeded.accounts if user == DEMO_CASEWORKERS[0])
        took = time.perf_counter() - started
        yield Central(url, password, seeded.clients, seeded.records, took)


@contextmanager
def serving(
    central: Central, link: ShapedLink, tls: tuple[Path, Path, Path], log: Path, workers: int
) -> Iterator[str]:
    """`veldwerk-server serve` on the server end of the link; yields its https base URL."""

    from bench.server import server_command, serving

    port = _free_port(link.server_ip)
    command = [*server_command(), "--database-url", central.url, "serve"]
    command += ["--host", link.server_ip, "--port", str(port), "--workers", str(workers)]
    command += ["--tls-cert", str(tls[1]), "--tls-key", str(tls[2])]
    env = {**os.environ, "VELDWERK_LOG_LEVEL": "WARNING"}
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"https://{link.server_ip}:{port}"
    # From the root namespace the server's address is local: waiting does not cross the link.
    with serving(process, "the server", f"{base}/v1/health", log, verify=str(tls[0])):
        yield base


def _free_port(host: str) -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------------ the device, its side


class _Counters:
    """What the device's own code shows of a sync round, counted through two thin hooks."""

    def __init__(self) -> None:
        self.pages = 0
        self.rows = 0
        self.requests = 0

    def install(self) -> None:
        import requests

        from app.sync import client

        counters = self
        request = client.Transport.request
        send = requests.Session.send

        def counting_request(transport: Any, *args: Any, **kwargs: Any) -> Any:
            answer = request(transport, *args, **kwargs)
            # A pull page that arrived whole, or one that came with a push (protocol 4).
            records = getattr(getattr(answer, "page", None) or answer, "records", None)
            if isinstance(records, list):
                counters.pages += 1
                counters.rows += len(records)
            return answer

        def counting_send(session: Any, *args: Any, **kwargs: Any) -> Any:
            counters.requests += 1  # every HTTP exchange, retries included
            return send(session, *args, **kwargs)

        # setattr: mypy refuses an assignment to a method, rightly outside a bench.
        setattr(client.Transport, "request", counting_request)  # noqa: B010
        setattr(requests.Session, "send", counting_send)  # noqa: B010


def _rows_held(store: Store) -> tuple[int, int]:
    """(rows in the record tables, clients), tombstones left out."""
    from sqlalchemy import func, select

    from app.storage.tables import ENTITY_TABLES

    total = 0
    with store.read_transaction() as conn:
        for table in ENTITY_TABLES.values():
            query = select(func.count()).select_from(table)
            if "deleted" in table.c:
                query = query.where(table.c.deleted.is_(False))
            total += int(conn.execute(query).scalar_one())
    return total, len(store.caseload())


class _Device:
    def __init__(self, emit: Callable[[dict[str, Any]], None]) -> None:
        self.emit = emit
        self.devices: dict[str, tuple[Profile, Store]] = {}
        self.counters = _Counters()
        self.counters.install()

    def enroll(self, cmd: dict[str, Any]) -> dict[str, Any]:
        from app.services import sync as sync_service
        from app.storage.vault import KdfParams
        from bench.sync import PASSPHRASE

        started = time.perf_counter()
        self.devices[cmd["name"]] = sync_service.enroll(
            server_url=cmd["server_url"],
            username=cmd["username"],
            password=cmd["password"],
            code=cmd["code"],
            passphrase=PASSPHRASE,
            profile_name=cmd["name"],
            ca_bundle=Path(cmd["ca"]),
            home=Path(cmd["home"]),
            params=KdfParams(1024, 1, 1),
        )
        return {"seconds": time.perf_counter() - started}

    def sync(self, cmd: dict[str, Any]) -> dict[str, Any]:
        """Press sync until a round completes (or the deadline passes), as a person would."""
        from app.services import sync as sync_service

        profile, store = self.devices[cmd["name"]]
        before = (self.counters.pages, self.counters.rows, self.counters.requests)
        received = 0
        presses = 0
        errors: list[str] = []
        report = None
        first_rows: list[float] = []  # when pulled rows were applied, s after the first press
        self.emit({"event": "started"})
        started = time.perf_counter()
        while True:
            presses += 1
            pulled = [0]

            def progress(phase: str, done: int, _total: int, pulled: list[int] = pulled) -> None:
                if phase == "pull":  # `done` counts up within one press
                    pulled[0] = max(pulled[0], done)
                    first_rows.append(time.perf_counter() - started)

            try:
                report = sync_service.sync_profile(profile, store, progress=progress)
            except Exception as error:  # any failure is what the person sees: press again
                errors.append(f"{getattr(error, 'code', type(error).__name__)}")
                received += pulled[0]
                spent = time.perf_counter() - started
                if presses >= cmd["max_presses"] or spent > cmd["deadline_s"]:
                    break
                time.sleep(cmd["repress_after_s"])
                continue
            received += pulled[0]
            break
        seconds = time.perf_counter() - started
        held, clients = _rows_held(store)
        return {
            "seconds": seconds,
            "completed": report is not None,
            "presses": presses,
            "errors": errors,
            "received": received,
            "fetched_pages": self.counters.pages - before[0],
            "fetched_rows": self.counters.rows - before[1],
            "requests": self.counters.requests - before[2],
            "held": held,
            "clients": clients,
            "sent": report.sent if report is not None else 0,
            "first_rows_s": first_rows[0] if first_rows else None,
        }

    def incremental(self, cmd: dict[str, Any]) -> dict[str, Any]:
        from bench.sync import edit

        _profile, store = self.devices[cmd["name"]]
        edits, rounds, n = cmd["edits"], cmd["rounds"], cmd["round"]
        time.sleep(cmd["idle_s"])  # the caseworker at work between two syncs
        # As bench.sync.incremental: a different batch of clients each round.
        ids = [c.id for c in store.caseload(limit=edits * rounds)]
        edit(store, ids[(edits * n) % len(ids) :][:edits] or ids[:edits])
        return self.sync(cmd)

    def quit(self) -> None:
        for _profile, store in self.devices.values():
            with suppress(Exception):
                store.close()


def _code_version() -> str:
    """A short hash of the client code this process loaded: others may change the working tree
    while the bench runs, and each run starts a new device process."""
    import hashlib

    import app.services.sync  # noqa: F401  (loads the sync stack, the code under test)

    digest = hashlib.sha256()
    for name in sorted(sys.modules):
        path = getattr(sys.modules[name], "__file__", None)
        if (name == "app" or name.startswith("app.")) and path:
            digest.update(name.encode() + Path(path).read_bytes())
    return digest.hexdigest()[:10]


def worker_main() -> None:
    """The device: commands as JSON lines on stdin, answers and events as JSON lines on a
    private copy of stdout (the app's own output, if any, goes to stderr, the log)."""
    channel = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)

    def emit(message: dict[str, Any]) -> None:
        channel.write(json.dumps(message) + "\n")

    device = _Device(emit)
    emit({"ready": True, "code": _code_version()})
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["cmd"] == "quit":
            break
        try:
            handlers = {
                "enroll": device.enroll,
                "sync": device.sync,
                "incremental": device.incremental,
            }
            emit({"reply": handlers[cmd["cmd"]](cmd)})
        except Exception as error:
            emit({"error": f"{type(error).__name__}: {error}"})
    device.quit()
    emit({"reply": {}})


# ----------------------------------------------------------------------- the device, our side


class WorkerError(RuntimeError):
    pass


class DeviceProcess:
    """The device process on the client end of the link, driven by commands."""

    def __init__(self, link: ShapedLink, log: Path) -> None:
        self._log = log
        argv = link.in_namespace([sys.executable, str(Path(__file__).resolve()), "--worker"])
        with log.open("ab") as err:
            self._process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                cwd=ROOT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(self._process.stdout,), daemon=True).start()
        self.code = str(self._wait(START_TIMEOUT_S, None).get("code", "?"))

    def _read(self, stream: IO[str] | None) -> None:
        if stream is not None:
            for line in stream:
                self._lines.put(line)
        self._lines.put(None)

    def _wait(
        self, timeout: float, on_event: Callable[[dict[str, Any]], None] | None
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"the device did not answer within {timeout:.0f} s") from None
            if line is None:
                from bench.server import log_tail

                raise WorkerError(f"the device process exited:\n{log_tail(self._log)}")
            message: dict[str, Any] = json.loads(line)
            if "event" in message:
                if on_event is not None:
                    on_event(message)
                continue
            if "error" in message:
                raise WorkerError(message["error"])
            reply: dict[str, Any] = message.get("reply", message)
            return reply

    def call(
        self,
        cmd: dict[str, Any],
        *,
        timeout: float,
        on_event: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        stdin = self._process.stdin
        assert stdin is not None
        stdin.write(json.dumps(cmd) + "\n")
        stdin.flush()
        return self._wait(timeout, on_event)

    def close(self) -> None:
        # A device still busy (after a timeout) never reads this; it is killed instead.
        with suppress(OSError, ValueError):
            stdin = self._process.stdin
            if stdin is not None:
                stdin.write(json.dumps({"cmd": "quit"}) + "\n")
                stdin.close()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)


# ---------------------------------------------------------------------------------- the figures


@dataclass
class Sync:
    seconds: float
    completed: bool
    presses: int
    errors: list[str]
    received: int
    fetched_pages: int
    fetched_rows: int
    requests: int
    held: int
    clients: int
    link: LinkStats
    first_rows_s: float | None  # first pulled page applied, s after the press

    @property
    def redownloaded(self) -> int:
        return self.received - self.held


@dataclass
class Run:
    unshaped: Sync | None = None
    first: Sync | None = None
    incremental: list[Sync] = field(default_factory=list)
    outage: Sync | None = None
    outages_hit: int = 0  # outages that began while the sync ran
    down_s: float = 0.0  # seconds of it the link was down
    failure: str = ""
    code: str = ""  # hash of the device's client code


@dataclass(frozen=True)
class Settings:
    clients: int
    rounds: int
    edits: int
    drop_s: float
    period_s: float
    drop_offset_s: float
    repress_after_s: float
    idle_s: float


def timed_sync(
    device: DeviceProcess,
    link: ShapedLink,
    cmd: dict[str, Any],
    *,
    on_start: Callable[[], None] | None = None,
) -> Sync:
    before = link.stats()

    def on_event(message: dict[str, Any]) -> None:
        if message.get("event") == "started" and on_start is not None:
            on_start()

    reply = device.call(
        {"max_presses": MAX_PRESSES, "deadline_s": SYNC_DEADLINE_S, **cmd},
        timeout=SYNC_DEADLINE_S + 400 + cmd.get("idle_s", 0.0),
        on_event=on_event,
    )
    spent = link.stats() - before
    return Sync(
        seconds=reply["seconds"],
        completed=reply["completed"],
        presses=reply["presses"],
        errors=reply["errors"],
        received=reply["received"],
        fetched_pages=reply["fetched_pages"],
        fetched_rows=reply["fetched_rows"],
        requests=reply["requests"],
        held=reply["held"],
        clients=reply["clients"],
        link=spent,
        first_rows_s=reply["first_rows_s"],
    )


def one_run(
    n: int,
    central: Central,
    link: ShapedLink,
    base: str,
    ca: Path,
    root: Path,
    settings: Settings,
) -> Run:
    from server.seed import DEMO_CASEWORKERS

    run = Run()
    home = root / f"home-{n}"
    device = DeviceProcess(link, root / f"device-{n}.log")
    run.code = device.code
    try:

        def enroll(name: str) -> None:
            device.call(
                {
                    "cmd": "enroll",
                    "name": name,
                    "server_url": base,
                    "username": DEMO_CASEWORKERS[0],
                    "password": central.password,
                    "code": central.enrollment_code(),
                    "ca": str(ca),
                    "home": str(home),
                },
                timeout=ENROLL_TIMEOUT_S,
            )

        common = {"repress_after_s": settings.repress_after_s}
        # What the sync costs without the link's delay, loss and rate: CPU and software alone
        # (the packets still pass the forwarder, which adds well under a millisecond).
        enroll("unshaped")
        shaped = link.params
        link.set_params(replace(shaped, rtt_ms=0.0, loss=0.0, rate_kbit=0.0))
        try:
            run.unshaped = timed_sync(device, link, {"cmd": "sync", "name": "unshaped", **common})
        finally:
            link.set_params(shaped)
        print(
            f"   run {n + 1} (client code {run.code}): 0. first sync, no shaping "
            f"{_sync_line(run.unshaped)}",
            flush=True,
        )
        enroll("clean")
        run.first = timed_sync(device, link, {"cmd": "sync", "name": "clean", **common})
        print(f"   run {n + 1}: 1. first sync {_sync_line(run.first)}", flush=True)
        for k in range(settings.rounds):
            cmd = {"cmd": "incremental", "name": "clean", "round": k, **common}
            cmd |= {"rounds": settings.rounds, "edits": settings.edits, "idle_s": settings.idle_s}
            run.incremental.append(timed_sync(device, link, cmd))
        times = ", ".join(f"{s.seconds:.2f}" for s in run.incremental)
        print(f"   run {n + 1}: 2. incremental syncs {times} s", flush=True)

        enroll("outages")
        run.outage = timed_sync(
            device,
            link,
            {"cmd": "sync", "name": "outages", **common},
            on_start=lambda: link.start_outages(
                settings.drop_s, settings.period_s, after_s=settings.drop_offset_s
            ),
        )
        link.stop_outages()
        run.outages_hit, run.down_s = downtime(run.outage.seconds, settings)
        print(
            f"   run {n + 1}: 3. with outages {_sync_line(run.outage)}; {run.outages_hit} "
            f"outage(s) began during it, the link was down {run.down_s:.0f} s of it",
            flush=True,
        )
    except (TimeoutError, WorkerError) as error:
        run.failure = str(error)
        print(f"   run {n + 1} FAILED: {error}", flush=True)
    finally:
        link.stop_outages()
        device.close()
    return run


def downtime(seconds: float, settings: Settings) -> tuple[int, float]:
    """(outages that began within `seconds` of the press, seconds of those the link was down)."""
    count, down = 0, 0.0
    start = settings.drop_offset_s
    while start < seconds:
        count += 1
        down += min(seconds, start + settings.drop_s) - start
        start += settings.period_s
    return count, down


def _fetched(s: Sync) -> str:
    if s.fetched_pages == 0 and s.received > 0:
        # The pull no longer goes through Transport.request: the hook sees nothing.
        return "fetched n/a"
    return f"fetched {s.fetched_rows:,} in {s.fetched_pages} pages"


def _sync_line(s: Sync) -> str:
    state = "" if s.completed else " NOT COMPLETED"
    presses = f", {s.presses} presses ({', '.join(s.errors)})" if s.presses > 1 else ""
    return (
        f"{s.seconds:.2f} s{state}{presses}{_first_rows(s)}: received {s.received:,} rows "
        f"({_fetched(s)}), "
        f"held {s.held:,} rows / {s.clients:,} clients; {s.requests} requests, "
        f"{s.link.up.syns} SYNs; {_kb(s.link.down.delivered_bytes)} down / "
        f"{_kb(s.link.up.delivered_bytes)} up"
    )


def _first_rows(s: Sync) -> str:
    return "" if s.first_rows_s is None else f" (first rows after {s.first_rows_s:.1f} s)"


def _kb(n: float) -> str:
    return f"{n / 1000:,.0f} kB"


def spread(values: Sequence[float], fmt: str = "{:.2f}") -> str:
    """Median (min-max); one value alone."""
    if not values:
        return "n/a"
    middle = fmt.format(statistics.median(values))
    if len(values) == 1:
        return middle
    return f"{middle} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def report(runs: list[Run], settings: Settings, rate: float) -> None:
    """`rate`: the link's bytes per second each way (0: unlimited)."""
    firsts = [r.first for r in runs if r.first is not None and r.first.completed]
    rounds = [s for r in runs for s in r.incremental if s.completed]
    outages = [r.outage for r in runs if r.outage is not None]
    done = [s for s in outages if s.completed]
    count = len(runs)

    def over(syncs: list[Sync], value: Callable[[Sync], float], fmt: str = "{:,.0f}") -> str:
        return spread([value(s) for s in syncs], fmt)

    def down_kb(s: Sync) -> float:
        return s.link.down.delivered_bytes / 1000

    def up_kb(s: Sync) -> float:
        return s.link.up.delivered_bytes / 1000

    def floor(syncs: list[Sync]) -> str:
        """How long the link alone takes for the bytes that came down, at its rate."""
        if rate <= 0:
            return ""
        seconds = over(syncs, lambda s: s.link.down.delivered_bytes / rate, "{:.1f}")
        return f"; at the link's rate the bytes down alone take {seconds} s"

    print()
    print(f"Figures over {count} run(s): median (min-max)")
    unshaped = [r.unshaped for r in runs if r.unshaped is not None and r.unshaped.completed]
    if unshaped:
        print(
            f"0. first sync, {settings.clients} clients, the link without delay, loss or rate "
            f"limit (software and CPU alone): {over(unshaped, lambda s: s.seconds, '{:.2f}')} s"
        )
    if firsts:
        med = statistics.median(s.seconds for s in firsts)
        print(
            f"1. first sync, {settings.clients} clients, shaped link without outages: "
            f"{over(firsts, lambda s: s.seconds, '{:.2f}')} s   target <= {TARGET_FIRST_S:g} s  "
            f"{verdict(med <= TARGET_FIRST_S and len(firsts) == count)}"
        )
        print(
            f"   rows received {over(firsts, lambda s: s.received)}, held "
            f"{over(firsts, lambda s: s.held)} ({over(firsts, lambda s: s.clients)} clients), "
            f"received - held {over(firsts, lambda s: s.redownloaded)}; "
            f"{over(firsts, lambda s: s.requests)} HTTP requests, "
            f"{over(firsts, lambda s: s.link.up.syns)} TCP SYNs; first rows applied after "
            f"{spread([s.first_rows_s for s in firsts if s.first_rows_s is not None], '{:.1f}')} s"
        )
        print(
            f"   on the wire (IP packets): down {over(firsts, down_kb)} kB, up "
            f"{over(firsts, up_kb)} kB; packets lost "
            f"{over(firsts, lambda s: s.link.down.lost + s.link.up.lost)}, tail-dropped "
            f"{over(firsts, lambda s: s.link.down.queue_drops + s.link.up.queue_drops)}"
            f"{floor(firsts)}"
        )
    else:
        print("1. first sync: no completed run   MISS")

    if rounds:
        times = [s.seconds for s in rounds]
        med, worst = statistics.median(times), max(times)
        all_there = len(rounds) == count * settings.rounds
        print(
            f"2. incremental sync of {settings.edits} edits, {len(rounds)} syncs "
            f"({settings.rounds} per run): {spread(times)} s   target median <= "
            f"{TARGET_INCREMENTAL_MEDIAN_S:g} s {verdict(med <= TARGET_INCREMENTAL_MEDIAN_S)}, "
            f"every sync <= {TARGET_INCREMENTAL_MAX_S:g} s (worst {worst:.2f}) "
            f"{verdict(worst <= TARGET_INCREMENTAL_MAX_S and all_there)}"
        )
        per_run = [
            statistics.median(s.seconds for s in r.incremental) for r in runs if r.incremental
        ]
        print(
            f"   median per run {', '.join(f'{t:.2f}' for t in per_run)} s; "
            f"{over(rounds, lambda s: s.requests)} HTTP requests, "
            f"{over(rounds, lambda s: s.link.up.syns)} SYNs, "
            f"{over(rounds, lambda s: down_kb(s) + up_kb(s), '{:,.1f}')} kB both ways per "
            f"sync; more than one press in {sum(s.presses > 1 for s in rounds)}"
        )
    else:
        print("2. incremental sync: no completed sync   MISS")

    if outages:
        med = statistics.median(s.seconds for s in done) if done else float("inf")
        complete = len(done) == count
        second = sum(s.presses > 1 for s in outages)
        worst_redownload = max(s.redownloaded for s in outages)
        hits = spread([r.outages_hit for r in runs if r.outage is not None], "{:.0f}")
        down = spread([r.down_s for r in runs if r.outage is not None], "{:.0f}")
        print(
            f"3. first sync with a {settings.drop_s:g} s outage every {settings.period_s:g} s "
            f"(the first {settings.drop_offset_s:g} s after the press): "
            f"{over(done, lambda s: s.seconds, '{:.2f}')} s"
            f"{'' if complete else f', {count - len(done)} run(s) never completed'}   "
            f"target <= {TARGET_OUTAGE_S:g} s  {verdict(med <= TARGET_OUTAGE_S and complete)}"
        )
        print(
            f"   a second press was needed in {second} of {len(outages)} run(s); presses "
            f"{over(outages, lambda s: s.presses)}; outages that began during the sync {hits},"
            f" the link down {down} s of it"
        )
        hooked = all(s.fetched_pages > 0 or s.received == 0 for s in outages)
        fetched = over(outages, lambda s: s.fetched_rows) if hooked else "n/a"
        refetched = over(outages, lambda s: s.fetched_rows - s.held) if hooked else "n/a"
        print(
            f"   rows received over all presses {over(outages, lambda s: s.received)}, rows in "
            f"the pages fetched {fetched}, held at the end {over(outages, lambda s: s.held)}"
        )
        print(
            f"   re-downloaded rows (received - held) {over(outages, lambda s: s.redownloaded)}"
            f"; by pages fetched {refetched}   target = 0  "
            f"{verdict(worst_redownload == 0 and complete)}"
        )
        print(
            f"   on the wire (IP packets): down {over(outages, down_kb)} kB, up "
            f"{over(outages, up_kb)} kB; {over(outages, lambda s: s.requests)} HTTP requests, "
            f"{over(outages, lambda s: s.link.up.syns)} SYNs; packets dropped in outages "
            f"{over(outages, lambda s: s.link.down.outage_drops + s.link.up.outage_drops)}"
            f"{floor(outages)}"
        )
    else:
        print("3. first sync with outages: no run got that far   MISS")
    failed = [r.failure for r in runs if r.failure]
    if failed:
        print(f"{len(failed)} run(s) failed: {'; '.join(failed)}")
    codes = [r.code for r in runs]
    if len(set(codes)) > 1:
        listed = ", ".join(f"run {n + 1}: {code}" for n, code in enumerate(codes))
        print(f"NOTE: the client code changed during the bench ({listed}); compare runs of one")


# ----------------------------------------------------------------------------------------- main


def working_tree() -> str:
    """HEAD and how many files differ from it (read-only git; figures of a dirty tree are not
    those of the commit)."""
    try:
        git = ["git", "-C", str(ROOT)]
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        changed = subprocess.run(
            [*git, "status", "--porcelain"], capture_output=True, text=True, timeout=10
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return f"HEAD {head or '?'}, {len(changed)} file(s) changed or new in the working tree"


def parse_drop(text: str) -> tuple[float, float]:
    try:
        down, period = (float(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError("expected DOWN/PERIOD in seconds, e.g. 10/30") from None
    if not 0 < down < period:
        raise argparse.ArgumentTypeError("0 < DOWN < PERIOD")
    return down, period


def main(argv: Sequence[str] | None = None) -> None:
    from bench.shaped_link import (
        ShapedLink,
        add_link_arguments,
        link_params,
        report_selftest,
        selftest,
        terminating_on_signals,
    )
    from bench.sync import machine_line

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=None, help="caseload (500; smoke 20)")
    parser.add_argument("--runs", type=int, default=None, help="runs (3; smoke 1)")
    parser.add_argument("--rounds", type=int, default=None, help="incremental syncs per run (5)")
    parser.add_argument("--edits", type=int, default=10, help="local edits per incremental sync")
    parser.add_argument(
        "--drop", type=parse_drop, default=None, help="outages: DOWN/PERIOD s (10/30; smoke 5/30)"
    )
    parser.add_argument(
        "--drop-offset", type=float, default=None, help="first outage, s after the press (2)"
    )
    parser.add_argument(
        "--repress-after", type=float, default=1.0, help="s before pressing sync again"
    )
    parser.add_argument("--idle", type=float, default=0.0, help="s between incremental syncs (0)")
    parser.add_argument("--seed", type=int, default=2026, help="demo data")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers")
    parser.add_argument("--smoke", action="store_true", help="20 clients, 1 run, short")
    parser.add_argument("--skip-selftest", action="store_true", help="no link check first")
    add_link_arguments(parser)
    args = parser.parse_args(argv)
    smoke = args.smoke
    drop = args.drop or ((5.0, 30.0) if smoke else (10.0, 30.0))
    settings = Settings(
        clients=args.clients or (20 if smoke else 500),
        rounds=args.rounds or (2 if smoke else 5),
        edits=args.edits,
        drop_s=drop[0],
        period_s=drop[1],
        # A smoke sync is short: the outage must come early to hit it.
        drop_offset_s=args.drop_offset if args.drop_offset is not None else 1.0 if smoke else 2.0,
        repress_after_s=args.repress_after,
        idle_s=args.idle,
    )
    runs = args.runs or (1 if smoke else 3)
    params = link_params(args)
    if os.geteuid() != 0:
        raise SystemExit("bench/field.py needs root: network namespaces and /dev/net/tun")

    print(f"Machine: {machine_line()}")
    print(f"Code: {working_tree()}")
    print(f"Link: {params.describe()}")
    print(
        f"Outages: {settings.drop_s:g} s every {settings.period_s:g} s in figure 3, the first "
        f"{settings.drop_offset_s:g} s after the first press; a failed sync is pressed again "
        f"after {settings.repress_after_s:g} s"
    )
    print(
        f"Caseload: {settings.clients} clients; {runs} run(s); {settings.rounds} incremental "
        f"syncs of {settings.edits} edits per run, {settings.idle_s:g} s apart"
    )
    print("Profiles use fast KDF params KdfParams(1024, 1, 1): unlocking is not measured.")
    started = time.monotonic()
    with ExitStack() as stack:
        stack.enter_context(terminating_on_signals())
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="veldwerk-field-")))
        central = stack.enter_context(seeded_central(clients=2 * settings.clients, seed=args.seed))
        print(
            f"Server seeded with {central.clients:,} clients / {central.records:,} records "
            f"in {central.seed_s:.1f} s (half of them are the caseworker's)"
        )
        link = stack.enter_context(ShapedLink(params, seed=args.link_seed))
        print(f"Link up: device {link.client_ip} in {link.namespace} <-> server {link.server_ip}")
        if not args.skip_selftest:
            print("Link check:", flush=True)
            for line in report_selftest(params, selftest(link, quick=smoke)):
                print(line)
        tls = make_tls(root, link.server_ip)
        base = stack.enter_context(serving(central, link, tls, root / "server.log", args.workers))
        print(f"Server: {base} (TLS, {args.workers} worker(s))", flush=True)
        results = []
        before = link.stats()
        for n in range(runs):
            results.append(one_run(n, central, link, base, tls[0], root, settings))
        spent = link.stats() - before
        report(results, settings, params.bytes_per_s if params.rate_kbit > 0 else 0.0)
        print(
            f"Forwarder CPU during the runs: {spent.forwarder_cpu_s:.1f} s over "
            f"{spent.wall_s:.0f} s ({spent.forwarder_cpu_s / max(spent.wall_s, 1e-9):.1%} of "
            f"one core). Whole bench: {time.monotonic() - started:.0f} s."
        )


if __name__ == "__main__":
    # Run as `python bench/field.py`, this file's directory is sys.path[0], where server.py would
    # shadow the server package; the repository root goes first instead.
    HERE = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != HERE]
    sys.path.insert(0, str(HERE.parent))
    if sys.argv[1:2] == ["--worker"]:
        worker_main()
    else:
        try:
            main()
        except KeyboardInterrupt as stopped:
            # Everything is torn down by now: the `with` blocks unwound on the way here.
            raise SystemExit(f"interrupted ({str(stopped) or 'Ctrl-C'}); cleaned up") from None
