"""The ``corridors`` command line: argument parsing, output and exit codes.

Exit status: 0 success, 1 no route, 2 bad input (a file, an option, an unknown place).
Only this module prints, exits or reads ``sys.argv``, and only it reaches ``maps``. Every
message is one line on stderr, with control and bidi characters shown as escapes.

Outputs (``--map``, ``--geojson``): ``-`` is standard output; an existing ordinary file is
replaced whole (keeping its permissions); a symbolic link, a device, a folder, and the files the
command reads are refused (see :mod:`geo.safeio`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NoReturn

from corridors.geo import modes, objectives
from corridors.geo.errors import CorridorError, NoRouteError, QueryError
from corridors.routes import cli_reach, limits

PROG = "corridors"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: error: {terminal_safe(message)} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


_MONTH = limits.option("month", limits.check_month, whole=True)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--network", metavar="DIR", help="network folder (default: the built-in network)")
    p.add_argument(
        "--with",
        dest="extra",
        action="append",
        default=[],
        metavar="FILE",
        help="extra GeoJSON links/nodes for this run only (repeatable)",
    )


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``command``, only that command's options are built (faster)."""
    parser = _Parser(
        prog=PROG,
        description="Route planner for the trade corridors between Kazakhstan and the Arabian Sea.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, add in SUBCOMMANDS.items():
        if command in (None, name):
            add(sub)
    return parser


def _add_route(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("route", help="candidate routes between two places, countries or seas")
    r.add_argument("origin", metavar="FROM", help="place, country, sea or 'lat,lon'")
    r.add_argument("destination", metavar="TO", help="place, country, sea or 'lat,lon'")
    r.add_argument("--via", action="append", default=[], metavar="PLACE", help="visit in order (repeatable)")
    r.add_argument(
        "--by",
        choices=objectives.names(),
        default=objectives.DEFAULT,
        help=f"objective (default: {objectives.DEFAULT})",
    )
    r.add_argument(
        "-k",
        type=limits.option("k", limits.check_k, whole=True),
        default=1,
        metavar="N",
        help=f"number of different routes, at most {limits.MAX_K} (default: 1)",
    )
    r.add_argument(
        "--avoid",
        type=_csv,
        action="extend",
        default=[],
        metavar="LIST",
        help="countries (ISO3 or name) and places to avoid, comma-separated",
    )
    r.add_argument(
        "--modes", type=_csv, metavar="LIST", help=f"allowed modes: {','.join(modes.NAMES)} (default: all)"
    )
    _scenario_options(r)
    r.add_argument(
        "--snap-km",
        type=limits.option("snap_km", limits.check_snap_km, whole=False),
        default=300.0,
        metavar="KM",
        help="a 'lat,lon' farther than this from every place is refused (default 300)",
    )
    r.add_argument(
        "--max-overlap",
        type=limits.option("max_overlap", limits.check_max_overlap, whole=False),
        default=0.5,
        metavar="F",
        help="an alternative shares at most this share of its length with another (default 0.5)",
    )
    r.add_argument(
        "--max-stretch",
        type=limits.option("max_stretch", limits.check_max_stretch, whole=False),
        default=3.0,
        metavar="F",
        help="an alternative costs at most this multiple of the best (default 3)",
    )
    r.add_argument(
        "--compare",
        action="store_true",
        help="today's best route beside the best in the scenario the other options name "
        "(default: --projects all)",
    )
    r.add_argument(
        "--pareto",
        type=_csv,
        nargs="?",
        const=["time", "cost"],
        metavar="LIST",
        help="every route no other beats on all these criteria (default time,cost), sorted by the first",
    )
    r.add_argument(
        "--gateways",
        action="store_true",
        help="the best route through each border crossing into the destination's country",
    )
    r.add_argument(
        "--payload-t",
        type=float,
        metavar="T",
        help="tonnes per truck, wagon or container (default 20): spreads border and gauge-change costs",
    )
    r.add_argument(
        "--value-of-time",
        type=float,
        metavar="USD_PER_T_DAY",
        help="with --by generalised: what a day in transit costs per tonne (default 0)",
    )
    r.add_argument("--explain", action="store_true", help="itinerary leg by leg")
    r.add_argument("--sources", action="store_true", help="with --explain: the source of each figure")
    out = r.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="JSON output (documented contract)")
    out.add_argument(
        "--geojson", metavar="OUT", help="write the routes as a GeoJSON FeatureCollection ('-': stdout)"
    )
    out.add_argument(
        "--csv",
        nargs="?",
        const="-",
        metavar="FILE",
        help="one row per route (with --explain: per step) to FILE, or to stdout",
    )
    r.add_argument("--map", metavar="OUT.html", help="write a Leaflet map of the routes ('-': stdout)")
    r.add_argument(
        "--chart",
        metavar="FILE",
        help="write a time/cost-distance chart of the routes (.svg, .png or .html)",
    )
    _map_options(r)
    _common(r)


def _scenario_options(r: argparse.ArgumentParser) -> None:
    """What exists besides today's network: projects, a year, reopened crossings, statuses."""
    g = r.add_argument_group("scenario (default: today's network, operational links and open crossings)")
    g.add_argument(
        "--projects",
        type=_csv,
        action="extend",
        metavar="all|NAME,...",
        help="add projects by name (`corridors projects` lists them), or all",
    )
    g.add_argument("--year", type=int, metavar="YYYY", help="add what is planned to open by then")
    g.add_argument(
        "--reopen",
        type=_csv,
        action="extend",
        metavar="all|CROSSING,...",
        help="open suspended crossings and their links (e.g. Torkham), or all",
    )
    g.add_argument("--include-suspended", action="store_true", help="same as --reopen all")
    g.add_argument("--month", type=_MONTH, metavar="M", help="1-12: close what is out of season")
    g.add_argument(
        "--status",
        type=_csv,
        metavar="LIST",
        help="fine control: link statuses that exist (default: operational)",
    )


def _scenario_args(args: argparse.Namespace) -> dict:
    """The scenario options of ``route`` as keywords of :func:`routes.api.plan`."""
    return {
        "projects": args.projects,
        "year": args.year,
        "reopen": args.reopen,
        "status": args.status,
        "include_suspended": args.include_suspended,
    }


def _add_places(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("places", help="find endpoints by name")
    p.add_argument("query", nargs="?", help="part of a name, alias or id")
    p.add_argument("--country", help="ISO3 code")
    p.add_argument("--kind", choices=("city", "port", "dry_port", "border_crossing", "junction"))
    p.add_argument("--json", action="store_true")
    _common(p)


def _add_network(sub: argparse._SubParsersAction) -> None:
    n = sub.add_parser(
        "network",
        help="summary and validation of the network, or a map of it; `network init DIR` copies it",
        description="Summarise and validate the network (--map: draw it). `corridors network init DIR` "
        "copies the network (the built-in one, or --network) into DIR, a folder you can edit.",
    )
    n.add_argument("action", nargs="?", choices=("init",), help="init: copy the network into DIR")
    n.add_argument("dir", nargs="?", metavar="DIR", help="with init: the new network folder")
    n.add_argument("--map", metavar="OUT.html", help="write a Leaflet map of the whole network")
    _map_options(n)
    _common(n)


def _add_projects(sub: argparse._SubParsersAction) -> None:
    j = sub.add_parser("projects", help="list the proposed and unfinished projects")
    j.add_argument("--json", action="store_true")
    _common(j)


def _add_rank(sub: argparse._SubParsersAction) -> None:
    k = sub.add_parser("rank", help="value of each project for Kazakhstan's access to the sea")
    k.add_argument(
        "--from",
        dest="origin",
        default="Kazakhstan",
        metavar="FROM",
        help="origins: place, country or sea (default: Kazakhstan)",
    )
    k.add_argument(
        "--to",
        dest="destination",
        default="Arabian Sea",
        metavar="TO",
        help="destinations: place, country or sea (default: Arabian Sea)",
    )
    k.add_argument("--by", choices=objectives.names(), default=objectives.DEFAULT)
    k.add_argument("--month", type=_MONTH, metavar="M", help="1-12: close what is out of season")
    k.add_argument("--weights", metavar="CSV", help="origin,destination,weight rows (e.g. trade volumes)")
    fmt = k.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    k.add_argument("--map", metavar="OUT.html", help="write a map of the projects coloured by rank")
    _map_options(k)
    _common(k)


def _add_validate(sub: argparse._SubParsersAction) -> None:
    v = sub.add_parser(
        "validate",
        help="check GeoJSON files of links and nodes against the network",
        description="Check user GeoJSON files (LineString links, Point nodes) against the network and "
        "report every problem, one line each. Exit 0 when clean, 2 on errors (or, with --strict, "
        "warnings).",
    )
    v.add_argument("files", nargs="+", metavar="FILE")
    v.add_argument("--strict", action="store_true", help="warnings fail too")
    v.add_argument("-q", "--quiet", action="store_true", help="print only the problems")
    _common(v)


def _add_add(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser(
        "add",
        help="merge validated GeoJSON links and nodes into a network folder, atomically",
        description="Validate user GeoJSON files, then merge them into a network folder: new links go "
        "to DIR/links/<file name>.geojson, new nodes to DIR/nodes.geojson. Every file changes or "
        "none does; on any error the folder is left byte for byte as it was.",
    )
    a.add_argument("files", nargs="*", metavar="FILE")
    a.add_argument(
        "--network",
        metavar="DIR",
        help="the network folder to change (required: make one with `corridors network init DIR`)",
    )
    a.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    a.add_argument("--strict", action="store_true", help="warnings block the merge too")
    a.add_argument("--recover", action="store_true", help="undo an interrupted add in DIR")


def _add_serve(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("serve", help="HTTP API (the --json contract) and a planner page in the browser")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    s.add_argument("--tiles", choices=("none", "osm"), default="none", help="basemap tiles (default: none)")
    s.add_argument("--cors", action="append", default=[], metavar="ORIGIN", help="allow calls from ORIGIN")
    s.add_argument("--workers", type=int, default=1, help="processes, each with the network (default: 1)")
    _common(s)


SUBCOMMANDS = {
    "route": _add_route,
    "places": _add_places,
    "network": _add_network,
    "projects": _add_projects,
    "rank": _add_rank,
    "validate": _add_validate,
    "add": _add_add,
    "reach": cli_reach.add_parser,
    "serve": _add_serve,
}


def _map_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--tiles", default="OpenStreetMap", help="tile layer name, or 'none' (default: OpenStreetMap)"
    )
    p.add_argument("--offline", action="store_true", help="self-contained page: no request to any host")


def write_output(path: str, text: str | bytes, *, inputs: Iterable[str | Path] = ()) -> None:
    """Write an output: ``-`` is standard output, else a file written whole (see :mod:`geo.safeio`).

    Text is written as UTF-8; bytes as they are.
    """
    if path == "-":
        if isinstance(text, str):
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
        sys.stdout.flush()
        return
    from corridors.geo import safeio

    safeio.write_bytes(path, text.encode("utf-8") if isinstance(text, str) else text, inputs=inputs)


def write_atomic(path: str | Path, text: str | bytes) -> None:
    """Write an output file whole and safely (see :func:`write_output`); ``-`` is standard output."""
    write_output(str(path), text)


def read_inputs(network, extra: Iterable[str | Path] = ()) -> list[Path]:
    """Every file a command reads: outputs must never replace one of them."""
    from corridors.geo import convert

    files = [*map(Path, network.files), *map(Path, extra), Path(network.folder) / "costs.toml"]
    countries = convert.countries_path(network)
    return files + ([countries] if countries else [])


def _refuse_in_network(path: str, network) -> None:
    """Refuse an output that would become a file of the network (a new ``links/*.geojson``)."""
    if path == "-":
        return
    target = Path(path).absolute()
    links = (Path(network.folder) / "links").absolute()
    if target.suffix == ".geojson" and target.parent.resolve() == links.resolve():
        msg = f"{path}: is in the links folder of the network being read; write the output elsewhere"
        from corridors.geo.errors import FileAccessError

        raise FileAccessError(msg)


def dumps(data: object, *, indent: int | None = None) -> str:
    """JSON text of an output; a non-finite number is an error, never ``NaN`` or ``Infinity``."""
    try:
        text = json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:  # a lone surrogate from the command line: escape it
        return json.dumps(data, indent=indent, allow_nan=False)
    except ValueError:
        msg = "the result holds a number too large to write as JSON (check speeds and lengths in the data)"
        raise QueryError(msg) from None


def _load(args: argparse.Namespace):
    """Load the network of ``--network`` and ``--with``; warn (stderr) about the extra files."""
    from corridors.routes import api

    problems: list | None = [] if args.extra else None
    loaded = api.load(args.network, extra=args.extra, problems=problems)
    for p in problems or []:
        print(f"{PROG}: {p}", file=sys.stderr)
    return loaded


def cmd_route(args: argparse.Namespace) -> int:
    from corridors.routes import output, route_plan

    loaded = _load(args)
    planned = route_plan.plan_route(
        loaded,
        args.origin,
        args.destination,
        compare=args.compare,
        via=args.via,
        by=args.by,
        k=args.k,
        avoid=args.avoid,
        modes=args.modes,
        month=args.month,
        **_scenario_args(args),
        max_overlap=args.max_overlap,
        max_stretch=args.max_stretch,
        pareto=args.pareto,
        gateways=args.gateways,
        snap_km=args.snap_km,
        payload_t=args.payload_t,
        value_of_time=args.value_of_time,
    )
    result = planned.result
    names = {n.id: n.name for n in loaded.network.nodes.values()}
    if planned.today is not None:
        return _compare(args, planned.today, result, names)
    for path in (args.geojson, args.map, args.csv, args.chart):
        if path:
            _refuse_in_network(path, loaded.network)
    if args.geojson:
        inputs = read_inputs(loaded.network, args.extra)
        write_output(args.geojson, dumps(output.plan_geojson(result, names)), inputs=inputs)
    if args.map:
        _write_map(
            args,
            loaded.network,
            [output.route_geojson(r, names) for r in result.routes],
            _chart_svg(result, names),
            title=output.plan_title(result, names),
        )
    if args.chart:
        _write_chart(args, result, names)
    if "-" in (args.geojson, args.map, args.chart):
        return 0
    if args.csv:
        _write_csv(args, result, names)
    elif args.json:
        print(dumps(output.plan_dict(result), indent=1))
    elif args.explain:
        print(output.explain(result, sources=args.sources))
    else:
        print(_table(args, result, names))
    return 0


def _table(args: argparse.Namespace, result, names: dict[str, str]) -> str:
    from corridors.routes import output, views

    if args.gateways:
        return views.gateways_table(result, names)
    if args.pareto:
        return output.table(result, names, title=views.pareto_title(result))
    return output.table(result, names)


def _write_chart(args: argparse.Namespace, result, names: dict[str, str]) -> None:
    from corridors.routes import chart

    data = chart.write(result.routes, names, args.chart, title=_chart_title(result, names))
    write_atomic(args.chart, data)
    print(f"chart written to {args.chart}", file=sys.stderr)


def _chart_svg(result, names: dict[str, str]) -> tuple[str, str]:
    """The route map's side panel: the time/cost-distance chart of the routes."""
    from corridors.routes import chart

    svg = chart.render(result.routes, names, "svg", title=_chart_title(result, names)).decode("utf-8")
    return "Time/cost–distance", svg


def _chart_title(result, names: dict[str, str]) -> str:
    from corridors.routes import output

    return f"{output.heading(result, names)}: cumulative cost and time against distance"


def _write_csv(args: argparse.Namespace, result, names: dict[str, str]) -> None:
    from corridors.routes import views

    text = views.steps_csv(result) if args.explain else views.routes_csv(result, names)
    if args.csv == "-":
        sys.stdout.write(text)
        return
    write_atomic(args.csv, text)
    print(f"CSV written to {args.csv}", file=sys.stderr)


def _write_map(
    args: argparse.Namespace,
    network,
    routes: list[dict] | None,
    figure: tuple[str, str] | None = None,
    *,
    title: str | None = None,
) -> None:
    """Write ``--map``: the network, or the routes over it; ``figure`` is (title, svg) for a side
    panel, ``title`` what the map shows (the query and its scenario)."""
    from corridors import maps
    from corridors.geo import convert

    countries = convert.countries_geojson(network)
    net_fc = convert.network_geojson(network)
    tiles = None if args.tiles.lower() == "none" else args.tiles
    if routes is None:
        m = maps.network_map(net_fc, countries=countries, tiles=tiles)
    else:
        m = maps.routes_map(routes, network=net_fc, countries=countries, tiles=tiles, title=title)
    if figure is not None:
        maps.add_figure(m, figure[1], title=figure[0])
    _refuse_in_network(args.map, network)
    if args.map == "-":
        write_output("-", maps.page_html(m, offline=args.offline))
        return
    maps.save_map(m, args.map, offline=args.offline, inputs=read_inputs(network, args.extra))
    print(f"map written to {args.map}", file=sys.stderr)


def _compare(args: argparse.Namespace, today, future, names: dict[str, str]) -> int:
    from corridors.routes import output

    if args.json:
        print(dumps(output.compare_dict(today, future), indent=1))
    else:
        print(output.compare(today, future, names))
    return 0


def cmd_projects(args: argparse.Namespace) -> int:
    from corridors.geo import io
    from corridors.routes import scenarios

    network = io.read_network(args.network, extra=args.extra)
    found = scenarios.projects(network)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "project": p.name,
                        "statuses": list(p.statuses),
                        "years": list(p.years),
                        "length_km": round(p.length_km, 1),
                        "links": list(p.link_ids),
                        "corridors": list(p.corridors),
                    }
                    for p in found.values()
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    print(f"{'project':<34} {'status':<28} {'year':>9} {'km':>7} links")
    for p in found.values():
        years = "-".join(str(y) for y in sorted({min(p.years), max(p.years)})) if p.years else "?"
        status = ",".join(st.replace("_", " ") for st in p.statuses)
        print(f"{p.name:<34} {status:<28} {years:>9} {p.length_km:>7,.0f} {len(p.link_ids)}")
    return 0


def cmd_rank(args: argparse.Namespace) -> int:
    from corridors.routes import output, scenarios

    loaded = _load(args)
    weights = scenarios.pair_weights(args.weights, loaded.network) if args.weights else None
    show = sys.stderr.isatty()

    def progress(i: int, n: int) -> None:
        if show:
            print(f"\rscenario {i}/{n}", end="" if i < n else "\n", file=sys.stderr, flush=True)

    ranking = scenarios.rank(
        loaded,
        origin=args.origin,
        destination=args.destination,
        by=args.by,
        month=args.month,
        weights=weights,
        progress=progress,
    )
    names = {n.id: n.name for n in loaded.network.nodes.values()}
    if args.map:
        _write_map(args, loaded.network, output.ranking_geojson(ranking, loaded.network))
        if args.map == "-":
            return 0
    if args.json:
        print(dumps(output.ranking_dict(ranking, names), indent=1))
    elif args.csv:
        sys.stdout.write(output.ranking_csv(ranking, names))
    else:
        print(output.ranking_table(ranking, names))
    return 0


def cmd_places(args: argparse.Namespace) -> int:
    from corridors.geo import io
    from corridors.routes import places

    network = io.read_network(args.network, extra=args.extra)
    found = places.search(network, args.query, country=args.country, kind=args.kind)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": n.id,
                        "name": n.name,
                        "country": n.country,
                        "kind": n.kind,
                        "aliases": list(n.aliases),
                        "lat": n.lat,
                        "lon": n.lon,
                    }
                    for n in found
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    if not found:
        msg = f"no place matches {args.query!r}"
        suggestions = places.suggest(network, args.query or "")
        print(msg + (f"; did you mean {', '.join(suggestions)}?" if suggestions else ""), file=sys.stderr)
        return 1
    for n in found:
        aka = f"  (also {', '.join(n.aliases)})" if n.aliases else ""
        print(f"{n.id:<24} {n.name:<26} {n.country}  {n.kind}{aka}")
    return 0


def cmd_network(args: argparse.Namespace) -> int:
    from corridors.geo import io

    problems: list = []
    network = io.read_network(args.network, extra=args.extra, problems=problems)
    if args.map:
        _write_map(args, network, None)
        if args.map == "-":
            return 0
    print(summary(network))
    for p in problems:
        print(f"warning: {p}")
    return 0


def summary(network) -> str:
    links = list(network.links.values())
    nodes = list(network.nodes.values())

    def counts(title: str, values: list[str]) -> list[str]:
        c = Counter(values)
        return [f"{title}:"] + [
            f"  {k:<44} {v:>5}" for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    km = sum(link.length_km for link in links)
    est = sum(1 for link in links if link.length_estimated)
    lines = [
        f"network {network.folder}: {len(nodes)} nodes, {len(links)} links, {km:,.0f} km "
        f"({est} lengths estimated)",
    ]
    lines += counts("nodes by country", [n.country for n in nodes])
    lines += counts("nodes by kind", [n.kind for n in nodes])
    lines += counts("links by mode", [link.mode for link in links])
    lines += counts("links by status", [link.status for link in links])
    lines += counts("links by corridor", [link.corridor for link in links])
    projects = [link.project for link in links if link.project]
    if projects:
        lines += counts("links by project", projects)
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    from corridors.geo import authoring

    check = authoring.check_files(args.files, folder=args.network, extra=args.extra)
    if not args.quiet:
        for line in _additions(check):
            print(line)
    for p in check.problems:
        print(p)
    errors, warnings = len(check.errors), len(check.warnings)
    counts = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    print(f"{_count(len(args.files), 'file')}: {counts}", file=sys.stderr)
    return 2 if errors or (args.strict and warnings) else 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _additions(check) -> list[str]:
    """What each user file adds: its new nodes and links, and what was filled in on them."""
    lines = []
    for added in check.files:
        counts = f"{_count(len(added.links), 'link')}, {_count(len(added.nodes), 'new node')}"
        lines.append(f"{added.file}: {counts}")
        items = [(i, "node", n.id, f"{n.name}, {n.country}, {n.kind}") for i, n in added.nodes]
        for i, link in added.links:
            gauge = f" {link.gauge_mm} mm" if link.gauge_mm else ""
            km = f"{link.length_km:,.0f} km" + (" (estimated)" if link.length_estimated else "")
            items.append(
                (
                    i,
                    "link",
                    link.id,
                    f"{link.from_id} → {link.to_id}, {link.mode}{gauge}, {link.status}, {km}",
                )
            )
        for index, kind, item_id, what in sorted(items):
            filled = added.filled.get(index, {})
            lines.append(
                f"  feature {index}: {kind} {item_id}" + (" (id generated)" if "id" in filled else "")
            )
            lines.append(f"      {what}")
            lines += [f"      {prop} {how}" for prop, how in filled.items() if prop != "id"]
    return lines


#: What ``add --recover`` says for each state of :func:`geo.authoring.recover`.
RECOVERY = {
    "undone": "restored as it was before the interrupted add",
    "finished": "the interrupted add had completed: its changes are kept; removed what it left behind",
    "not started": "the interrupted add had changed nothing; removed what it left behind",
}
RECOVERED_FIRST = {
    "undone": "first undid an interrupted add",
    "finished": "an earlier add had completed but left its staging folder: removed it",
    "not started": "an earlier add stopped before changing anything: removed its staging folder",
}


def cmd_add(args: argparse.Namespace) -> int:
    from corridors.geo import authoring

    if not args.network:
        msg = (
            "add needs --network DIR: the built-in network is read-only; "
            "copy it to a folder you can edit with `corridors network init DIR`"
        )
        raise QueryError(msg)
    if args.recover:
        state = RECOVERY.get(authoring.repair(args.network), "nothing to recover")
        print(f"{args.network}: {state}")
        if not args.files:
            return 0
    if not args.files:
        msg = "add: give one or more GeoJSON files to merge"
        raise QueryError(msg)
    merge = authoring.add(args.files, args.network, dry_run=args.dry_run, strict=args.strict)
    if merge.recovered:
        print(f"{args.network}: {RECOVERED_FIRST[merge.recovered]}", file=sys.stderr)
    check = merge.check
    for line in _additions(check):
        print(line)
    for p in check.problems:
        print(p)
    if check.errors or (args.strict and check.warnings):
        counts = _count(len(check.errors), "error")
        if args.strict:
            counts += f", {_count(len(check.warnings), 'warning')}"
        print(f"{args.network}: unchanged ({counts})", file=sys.stderr)
        return 2
    if not merge.changes:
        print(f"{args.network}: nothing to add")
        return 0
    print(f"{args.network}: " + ("would change (dry run: nothing written):" if args.dry_run else "changed:"))
    for change in merge.changes:
        state = "new file" if change.old is None else "appended"
        added = _count(len(change.added), change.kind)
        print(f"  {change.path.relative_to(merge.folder)} ({state}): + {added}")
    return 0


def cmd_network_init(args: argparse.Namespace) -> int:
    from corridors.geo import authoring, paths

    if args.dir is None or args.map or args.extra:
        msg = "usage: corridors network init DIR [--network SOURCE]"
        raise QueryError(msg)
    dest = authoring.init_network(args.dir, source=args.network)
    _, links, _ = paths.network_files(dest)
    source = args.network or "the built-in network"
    print(f"copied {source} to {dest} ({_count(len(links), 'link file')}): a folder you can edit")
    print(f"add links with `corridors add FILE --network {dest}`; use it with `--network {dest}`")
    return 0


def cmd_network_action(args: argparse.Namespace) -> int:
    """``corridors network`` (summary, map) or ``corridors network init DIR``."""
    if args.action == "init":
        return cmd_network_init(args)
    if args.dir is not None:
        msg = f"network: unexpected {args.dir!r}; did you mean `corridors network init {args.dir}`?"
        raise QueryError(msg)
    return cmd_network(args)


def cmd_serve(args: argparse.Namespace) -> int:
    from corridors.routes import server

    if not 1 <= args.workers <= 64:
        msg = f"--workers must be 1-64, got {args.workers}"
        raise QueryError(msg)
    loaded = _load(args)  # once here, to report a bad file before any worker starts
    settings = {"network": args.network, "extra": args.extra, "cors_origins": args.cors}
    settings["tiles"] = None if args.tiles == "none" else args.tiles
    print(f"{PROG}: planner at http://{args.host}:{args.port}/, API docs at /docs", file=sys.stderr)
    server.serve(settings, loaded=loaded, host=args.host, port=args.port, workers=args.workers)
    return 0


COMMANDS = {
    "route": cmd_route,
    "places": cmd_places,
    "network": cmd_network_action,
    "validate": cmd_validate,
    "add": cmd_add,
    "projects": cmd_projects,
    "rank": cmd_rank,
    "reach": cli_reach.run,
    "serve": cmd_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = argv[0] if argv and argv[0] in SUBCOMMANDS else None
    for stream in (sys.stdout, sys.stderr):  # text from the command line may hold lone surrogates
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")
    try:
        args = build_parser(command).parse_args(argv)
    except SystemExit as err:  # --help, or a usage error already printed
        return err.code if isinstance(err.code, int) else 0
    except CorridorError as err:  # an option's value out of range (see routes.limits.option)
        _error(f"error: {err}")
        return 2
    with _warnings_to_stderr():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command](args)
    except NoRouteError as err:
        _error(f"no route: {err}")
        return 1
    except CorridorError as err:
        _error(f"error: {err}")
        return 2
    except BrokenPipeError:  # the reader went away (`corridors ... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        _error(f"error: {where}{err.strerror or err}")
        return 2
    except KeyboardInterrupt:
        return 130


def terminal_safe(text: str) -> str:
    """``text`` with what could steer a terminal (controls, bidi marks, lone surrogates) escaped."""
    from corridors.geo import schema

    if schema.unsafe_text(text) is None:
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if schema.unsafe_text(ch) else ch for ch in text
    )


def _error(message: str) -> None:
    line = " ".join(terminal_safe(message).split("\n"))
    print(f"{PROG}: {line}", file=sys.stderr)


class _OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{PROG}: warning: " + terminal_safe(record.getMessage()).replace("\n", " ")


class _warnings_to_stderr:
    """Show the library's warnings (an unsafe cache folder, say) as one line each on stderr."""

    def __enter__(self) -> None:
        self.handler = logging.StreamHandler(sys.stderr)
        self.handler.setLevel(logging.WARNING)
        self.handler.setFormatter(_OneLine())
        logging.getLogger("corridors").addHandler(self.handler)

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("corridors").removeHandler(self.handler)


if __name__ == "__main__":
    sys.exit(main())
