"""A slow, lossy network link emulated in user space, for benchmarks that need real TCP over it.

The kernel here has no `netem`, so the shaping happens on IP packets in this process: two TUN
devices, one left in the root network namespace (the "server" end) and one moved into a fresh
namespace `vwfield-cli-<random>` (the "client" end), and a forwarder thread that reads each packet
from one device and writes it to the other when it is due. Per direction, independently:

- loss: each packet is dropped with probability `loss` (ACKs too, as on a real radio link);
- rate: a serialisation link of `rate_kbit` with a FIFO queue of at most `queue_bytes` in front
  of it; a packet that does not fit is tail-dropped;
- delay: `rtt_ms / 2` of propagation after the packet has been serialised;
- outages: optionally, everything is silently dropped for `down_s` seconds every `period_s`
  seconds (a phone hotspot that loses its uplink; the laptop's own Wi-Fi stays up, so the
  kernel sees no error and TCP has to find out by its retransmission timer).

Because whole IP packets are shaped, TCP's own retransmissions, congestion control and TLS all
run for real on both ends; a TCP proxy would hide the loss. Only IPv4 is forwarded.

    python bench/shaped_link.py --selftest [--rtt-ms 300] [--loss 0.02] [--rate-kbit 1000]

creates the link, measures round-trip time (UDP echo) and TCP goodput both ways on it, prints the
figures and tears it down. Needs root and /dev/net/tun. Names carry a random suffix, so two runs
never clash; namespaces, devices and helper processes are removed on exit, also after an error,
Ctrl-C or SIGTERM (a run killed with SIGKILL leaves its namespace; the next run removes it).
"""

from __future__ import annotations

import argparse
import fcntl
import heapq
import json
import os
import random
import secrets
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
NAMESPACE_PREFIX = "vwfield-cli-"
# Owner pids of live links, so a later run can tell a leftover of a killed run from a running one.
OWNERS = Path("/run/vwfield")
COMMAND_TIMEOUT_S = 15.0
# The longest the forwarder sleeps without looking at its stop flag.
IDLE_WAKE_S = 0.05
UP, DOWN = 0, 1  # client -> server, server -> client


@dataclass(frozen=True)
class LinkParams:
    rtt_ms: float = 300.0
    loss: float = 0.02
    rate_kbit: float = 1000.0  # 0: no rate limit
    queue_bytes: int = 64 * 1024

    @property
    def one_way_s(self) -> float:
        return self.rtt_ms / 2000.0

    @property
    def bytes_per_s(self) -> float:
        return self.rate_kbit * 1000.0 / 8.0

    def describe(self) -> str:
        rate = f"{self.rate_kbit:g} kbit/s" if self.rate_kbit > 0 else "unlimited rate"
        return (
            f"RTT {self.rtt_ms:g} ms ({self.rtt_ms / 2:g} ms each way), loss {self.loss:.1%} per "
            f"packet each way, {rate} each way, queue {self.queue_bytes // 1024} kB tail drop"
        )


@dataclass
class DirectionStats:
    offered_packets: int = 0
    offered_bytes: int = 0
    delivered_packets: int = 0
    delivered_bytes: int = 0
    lost: int = 0  # random loss
    queue_drops: int = 0  # tail drop: the queue was full
    outage_drops: int = 0  # dropped during an outage
    syns: int = 0  # TCP SYN packets offered (connection attempts, retransmitted SYNs included)

    def __sub__(self, other: DirectionStats) -> DirectionStats:
        return DirectionStats(
            **{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(self)}
        )


@dataclass
class LinkStats:
    up: DirectionStats = field(default_factory=DirectionStats)
    down: DirectionStats = field(default_factory=DirectionStats)
    forwarder_cpu_s: float = 0.0
    wall_s: float = 0.0

    def __sub__(self, other: LinkStats) -> LinkStats:
        return LinkStats(
            self.up - other.up,
            self.down - other.down,
            self.forwarder_cpu_s - other.forwarder_cpu_s,
            self.wall_s - other.wall_s,
        )


@dataclass(frozen=True)
class Outages:
    """Everything dropped for `down_s` seconds every `period_s` seconds from `anchor` on."""

    anchor: float  # time.monotonic() of the first outage's start
    down_s: float
    period_s: float

    def down_at(self, moment: float) -> bool:
        if moment < self.anchor:
            return False
        return (moment - self.anchor) % self.period_s < self.down_s


