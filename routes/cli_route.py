"""``corridors route``: the best routes between two places, as a table, JSON, CSV, GeoJSON or map."""

from __future__ import annotations

import argparse
import sys

from corridors.geo import modes, objectives
from corridors.geo.errors import QueryError
from corridors.routes import cli, limits


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``corridors route``."""
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
        type=cli._csv,
        action="extend",
        default=[],
        metavar="LIST",
        help="countries (ISO3 or name) and places to avoid, comma-separated",
    )
    r.add_argument(
        "--modes",
        type=cli._csv,
        metavar="LIST",
        help=f"allowed modes: {','.join(modes.NAMES)} (default: all)",
    )
    cli._scenario_options(r)
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
        type=cli._csv,
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
    r.add_argument(
        "--rail-service",
        metavar="NAME",
        help="rail yard and waiting times for: wagon (wagonload, default) or block (container block train)",
    )
    r.add_argument(
        "--drivers",
        type=int,
        metavar="N",
        help="the truck's crew, 1 or 2 drivers: its driving-time rules give the road rest (default unknown)",
    )
    cli._cargo_options(r)
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
    r.add_argument(
        "--map",
        metavar="OUT.html",
        help="write a Leaflet map of the routes ('-': stdout); not with --compare",
    )
    r.add_argument(
        "--chart",
        metavar="FILE",
        help="write a time/cost-distance chart of the routes (.svg, .png or .html)",
    )
    cli._map_options(r)
    cli._common(r)


def check(args: argparse.Namespace) -> None:
    """Refuse options that would be ignored beside the others (before anything loads).

    Raises
    ------
    QueryError
        Naming the options.
    """
    limits.check_route_options(
        compare=args.compare, pareto=args.pareto, gateways=args.gateways, explain=args.explain
    )
    if args.compare:
        limits.check_alone("compare", limits.COMPARE_WHY, {"map": args.map, "chart": args.chart})
    if args.sources and not args.explain:
        msg = "--sources is for --explain: the source of each figure of the itinerary"
        raise QueryError(msg)
    stdout = {"--json": args.json, "--csv": args.csv == "-"}
    stdout.update(
        {
            f"{name} -": path == "-"
            for name, path in (("--geojson", args.geojson), ("--map", args.map), ("--chart", args.chart))
        }
    )
    cli.check_outputs(args, stdout)


def run(args: argparse.Namespace) -> int:
    """Run ``corridors route``; return the exit status."""
    from corridors.routes import output, route_plan, wording

    check(args)
    loaded = cli._load(args)
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
        **cli._scenario_args(args),
        max_overlap=args.max_overlap,
        max_stretch=args.max_stretch,
        pareto=args.pareto,
        gateways=args.gateways,
        snap_km=args.snap_km,
        payload_t=args.payload_t,
        value_of_time=args.value_of_time,
        rail_service=args.rail_service,
        drivers=args.drivers,
        cargo_from=args.cargo_from,
        cargo_to=args.cargo_to,
    )
    planned = wording.route_plan(planned, cli.flags_of("route"))
    result, today = planned.result, planned.today
    names = {n.id: n.name for n in loaded.network.nodes.values()}
    for path in (args.geojson, args.map, args.csv, args.chart):
        if path:
            cli._refuse_in_network(path, loaded.network)
    if args.geojson:
        inputs = cli.read_inputs(loaded.network, args.extra)
        if today is not None:
            doc = output.compare_geojson(today, result, names)
        else:
            doc = output.plan_geojson(result, names)
        cli.write_output(args.geojson, cli.dumps(doc), inputs=inputs)
    if args.map:
        _write_map(args, loaded.network, result, names)
    if args.chart:
        _write_chart(args, result, names)
    if "-" in (args.geojson, args.map, args.chart):
        return 0
    if args.csv:
        _write_csv(args, result, names, today)
    elif today is not None:
        _compare(args, today, result, names)
    elif args.json:
        print(cli.dumps(output.plan_dict(result), indent=1))
    else:
        print(_text(args, result, names))
    return 0


def _text(args: argparse.Namespace, result, names: dict[str, str]) -> str:
    """The plan as text: the itinerary (``--explain``) or the table of the routes."""
    from corridors.routes import plan_text, views

    if args.explain:
        return plan_text.explain(result, sources=args.sources)
    if args.gateways:
        return views.gateways_table(result, names)
    if args.pareto:
        return plan_text.table(result, names, title=views.pareto_title(result))
    return plan_text.table(result, names)


def _write_map(args: argparse.Namespace, network, result, names: dict[str, str]) -> None:
    from corridors.routes import output, plan_text

    routes = [output.route_geojson(r, names) for r in result.routes]
    title = plan_text.plan_title(result, names)
    cli._write_map(args, network, routes, _chart_svg(result, names), title=title)


def _write_chart(args: argparse.Namespace, result, names: dict[str, str]) -> None:
    from corridors.routes import chart

    data = chart.write(result.routes, names, args.chart, title=_chart_title(result, names))
    cli.write_atomic(args.chart, data)
    print(f"chart written to {args.chart}", file=sys.stderr)


def _chart_svg(result, names: dict[str, str]) -> tuple[str, str]:
    """The route map's side panel: the time/cost-distance chart of the routes."""
    from corridors.routes import chart

    svg = chart.render(result.routes, names, "svg", title=_chart_title(result, names)).decode("utf-8")
    return "Time/cost–distance", svg


def _chart_title(result, names: dict[str, str]) -> str:
    from corridors.routes import plan_text

    return f"{plan_text.heading(result, names)}: cumulative cost and time against distance"


def _write_csv(args: argparse.Namespace, result, names: dict[str, str], today=None) -> None:
    from corridors.routes import views

    if today is not None:
        text = views.compare_csv(today, result, names)
    else:
        text = views.steps_csv(result) if args.explain else views.routes_csv(result, names)
    if args.csv == "-":
        sys.stdout.write(text)
        return
    cli.write_atomic(args.csv, text)
    print(f"CSV written to {args.csv}", file=sys.stderr)


def _compare(args: argparse.Namespace, today, future, names: dict[str, str]) -> None:
    from corridors.routes import output, plan_text

    if args.json:
        print(cli.dumps(output.compare_dict(today, future), indent=1))
    else:
        print(plan_text.compare(today, future, names))
