"""Benchmark corridors: cold start, ranking, and networks of 10^4-10^6 links against scipy.

Prints every figure as median (min-max) over repeated runs, the ratio to each target, and the
machine it ran on. Nothing here is a test: the targets are checked by reading the output.

Usage:
    python benchmarks/bench.py                          # everything (the 10^6 network takes ~10 min once)
    python benchmarks/bench.py --sizes 10000,100000     # smaller networks only
    python benchmarks/bench.py --only cold,rank,reach   # the seed-network figures only
    python benchmarks/bench.py --first-runs 1           # one first load per network (faster)

Synthetic networks are written by benchmarks/generate.py into --data (default
/tmp/corridors-bench), with their cache beside them; delete the folder to start afresh.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(cmd: list[str], env: dict | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):8.3f} s  ({min(values):.3f}-{max(values):.3f}, n={len(values)})"


def corridors_cmd() -> list[str]:
    exe = shutil.which("corridors")
    return [exe] if exe else [sys.executable, "-m", "corridors"]


def cold_start(runs: int) -> None:
    print("\n== Cold start: whole process, built-in network ==")
    nx_times, route_times = [], []
    route = [*corridors_cmd(), "route", "Almaty", "Karachi", "--json"]
    timed(route)  # warm the file cache once
    for _ in range(runs):
        nx_times.append(timed([sys.executable, "-c", "import networkx"]))
        route_times.append(timed(route))
    ratio = statistics.median(route_times) / statistics.median(nx_times)
    print(f"python -c 'import networkx'            {summary(nx_times)}")
    print(f"corridors route Almaty Karachi --json  {summary(route_times)}")
    print(f"ratio (target <= 1.3)                  {ratio:8.2f}  {'OK' if ratio <= 1.3 else 'MISSED'}")


def rank(runs: int) -> None:
    print("\n== corridors rank: all projects, default pairs, built-in network ==")
    times = [timed([*corridors_cmd(), "rank"]) for _ in range(runs)]
    med = statistics.median(times)
    verdict = "OK" if med < 3 else "MISSED"
    print(f"corridors rank (whole process)         {summary(times)}  target < 3 s: {verdict}")


def reach(runs: int) -> None:
    print("\n== corridors reach: Kazakhstan -> Arabian Sea, every place and region, built-in network ==")
    nx_times = [timed([sys.executable, "-c", "import networkx"]) for _ in range(runs)]
    times = [timed([*corridors_cmd(), "reach"]) for _ in range(runs)]
    med = statistics.median(times)
    print(f"python -c 'import networkx'            {summary(nx_times)}")
    verdict = "OK" if med < 2 else "MISSED"
    print(f"corridors reach (whole process)        {summary(times)}  target < 2 s: {verdict}")
    print(f"ratio to importing networkx            {med / statistics.median(nx_times):8.2f}")


def judged(label: str, value: float, target: float, what: str, unit: str = "s") -> str:
    """One figure with its ratio to the target: ``label value (ratio r of target what)``."""
    ratio = value / target
    shown = f"{value:8.3f} {unit}" if unit == "s" else f"{value:8,.0f} {unit}"
    verdict = "OK" if ratio <= 1 else "MISSED"
    return f"{label:<40}{shown}  {ratio:5.2f} of the target ({what}): {verdict}"


def scale(size: int, runs: int, data: Path, first_runs: int) -> None:
    from benchmarks import generate

    folder = data / f"links{size}"
    env = {**os.environ, "CORRIDORS_CACHE_DIR": str(data / f"cache{size}")}
    print(f"\n== Synthetic network, {size:,} links requested ==")
    if not (folder / "nodes.geojson").is_file():
        t = time.perf_counter()
        nodes, links = generate.generate(folder, size)
        print(f"generated {nodes:,} places and {links:,} links in {time.perf_counter() - t:.1f} s")
    # the baseline and the first load take turns, so that both meet the same load on the machine
    bases, colds = [], []
    for _ in range(max(1, first_runs)):
        bases.append(run_worker(folder, env, runs=1, load_only=True, baseline=True))
        shutil.rmtree(data / f"cache{size}", ignore_errors=True)
        colds.append(run_worker(folder, env, runs=1, load_only=True))
    base_s = statistics.median(b["load_s"] for b in bases)
    cold_s = statistics.median(c["load_s"] for c in colds)
    print(
        f"baseline: geopandas read + networkx graph {summary([b['load_s'] for b in bases])}  "
        f"peak {max(b['peak_mb'] for b in bases):,.0f} MB (fresh process, imports included)"
    )
    print(f"first load: parse, validate, build, cache {summary([c['load_s'] for c in colds])}")
    print(judged("  median", cold_s, 1.5 * base_s, f"<= 1.5 x baseline {base_s:.2f} s"))
    peak = max(c["peak_mb"] for c in colds)
    print(judged("  peak memory of the first load", peak, 2500, "< 2,500 MB", unit="MB"))
    loads = [run_worker(folder, env, runs=1, load_only=True)["load_s"] for _ in range(runs)]
    res = run_worker(folder, env, runs=runs, load_only=False)
    print(
        f"graph: {res['vertices']:,} vertices, {res['edges']:,} edges; far pair {res['pair']} "
        f"({res['crow_km']:,.0f} km crow-fly, {res['route_km']:,.0f} km by route, {res['steps']} steps)"
    )
    scipy_s = statistics.median(res["scipy_s"])
    best = statistics.median(res["best_s"])
    alt = statistics.median(res["k3_s"])
    print(f"cached load (fresh process)            {summary(loads)}")
    print(judged("  median", statistics.median(loads), 2.0, "< 2 s at 10^6"))
    print(f"scipy csgraph.dijkstra (baseline)      {summary(res['scipy_s'])}")
    print(f"best route (corridors, warm)           {summary(res['best_s'])}")
    print(judged("  median", best, 2.5 * scipy_s, f"<= 2.5 x scipy {scipy_s:.3f} s"))
    print(f"best route, first query after load     {summary([res['first_s']])}")
    print(judged("  first query", res["first_s"], 2 * best, f"<= 2 x later queries {best:.3f} s"))
    print(f"k=3 alternatives                       {summary(res['k3_s'])}")
    print(judged("  median", alt, 3.0, "<= 3 s"))
    print(f"                                       (found {res['k3_found']} routes)")
    print(f"peak memory (cached load + queries)    {res['peak_mb']:8,.0f} MB")


def run_worker(folder: Path, env: dict, *, runs: int, load_only: bool, baseline: bool = False) -> dict:
    cmd = [sys.executable, str(HERE / "bench.py"), "--worker", str(folder), "--runs", str(runs)]
    if load_only:
        cmd.append("--load-only")
    if baseline:
        cmd.append("--baseline")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def baseline_worker(folder: Path) -> None:
    """What a user's own code would take: geopandas reads the files, networkx links the places.

    Every link becomes an edge between its ``from`` and ``to`` places carrying its properties.
    """
    t = time.perf_counter()
    import geopandas
    import networkx

    nodes = geopandas.read_file(folder / "nodes.geojson")
    G = networkx.Graph()
    G.add_nodes_from(nodes["id"])
    for path in sorted((folder / "links").glob("*.geojson")):
        links = geopandas.read_file(path)
        records = links.drop(columns="geometry").to_dict("records")
        G.add_edges_from((r["from"], r["to"], r) for r in records)
    print(json.dumps({"load_s": time.perf_counter() - t, "peak_mb": peak_mb(), "edges": G.number_of_edges()}))


def worker(folder: Path, runs: int, load_only: bool) -> None:
    t = time.perf_counter()
    from corridors.routes import api, loading

    loaded = loading.load(folder)
    load_s = time.perf_counter() - t
    if load_only:
        print(json.dumps({"load_s": load_s, "peak_mb": peak_mb()}))
        return
    from corridors.geo import geodesy
    from corridors.routes import arrays as array_form
    from corridors.routes import engine

    ag = loaded.G
    lon = loaded.network.nodes.columns["lon"][1] if hasattr(loaded.network.nodes, "columns") else None
    ids = list(loaded.network.nodes)
    if lon is not None:
        lat = loaded.network.nodes.columns["lat"][1]
        a = ids[int(((lon - 45) ** 2 + (lat - 20) ** 2).argmin())]
        b = ids[int(((lon - 80) ** 2 + (lat - 55) ** 2).argmin())]
    else:
        nodes = list(loaded.network.nodes.values())
        a = min(nodes, key=lambda n: (n.lon - 45) ** 2 + (n.lat - 20) ** 2).id
        b = min(nodes, key=lambda n: (n.lon - 80) ** 2 + (n.lat - 55) ** 2).id
    na, nb = loaded.network.nodes[a], loaded.network.nodes[b]
    t = time.perf_counter()  # by the places' names, as a user asks: the first look-up of a name too
    route = api.plan(na.name, nb.name, by="distance", network=loaded).routes[0]
    first_s = time.perf_counter() - t
    best = []
    for _ in range(runs):
        t = time.perf_counter()
        route = api.plan(na.name, nb.name, by="distance", network=loaded).routes[0]
        best.append(time.perf_counter() - t)
    k3, found = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        found = len(api.plan(a, b, by="distance", k=3, network=loaded).routes)
        k3.append(time.perf_counter() - t)
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    arrays = ag if isinstance(ag, engine.ArrayGraph) else array_form.from_graph(ag, loaded.network)
    n = len(arrays.vertex_node)
    matrix = csr_matrix((arrays.values["distance_km"], arrays.indices, arrays.indptr), shape=(n, n))
    src = int(arrays.origin[arrays.node_index[a]])
    scipy_s = []
    for _ in range(runs):
        t = time.perf_counter()
        dist = dijkstra(matrix, directed=True, indices=src)
        scipy_s.append(time.perf_counter() - t)
    assert abs(dist[int(arrays.dest[arrays.node_index[b]])] - route.distance_km) < 1e-6 * route.distance_km
    print(
        json.dumps(
            {
                "first_s": first_s,
                "best_s": best,
                "k3_s": k3,
                "k3_found": found,
                "scipy_s": scipy_s,
                "peak_mb": peak_mb(),
                "vertices": n,
                "edges": len(arrays.indices),
                "pair": f"{a} -> {b}",
                "crow_km": geodesy.great_circle_km(na.lon, na.lat, nb.lon, nb.lat),
                "route_km": route.distance_km,
                "steps": len(route.steps),
                "search": type(ag).__name__,
            }
        )
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    python = f"Python {platform.python_version()}, {platform.system()}"
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB; {python}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark corridors.")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="cold,rank,reach,scale")
    parser.add_argument("--data", type=Path, default=Path("/tmp/corridors-bench"))
    parser.add_argument(
        "--first-runs", type=int, default=3, help="first loads (each beside a baseline run) per network"
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--load-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker and args.baseline:
        baseline_worker(args.worker)
        return
    if args.worker:
        worker(args.worker, args.runs, args.load_only)
        return
    import networkx
    import scipy

    print(f"machine: {machine()}")
    print(f"networkx {networkx.__version__}, scipy {scipy.__version__}")
    only = set(args.only.split(","))
    if "cold" in only:
        cold_start(max(args.runs, 21))  # whole processes are noisy: take the median of many
    if "rank" in only:
        rank(args.runs)
    if "reach" in only:
        reach(args.runs)
    if "scale" in only:
        args.data.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            scale(size, args.runs, args.data, args.first_runs)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