def _run(argv: Sequence[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(argv), capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=check
    )


def _open_tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    try:
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", name.encode(), IFF_TUN | IFF_NO_PI))
    except BaseException:
        os.close(fd)
        raise
    return fd


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed process not yet reaped still answers kill(pid, 0).
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def sweep_stale() -> list[str]:
    """Remove the namespaces of runs that were killed without tearing down (SIGKILL, power)."""
    removed: list[str] = []
    if not OWNERS.is_dir():
        return removed
    for marker in OWNERS.glob(NAMESPACE_PREFIX + "*"):
        try:
            pid = int(marker.read_text().strip() or 0)
        except (OSError, ValueError):
            pid = 0
        if pid and _alive(pid):
            continue
        _run(["ip", "netns", "del", marker.name], check=False)
        marker.unlink(missing_ok=True)
        removed.append(marker.name)
    return removed


def _free_subnet(rng: random.Random) -> int:
    """A third octet n for 10.77.n.0/30 that no address of the root namespace uses yet."""
    used = _run(["ip", "-4", "-o", "addr", "show"]).stdout
    candidates = [n for n in range(256) if f"10.77.{n}." not in used]
    if not candidates:
        raise RuntimeError("every 10.77.n.0/30 subnet is in use; are old links still up?")
    return rng.choice(candidates)


class ShapedLink:
    """The link as a context manager: entering builds it and starts the forwarder, leaving stops
    everything and removes namespace and devices. The server end has `server_ip` in the root
    namespace; processes started with `in_namespace(argv)` see only `client_ip` and reach the
    server end through the shaped link."""

    def __init__(self, params: LinkParams, *, seed: int | None = None) -> None:
        self._params = params
        self._rng = random.Random(seed)
        suffix = secrets.token_hex(3)
        self.namespace = NAMESPACE_PREFIX + suffix
        self.server_dev = f"vwf{suffix}s"  # interface names have at most 15 characters
        self.client_dev = f"vwf{suffix}c"
        self.server_ip = ""
        self.client_ip = ""
        self._fds: list[int] = []  # [client end, server end]
        self._heap: list[tuple[float, int, int, bytes]] = []
        self._seq = 0
        self._busy_until = [0.0, 0.0]
        self._outages: Outages | None = None
        self._stats = LinkStats()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = 0.0
        self._error: BaseException | None = None

    # ---- set-up and teardown

    def __enter__(self) -> ShapedLink:
        try:
            self._build()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _build(self) -> None:
        if os.geteuid() != 0:
            raise RuntimeError("the shaped link needs root (network namespaces, TUN devices)")
        sweep_stale()
        OWNERS.mkdir(parents=True, exist_ok=True)
        (OWNERS / self.namespace).write_text(str(os.getpid()))
        net = _free_subnet(self._rng)
        self.server_ip, self.client_ip = f"10.77.{net}.1", f"10.77.{net}.2"
        _run(["ip", "netns", "add", self.namespace])
        # Both devices are created here; the open descriptor keeps the client end attached to
        # this process after it moved, so the forwarder needs no foot in the namespace.
        self._fds = [_open_tun(self.client_dev), _open_tun(self.server_dev)]
        _run(["ip", "link", "set", self.client_dev, "netns", self.namespace])
        _run(["ip", "addr", "add", self.server_ip, "peer", self.client_ip, "dev", self.server_dev])
        _run(["ip", "link", "set", self.server_dev, "up"])
        ns = ["ip", "-n", self.namespace]
        _run([*ns, "addr", "add", self.client_ip, "peer", self.server_ip, "dev", self.client_dev])
        _run([*ns, "link", "set", self.client_dev, "up"])
        _run([*ns, "link", "set", "lo", "up"])
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._forward, name="shaped-link", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        # Whatever still runs in the namespace was started through this link.
        listed = _run(["ip", "netns", "pids", self.namespace], check=False).stdout.split()
        for pid in listed:
            with suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)
        # Closing the descriptor of a non-persistent TUN device deletes the device, wherever
        # it lives.
        for fd in self._fds:
            with suppress(OSError):
                os.close(fd)
        self._fds = []
        _run(["ip", "netns", "del", self.namespace], check=False)
        (OWNERS / self.namespace).unlink(missing_ok=True)

    def in_namespace(self, argv: Sequence[str]) -> list[str]:
        """`argv` as a command that runs on the client end of the link."""
        return ["ip", "netns", "exec", self.namespace, *argv]

    # ---- control while running

    @property
    def params(self) -> LinkParams:
        return self._params

    def set_params(self, params: LinkParams) -> None:
        """Applies to packets that arrive from now on; those already queued keep their timing."""
        with self._lock:
            self._params = params

    def start_outages(self, down_s: float, period_s: float, *, after_s: float = 0.0) -> None:
        if not 0 < down_s < period_s:
            raise ValueError("an outage must be shorter than its period, and longer than 0")
        with self._lock:
            self._outages = Outages(time.monotonic() + after_s, down_s, period_s)

    def stop_outages(self) -> None:
        with self._lock:
            self._outages = None

    def stats(self) -> LinkStats:
        self.check()
        with self._lock:
            return LinkStats(
                replace(self._stats.up),
                replace(self._stats.down),
                self._stats.forwarder_cpu_s,
                time.monotonic() - self._started,
            )

    def check(self) -> None:
        """Raise if the forwarder died: figures measured on a dead link would be nonsense."""
        if self._error is not None:
            raise RuntimeError("the link's forwarder stopped") from self._error

    # ---- the forwarder

    def _forward(self) -> None:
        try:
            self._loop()
        except BaseException as error:  # kept for check(); a thread cannot raise to anyone
            self._error = error

    def _loop(self) -> None:
        poller = select.epoll()
        try:
            for fd in self._fds:
                poller.register(fd, select.EPOLLIN)
            direction_of = {self._fds[0]: UP, self._fds[1]: DOWN}
            while not self._stop.is_set():
                now = time.monotonic()
                self._deliver_due(now)
                wait = IDLE_WAKE_S
                if self._heap:
                    wait = min(wait, max(0.0, self._heap[0][0] - now))
                for fd, _mask in poller.poll(wait):
                    self._read_all(fd, direction_of[fd])
                self._stats.forwarder_cpu_s = time.thread_time()
        finally:
            poller.close()

    def _read_all(self, fd: int, direction: int) -> None:
        while True:
            try:
                packet = os.read(fd, 65536)
            except BlockingIOError:
                return
            if packet:
                self._admit(packet, direction, time.monotonic())

    def _admit(self, packet: bytes, direction: int, now: float) -> None:
        if packet[0] >> 4 != 4:
            return  # IPv6 router solicitations and the like: not part of the experiment
        with self._lock:
            params, outages = self._params, self._outages
            stats = self._stats.up if direction == UP else self._stats.down
            stats.offered_packets += 1
            stats.offered_bytes += len(packet)
            if _is_syn(packet):
                stats.syns += 1
            if outages is not None and outages.down_at(now):
                stats.outage_drops += 1
                return
            if params.loss > 0 and self._rng.random() < params.loss:
                stats.lost += 1
                return
            if params.rate_kbit > 0:
                start = max(now, self._busy_until[direction])
                backlog = (start - now) * params.bytes_per_s
                if backlog + len(packet) > params.queue_bytes:
                    stats.queue_drops += 1
                    return
                self._busy_until[direction] = start + len(packet) / params.bytes_per_s
                sent = self._busy_until[direction]
            else:
                sent = now
            self._seq += 1
            heapq.heappush(self._heap, (sent + params.one_way_s, self._seq, direction, packet))

    def _deliver_due(self, now: float) -> None:
        while self._heap and self._heap[0][0] <= now:
            _due, _seq, direction, packet = heapq.heappop(self._heap)
            with self._lock:
                stats = self._stats.up if direction == UP else self._stats.down
                # A packet in flight when the uplink goes away is lost with it.
                if self._outages is not None and self._outages.down_at(now):
                    stats.outage_drops += 1
                    continue
                stats.delivered_packets += 1
                stats.delivered_bytes += len(packet)
            target = self._fds[1] if direction == UP else self._fds[0]
            with suppress(BlockingIOError):
                os.write(target, packet)


