"""Load test of ``corridors serve``: concurrent clients on loopback, latency, errors and memory.

Starts the server as its own process on 127.0.0.1 (never another address), then runs a bounded
number of rounds; in each, N clients send M requests each over keep-alive connections, a fixed
mix of single routes, k=3 alternatives, place look-ups (autocomplete) and rankings between
places of the network. Prints, per round and per kind of request, throughput, p50/p99 latency
and errors, and the server's resident memory (with its worker processes) around every round.
A warm-up round (not reported) fills the server's caches first.

Usage:
    python benchmarks/load.py                      # 16 clients x 20 requests, 1 warm-up + 3 rounds
    python benchmarks/load.py --workers 2          # corridors serve --workers 2
    python benchmarks/load.py --clients 32 --requests 50 --rounds 5

Target (issue #17): no error, p99 under 250 ms for single routes at 16 clients on 2 cores, and
memory flat across rounds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

HOST = "127.0.0.1"  # loopback only: this script never sends traffic anywhere else
#: The share of each kind of request in the mix.
MIX = (("route", 0.6), ("route k=3", 0.1), ("places", 0.25), ("rank", 0.05))


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int, extra: list[str]) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "corridors", "serve", "--host", HOST, "--port", str(port), *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server stopped: {proc.stderr.read()}")
        try:
            status, _ = get(http.client.HTTPConnection(HOST, port, timeout=2), "/health")
            if status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("the server did not start within 60 s")


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn's workers), in MB."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for p in tree:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


def requests_for(rng: random.Random, cities: list[str], n: int) -> list[tuple[str, str]]:
    kinds = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX], k=n)
    out = []
    for kind in kinds:
        a, b = rng.sample(cities, 2)
        if kind == "route":
            query = {"from": a, "to": b, "by": rng.choice(["time", "cost", "distance"])}
            path = "/v1/route?" + urllib.parse.urlencode(query)
        elif kind == "route k=3":
            path = "/v1/route?" + urllib.parse.urlencode({"from": a, "to": b, "k": 3})
        elif kind == "places":
            path = "/v1/places?" + urllib.parse.urlencode({"q": a[: rng.randint(2, 4)], "limit": 12})
        else:
            path = "/v1/rank?" + urllib.parse.urlencode({"by": rng.choice(["time", "cost"])})
        out.append((kind, path))
    return out


def client(port: int, work: list[tuple[str, str]], results: list, lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    mine = []
    for kind, path in work:
        t = time.perf_counter()
        try:
            status, _ = get(conn, path)
            ok = status == 200 or (kind.startswith("route") and status == 422)  # no route is an answer
        except (OSError, http.client.HTTPException) as err:
            status, ok = repr(err), False
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine.append((kind, time.perf_counter() - t, ok, status))
    conn.close()
    with lock:
        results.extend(mine)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_round(port: int, cities: list[str], clients: int, requests: int, seed: int) -> tuple[float, list]:
    rng = random.Random(seed)
    work = [requests_for(rng, cities, requests) for _ in range(clients)]
    results: list = []
    lock = threading.Lock()
    threads = [threading.Thread(target=client, args=(port, w, results, lock)) for w in work]
    t = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return time.perf_counter() - t, results


def report(elapsed: float, results: list) -> dict:
    by_kind = defaultdict(list)
    for kind, seconds, ok, status in results:
        by_kind[kind].append((seconds, ok, status))
    print(f"  {'kind':<10} {'n':>5} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, rows in [("all", [r[1:] for r in results]), *sorted(by_kind.items())]:
        times = [r[0] * 1000 for r in rows]
        errors = sum(1 for r in rows if not r[1])
        print(
            f"  {kind:<10} {len(rows):>5} {errors:>6} {statistics.median(times):>8.1f} "
            f"{percentile(times, 0.99):>8.1f} {max(times):>8.1f}"
        )
    failures = sorted({str(r[3]) for r in results if not r[2]})
    if failures:
        print(f"  failures: {', '.join(failures)}")
    print(f"  throughput {len(results) / elapsed:,.0f} requests/s ({len(results)} in {elapsed:.2f} s)")
    single = [r[1] * 1000 for r in results if r[0] == "route"]
    return {"errors": sum(1 for r in results if not r[2]), "route_p99_ms": percentile(single, 0.99)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=20, help="requests per client and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--network", help="network folder (passed to corridors serve)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (corridors serve --workers)")
    parser.add_argument("--warmup", type=int, default=1, help="rounds run first and not reported (caches)")
    args = parser.parse_args()
    bounded = 1 <= args.clients <= 256 and 1 <= args.requests <= 1000 and 1 <= args.rounds <= 20
    if not bounded or not 0 <= args.warmup <= 5:
        sys.exit("keep it bounded: 1-256 clients, 1-1000 requests each, 1-20 rounds, 0-5 warm-up rounds")
    port = free_port()
    extra = ["--workers", str(args.workers), *(["--network", args.network] if args.network else [])]
    proc = start_server(port, extra)
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        _, body = get(conn, "/v1/places?kind=city")
        cities = [p["name"] for p in json.loads(body)]
        print(
            f"corridors serve on {HOST}:{port}, {len(cities)} cities; {args.clients} clients x "
            f"{args.requests} requests x {args.rounds} rounds; {os.cpu_count()} CPUs; "
            f"mix {', '.join(f'{k} {w:.0%}' for k, w in MIX)}"
        )
        print(f"server memory after start: {rss_mb(proc.pid):.1f} MB")
        for i in range(args.warmup):
            run_round(port, cities, args.clients, args.requests, args.seed - 1 - i)
        if args.warmup:
            print(f"after {args.warmup} warm-up round(s), not reported: {rss_mb(proc.pid):.1f} MB")
        worst = {"errors": 0, "route_p99_ms": 0.0}
        for i in range(args.rounds):
            before = rss_mb(proc.pid)
            elapsed, results = run_round(port, cities, args.clients, args.requests, args.seed + i)
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(
                f"round {i + 1}: memory {before:.1f} MB before, {rss_mb(proc.pid):.1f} MB after; "
                f"machine load average {load}"
            )
            figures = report(elapsed, results)
            worst["errors"] += figures["errors"]
            worst["route_p99_ms"] = max(worst["route_p99_ms"], figures["route_p99_ms"])
        verdict = "met" if worst["errors"] == 0 and worst["route_p99_ms"] < 250 else "NOT met"
        print(
            f"target (no error, single-route p99 < 250 ms): {verdict}: {worst['errors']} errors, "
            f"worst single-route p99 {worst['route_p99_ms']:.1f} ms"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
