"""Paired sync benchmark: this checkout against another one, alternating, on one database.

Run from the repository root (PostgreSQL as for bench/sync.py):

    git worktree add /tmp/veldwerk-base <revision>
    .venv/bin/python bench/paired.py /tmp/veldwerk-base [--clients 500] [--pairs 3] [--rounds 15]

On a shared machine single runs differ by tens of percent, and a figure from another hour says
little about a change. This bench seeds one scratch database (migrated by this checkout, so the
other one must run on its schema: a newer schema with columns it does not know is fine), then
runs the same measurement `--pairs` times for each checkout, alternating which goes first: a
server of that checkout, a fresh device's first sync, then `--rounds` syncs of 10 edits each
and `--rounds` syncs with nothing to send (medians). Each measurement is a process of its own
with the checkout first on PYTHONPATH, so device, server and worker processes all run that
checkout's code (the process prints where its `server` package came from, and the bench checks
it). Prints each pair and its ratio, and the median ratio; asserts nothing (DESIGN.md §2). The
data is the demo generator's: nothing in it is real.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("first", "edits", "empty")
LABELS = {
    "first": "first sync",
    "edits": "sync of 10 edits",
    "empty": "sync, nothing to send",
}


def measure(url: str, password: str, rounds: int) -> dict[str, Any]:
    """One measurement with the code on sys.path (run in a process of its own)."""
    from app.services import sync as sync_service
    from bench.server import running_server
    from bench.sync import Central, edit, enroll_device, sync, warm_up

    with tempfile.TemporaryDirectory(prefix="veldwerk-bench-paired-") as tmp:
        root = Path(tmp)
        with running_server(url, 2, root) as base:
            central = Central(url, base, password, 0, 0, 0.0)
            warm_up(central, root / "home", "warm")
            device = enroll_device(central, root / "home", "measured")
            try:
                started = time.perf_counter()
                sync(device)
                first = time.perf_counter() - started
                ids = [c.id for c in device.store.caseload(limit=10 * rounds)]
                edits, empty = [], []
                for n in range(rounds):
                    edit(device.store, ids[(10 * n) % len(ids) :][:10] or ids[:10])
                    started = time.perf_counter()
                    sync_service.sync_profile(device.profile, device.store)
                    edits.append(time.perf_counter() - started)
                for _ in range(rounds):
                    started = time.perf_counter()
                    sync_service.sync_profile(device.profile, device.store)
                    empty.append(time.perf_counter() - started)
            finally:
                device.store.close()
    import server

    return {
        "code": str(Path(server.__file__).resolve().parent.parent),
        "first": first,
        "edits": statistics.median(edits),
        "empty": statistics.median(empty),
    }


# The demo password goes to the measuring process in its environment: as an argument, one that
# began with "-" was taken for an option.
PASSWORD_VARIABLE = "VELDWERK_BENCH_PASSWORD"


def run_checkout(checkout: Path, url: str, password: str, rounds: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(checkout), PASSWORD_VARIABLE: password}
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", url]
    command += ["--rounds", str(rounds)]
    done = subprocess.run(command, env=env, cwd=checkout, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"measuring {checkout} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if Path(result["code"]) != checkout.resolve():
        raise RuntimeError(f"{checkout}: the measurement ran the code in {result['code']}")
    return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("baseline", nargs="?", type=Path, help="the other checkout")
    parser.add_argument("--clients", type=int, default=500, help="caseload of one caseworker")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=15, help="syncs per figure (median)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, os.environ[PASSWORD_VARIABLE], args.rounds)))
        return
    if args.baseline is None or not (args.baseline / "server").is_dir():
        parser.error("name a checkout of Veldwerk to compare with (git worktree add ...)")

    from bench.server import scratch_database
    from bench.sync import ADMIN_URL, machine_line
    from server.db import make_engine, make_sessionmaker, session_scope
    from server.migrations.runner import upgrade
    from server.seed import DEMO_CASEWORKERS, seed_demo

    checkouts = {"this": ROOT, "baseline": args.baseline.resolve()}
    print(f"Machine: {machine_line()}")
    for name, path in checkouts.items():
        head = subprocess.run(
            ["git", "-C", str(path), "log", "-1", "--format=%h %s"], capture_output=True, text=True
        ).stdout.strip()
        print(f"{name}: {path} ({head or 'not a git checkout'})")
    with scratch_database(ADMIN_URL) as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            with session_scope(make_sessionmaker(engine)) as session:
                seeded = seed_demo(session, clients=2 * args.clients, seed=args.seed)
        finally:
            engine.dispose()
        password = next(p for user, _, p in seeded.accounts if user == DEMO_CASEWORKERS[0])
        print(f"Seeded {seeded.clients:,} clients / {seeded.records:,} records (one database)\n")
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in checkouts}
        for pair in range(args.pairs):
            order = ("this", "baseline") if pair % 2 == 0 else ("baseline", "this")
            for name in order:
                results[name].append(run_checkout(checkouts[name], url, password, args.rounds))
            now, base = results["this"][-1], results["baseline"][-1]
            print(
                f"pair {pair + 1} ({order[0]} first): "
                + "; ".join(
                    f"{LABELS[f]} {_shown(f, now[f])} vs {_shown(f, base[f])} "
                    f"({now[f] / base[f]:.2f}x)"
                    for f in FIGURES
                )
            )
    print("\nmedian over the pairs: this vs baseline (ratio of the medians)")
    for figure in FIGURES:
        now_median = statistics.median(r[figure] for r in results["this"])
        base_median = statistics.median(r[figure] for r in results["baseline"])
        print(
            f"  {LABELS[figure]}: {_shown(figure, now_median)} vs {_shown(figure, base_median)}"
            f" = {now_median / base_median:.2f}x"
        )


def _shown(figure: str, seconds: float) -> str:
    return f"{seconds:.2f} s" if figure == "first" else f"{seconds * 1000:.0f} ms"


if __name__ == "__main__":
    # Run as `python bench/paired.py`, this file's directory is sys.path[0], where server.py would
    # shadow the server package. A measurement takes its code from PYTHONPATH (the checkout it
    # measures); the bench itself from this repository's root.
    HERE = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != HERE]
    if "--measure" not in sys.argv:
        sys.path.insert(0, str(HERE.parent))
    main()