def _is_syn(packet: bytes) -> bool:
    """A TCP segment with SYN set and ACK not: someone opens a connection."""
    if len(packet) < 20 or packet[9] != 6:
        return False
    header = (packet[0] & 0x0F) * 4
    return len(packet) > header + 13 and packet[header + 13] & 0x12 == 0x02


@contextmanager
def terminating_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP unwind like Ctrl-C does, so every `finally` and `with` tears down."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


# ------------------------------------------------------------------------------------ self-test


@dataclass(frozen=True)
class SelfTest:
    rtt_ms: list[float]  # UDP echo round trips, no loss
    rate_kbit: float  # UDP arriving down at the client, sent at 1.5x the rate: the shaper alone
    down_kbit: float  # TCP goodput server -> client, no loss, first byte to last
    up_kbit: float
    down_s: float  # the whole download, connection set-up included
    lossy_rtt_ms: list[float]
    lossy_sent: int
    lossy_down_kbit: float  # TCP with the configured loss
    lossy_down_s: float
    forwarder_cpu_s: float
    wall_s: float
    size: int


class _Endpoints:
    """The server end of the probes, in this process on the root namespace's side. UDP: an echo;
    a datagram "blast S K" is answered by S seconds of 1472-byte datagrams at K kbit/s. TCP:
    "down N" sends N bytes, "up N" takes N bytes and answers "ok <kbit/s it saw>"."""

    def __init__(self, host: str) -> None:
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((host, 0))
        self.udp.settimeout(0.2)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((host, 0))
        self.tcp.listen(4)
        self.tcp.settimeout(0.2)
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._echo, daemon=True),
            threading.Thread(target=self._serve, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @property
    def udp_port(self) -> int:
        return int(self.udp.getsockname()[1])

    @property
    def tcp_port(self) -> int:
        return int(self.tcp.getsockname()[1])

    def _echo(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.udp.recvfrom(2048)
            except (TimeoutError, OSError):
                continue
            if data.startswith(b"blast "):
                _verb, seconds, kbit = data.decode().split()
                self._blast(peer, float(seconds), float(kbit))
                continue
            with suppress(OSError):
                self.udp.sendto(data, peer)

    def _blast(self, peer: tuple[str, int], seconds: float, kbit: float) -> None:
        payload = b"\0" * 1472  # a 1500-byte IP packet
        interval = 1500 * 8 / (kbit * 1000)
        started = time.monotonic()
        sent = 0
        while time.monotonic() - started < seconds and not self._stop.is_set():
            with suppress(OSError):
                self.udp.sendto(payload, peer)
            sent += 1
            time.sleep(max(0.0, started + sent * interval - time.monotonic()))

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _peer = self.tcp.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(120)
                with suppress(OSError):
                    self._one(conn)

    @staticmethod
    def _one(conn: socket.socket) -> None:
        line = b""
        while not line.endswith(b"\n"):
            chunk = conn.recv(1)
            if not chunk:
                return
            line += chunk
        verb, count = line.decode().split()
        if verb == "down":
            conn.sendall(os.urandom(int(count)))  # random: nothing on the way can compress it
            return
        # Timed here, at the receiving end: the sender's clock sees only its own buffer.
        got, first, _last = _receive(conn, int(count))
        kbit = got * 8 / 1000 / max(time.monotonic() - first, 1e-9)
        conn.sendall(f"ok {kbit:.3f}\n".encode())

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self.udp.close()
        self.tcp.close()


def _receive(conn: socket.socket, size: int) -> tuple[int, float, float]:
    """Read `size` bytes; (bytes, time of the first, time of the last)."""
    got = 0
    first = last = 0.0
    while got < size:
        chunk = conn.recv(min(65536, size - got))
        if not chunk:
            break
        last = time.monotonic()
        first = first or last
        got += len(chunk)
    return got, first, last


def _probe_in_namespace(link: ShapedLink, *args: str, timeout: float) -> dict[str, Any]:
    argv = link.in_namespace([sys.executable, str(Path(__file__).resolve()), "--probe", *args])
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"probe {args[0]} failed: {done.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def selftest(link: ShapedLink, *, quick: bool = False) -> SelfTest:
    """RTT, the shaper's rate, and TCP goodput both ways without loss (loss would hide the rate:
    TCP backs off at every lost packet), then RTT and TCP goodput with the configured loss. The
    link's parameters are as they were afterwards."""
    configured = link.params
    before = link.stats()
    endpoints = _Endpoints(link.server_ip)
    size = 100_000 if quick else 400_000
    probes, blast_s = ("10", "1") if quick else ("20", "2")
    host, udp, tcp = link.server_ip, str(endpoints.udp_port), str(endpoints.tcp_port)
    slack = 90.0
    try:
        link.set_params(replace(configured, loss=0.0))
        clean = _probe_in_namespace(link, "udp", host, udp, probes, "0.1", timeout=slack)
        blast_kbit = str(configured.rate_kbit * 1.5 if configured.rate_kbit > 0 else 20_000)
        rate = _probe_in_namespace(link, "blast", host, udp, blast_s, blast_kbit, timeout=slack)
        down = _probe_in_namespace(link, "down", host, tcp, str(size), timeout=slack)
        up = _probe_in_namespace(link, "up", host, tcp, str(size), timeout=slack)
        link.set_params(configured)
        count = "50" if quick else "250"
        lossy = _probe_in_namespace(link, "udp", host, udp, count, "0.02", timeout=slack)
        lossy_down = _probe_in_namespace(link, "down", host, tcp, str(size), timeout=slack)
    finally:
        link.set_params(configured)
        endpoints.close()
    spent = link.stats() - before
    return SelfTest(
        rtt_ms=clean["rtt_ms"],
        rate_kbit=rate["kbit"],
        down_kbit=down["kbit"],
        up_kbit=up["kbit"],
        down_s=down["seconds"],
        lossy_rtt_ms=lossy["rtt_ms"],
        lossy_sent=lossy["sent"],
        lossy_down_kbit=lossy_down["kbit"],
        lossy_down_s=lossy_down["seconds"],
        forwarder_cpu_s=spent.forwarder_cpu_s,
        wall_s=spent.wall_s,
        size=size,
    )


def report_selftest(params: LinkParams, result: SelfTest) -> list[str]:
    rtt = result.rtt_ms
    # Per 1500-byte packet, UDP carries 1472 bytes and TCP (with timestamps) 1448.
    udp_expected = params.rate_kbit * 1472 / 1500
    tcp_ceiling = params.rate_kbit * 1448 / 1500
    lossy_lost = result.lossy_sent - len(result.lossy_rtt_ms)
    pair = 1 - (1 - params.loss) ** 2
    lossy_median = statistics.median(result.lossy_rtt_ms) if result.lossy_rtt_ms else float("nan")
    return [
        f"  RTT, UDP echo, no loss: median {statistics.median(rtt):.1f} ms (min {min(rtt):.1f}, "
        f"max {max(rtt):.1f}, {len(rtt)} probes)   configured {params.rtt_ms:g} ms",
        f"  rate, UDP sent down at 1.5x the rate: {result.rate_kbit:,.0f} kbit/s of "
        f"payload arrived   expected {udp_expected:,.0f} ({params.rate_kbit:g} kbit/s of IP "
        "packets)",
        f"  TCP goodput, no loss, {result.size // 1000} kB, first byte to last (slow start "
        f"included): down {result.down_kbit:,.0f} kbit/s, up {result.up_kbit:,.0f} kbit/s   "
        f"ceiling {tcp_ceiling:,.0f}",
        f"  with {params.loss:.1%} loss: {lossy_lost} of {result.lossy_sent} echo probes lost "
        f"({lossy_lost / max(1, result.lossy_sent):.1%}; a round trip crosses the link twice, "
        f"expected {pair:.1%}), RTT median {lossy_median:.1f} ms; TCP down "
        f"{result.lossy_down_kbit:,.0f} kbit/s ({result.size // 1000} kB in "
        f"{result.lossy_down_s:.1f} s, connection set-up included; no loss: "
        f"{result.down_s:.1f} s)",
        f"  forwarder CPU: {result.forwarder_cpu_s:.2f} s over {result.wall_s:.1f} s "
        f"({result.forwarder_cpu_s / max(result.wall_s, 1e-9):.1%} of one core)",
    ]


# ------------------------------------------------------------- probes (run inside the namespace)


def _probe_udp(host: str, port: int, count: int, interval: float) -> dict[str, Any]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((host, port))
    sock.setblocking(False)
    sent_at: dict[int, float] = {}
    rtts: list[float] = []
    # Late enough for any echo that is coming: the link's queue holds well under a second.
    deadline = time.monotonic() + count * interval + 1.5
    next_send = time.monotonic()
    n = 0
    while time.monotonic() < deadline and (n < count or len(rtts) < count):
        now = time.monotonic()
        if n < count and now >= next_send:
            sent_at[n] = now
            sock.send(struct.pack("!I", n) + b"\0" * 60)
            n += 1
            next_send += interval
        ready, _, _ = select.select([sock], [], [], max(0.0, min(next_send - now, 0.05)))
        if ready:
            with suppress(BlockingIOError, ConnectionRefusedError):
                data = sock.recv(2048)
                seq = struct.unpack("!I", data[:4])[0]
                if seq in sent_at:
                    rtts.append((time.monotonic() - sent_at.pop(seq)) * 1000)
    sock.close()
    return {"sent": n, "rtt_ms": rtts}


def _probe_blast(host: str, port: int, seconds: float, kbit: float) -> dict[str, Any]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    sock.connect((host, port))
    sock.send(f"blast {seconds} {kbit}".encode())
    sock.settimeout(seconds + 5.0)
    first = last = 0.0
    got = first_size = 0
    while True:
        try:
            size = len(sock.recv(2048))
        except TimeoutError:
            break
        last = time.monotonic()
        if not first:
            first, first_size = last, size
            sock.settimeout(0.5)  # the end: half a second of silence
        got += size
    sock.close()
    # Bytes that arrived after the first datagram, over the time they took.
    return {"bytes": got, "kbit": (got - first_size) * 8 / 1000 / max(last - first, 1e-9)}


def _probe_down(host: str, port: int, size: int) -> dict[str, Any]:
    with socket.create_connection((host, port), timeout=30) as sock:
        started = time.monotonic()
        sock.sendall(f"down {size}\n".encode())
        got, first, last = _receive(sock, size)
    return {"bytes": got, "seconds": last - started, "kbit": got * 8 / 1000 / (last - first)}


def _probe_up(host: str, port: int, size: int) -> dict[str, Any]:
    with socket.create_connection((host, port), timeout=30) as sock:
        started = time.monotonic()
        sock.sendall(f"up {size}\n".encode())
        sock.sendall(os.urandom(size))
        answer = sock.makefile("rb").readline().decode().split()
        ended = time.monotonic()
    if answer[:1] != ["ok"]:
        raise RuntimeError(f"upload not confirmed: {answer!r}")
    return {"bytes": size, "seconds": ended - started, "kbit": float(answer[1])}


def _probe(args: Sequence[str]) -> None:
    kind, host, port, *rest = args
    if kind == "udp":
        result = _probe_udp(host, int(port), int(rest[0]), float(rest[1]))
    elif kind == "blast":
        result = _probe_blast(host, int(port), float(rest[0]), float(rest[1]))
    elif kind == "down":
        result = _probe_down(host, int(port), int(rest[0]))
    elif kind == "up":
        result = _probe_up(host, int(port), int(rest[0]))
    else:
        raise SystemExit(f"unknown probe {kind}")
    print(json.dumps(result))


def add_link_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = LinkParams()
    parser.add_argument("--rtt-ms", type=float, default=defaults.rtt_ms, help="round trip, ms")
    parser.add_argument(
        "--loss", type=float, default=defaults.loss, help="packet loss each way (0.02 = 2%%)"
    )
    parser.add_argument(
        "--rate-kbit", type=float, default=defaults.rate_kbit, help="each way; 0 = unlimited"
    )
    parser.add_argument(
        "--queue-kb", type=int, default=defaults.queue_bytes // 1024, help="queue per direction"
    )
    parser.add_argument("--link-seed", type=int, default=None, help="seed of the loss (random)")


def link_params(args: argparse.Namespace) -> LinkParams:
    return LinkParams(args.rtt_ms, args.loss, args.rate_kbit, args.queue_kb * 1024)


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--probe"]:
        _probe(argv[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--selftest", action="store_true", help="measure the link and exit")
    parser.add_argument("--quick", action="store_true", help="a shorter self-test")
    add_link_arguments(parser)
    args = parser.parse_args(argv)
    if not args.selftest:
        parser.error("nothing to do: pass --selftest (the bench imports this module)")
    params = link_params(args)
    print(f"Link: {params.describe()}")
    with terminating_on_signals(), ShapedLink(params, seed=args.link_seed) as link:
        print(
            f"  namespace {link.namespace}: {link.client_ip} ({link.client_dev}) <-> "
            f"{link.server_ip} ({link.server_dev}) in the root namespace"
        )
        for line in report_selftest(params, selftest(link, quick=args.quick)):
            print(line)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt as stopped:
        raise SystemExit(f"interrupted ({str(stopped) or 'Ctrl-C'}); cleaned up") from None
