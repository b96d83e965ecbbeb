"""``corridors reach``: days, dollars and km to a destination from every place and region.

Kept apart from :mod:`corridors.routes.cli` (which registers it) so that each command's
parser and output stay small; like the rest of the command line, only this layer prints.
"""

from __future__ import annotations

import argparse
import json
import sys

from corridors.geo import modes, objectives


def durations(text: str) -> list[float]:
    """``"3d,5d,7d"`` -> ``[72.0, 120.0, 168.0]`` hours (see :func:`routes.reach_plan.durations`)."""
    from corridors.geo.errors import QueryError
    from corridors.routes import reach_plan

    try:
        return reach_plan.durations(text)
    except QueryError as err:
        # argparse names the option itself ("argument --within: ...").
        raise argparse.ArgumentTypeError(str(err).removeprefix("`within`: ")) from None


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``corridors reach``."""
    from corridors.routes import cli

    r = sub.add_parser("reach", help="best route to a destination from every place and region of an origin")
    r.add_argument(
        "destination", nargs="?", metavar="TO", help="place, country or sea (default: Arabian Sea)"
    )
    r.add_argument(
        "--from", dest="origin", default="Kazakhstan", metavar="FROM", help="origins (default: Kazakhstan)"
    )
    r.add_argument("--by", choices=objectives.names(), help=f"objective (default: {objectives.DEFAULT})")
    r.add_argument(
        "--within",
        type=durations,
        metavar="BANDS",
        help="from one origin: what it reaches within 3d,5d,7d (no TO, --by or --compare)",
    )
    r.add_argument(
        "--modes",
        type=cli._csv,
        metavar="LIST",
        help=f"allowed modes: {','.join(modes.NAMES)} (default: all)",
    )
    r.add_argument(
        "--avoid", type=cli._csv, action="extend", default=[], metavar="LIST", help="countries or places"
    )
    cli._scenario_options(r)
    cli._cargo_options(r)
    r.add_argument(
        "--compare",
        action="store_true",
        help="today's network beside the scenario the options name (default: all projects), and the gain",
    )
    r.add_argument(
        "--measure", choices=objectives.names(), help="what --map colours the regions by (default: --by)"
    )
    fmt = r.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON output")
    fmt.add_argument(
        "--csv",
        action="store_true",
        help="CSV output: one row per place, region best and centre (with --within: per place reached)",
    )
    r.add_argument(
        "--geojson",
        metavar="OUT",
        help="write regions (polygons) and places with their figures ('-': stdout)",
    )
    r.add_argument("--map", metavar="OUT.html", help="write a choropleth map of the regions ('-': stdout)")
    cli._map_options(r)
    cli._common(r)


def _plan(args: argparse.Namespace, loaded):
    from corridors.routes import cli, reach_plan, wording

    planned = reach_plan.plan_reach(
        loaded,
        args.destination or "Arabian Sea",
        origin=args.origin,
        by=args.by or objectives.DEFAULT,
        modes=args.modes,
        avoid=args.avoid,
        month=args.month,
        projects=args.projects,
        year=args.year,
        reopen=args.reopen,
        status=args.status,
        include_suspended=args.include_suspended,
        compare=args.compare,
        cargo_from=args.cargo_from,
        cargo_to=args.cargo_to,
    )
    return wording.reach_plan(planned, cli.flags_of("reach"))


def check(args: argparse.Namespace) -> None:
    """Refuse options that would be ignored beside the others (before anything loads).

    Raises
    ------
    QueryError
        Naming the options.
    """
    from corridors.geo.errors import QueryError
    from corridors.routes import cli, limits

    given = {"destination": args.destination is not None, "by": args.by is not None}
    limits.check_reach_options(within=args.within, compare=args.compare, **given)
    if args.within is not None:
        limits.check_alone("within", limits.WITHIN_WHY, {"measure": args.measure})
    if args.measure and not args.map:
        msg = "--measure is what --map colours the regions by; give --map OUT.html too"
        raise QueryError(msg)
    stdout = {
        "--json": args.json,
        "--csv": args.csv,
        "--geojson -": args.geojson == "-",
        "--map -": args.map == "-",
    }
    cli.check_outputs(args, stdout)


def run(args: argparse.Namespace) -> int:
    """Run ``corridors reach``; return the exit status."""
    from corridors.routes import cli

    check(args)
    loaded = cli._load(args)
    for path in (args.geojson, args.map):
        if path:
            cli._refuse_in_network(path, loaded.network)
    if args.within:
        return _run_within(args, loaded)
    from corridors.routes import reach_output

    net = loaded.network
    planned = _plan(args, loaded)
    result, base, regions = planned.result, planned.today, planned.regions
    doc = reach_output.reach_geojson(result, net, regions)
    if base is not None:
        doc = reach_output.compare_geojson(reach_output.reach_geojson(base, net, regions), doc)
    if args.geojson:
        _write_geojson(args, loaded, doc)
    if args.map:
        _write_map(args, loaded, result, doc, compare=base is not None)
    if "-" in (args.geojson, args.map):
        return 0
    if args.json:
        out = reach_output.reach_dict(result, net)
        if base is not None:
            out = {"today": reach_output.reach_dict(base, net), "scenario": out}
        print(json.dumps(out, ensure_ascii=False, indent=1, allow_nan=False))
    elif args.csv and base is not None:
        sys.stdout.write(reach_output.compare_csv(base, result, net))
    elif args.csv:
        sys.stdout.write(reach_output.reach_csv(result, net))
    elif base is not None:
        print(reach_output.compare_table(base, result, net))
    else:
        print(reach_output.reach_table(result, net))
    return 0


def _write_geojson(args: argparse.Namespace, loaded, doc: dict) -> None:
    from corridors.routes import cli

    inputs = cli.read_inputs(loaded.network, args.extra)
    cli.write_output(args.geojson, json.dumps(doc, ensure_ascii=False, allow_nan=False), inputs=inputs)


def _write_map(args: argparse.Namespace, loaded, result, doc: dict, *, compare: bool) -> None:
    from corridors.geo import convert
    from corridors.maps import reach as reach_map
    from corridors.routes import cli, output

    names = {n.id: n.name for n in loaded.network.nodes.values()}
    centres = {g.centre.node_id: g.centre for g in result.regions if g.centre and g.centre.route}
    routes = [output.route_geojson(p.route, names) for p in centres.values()]
    measure = objectives.get(args.measure or args.by or objectives.DEFAULT).attr
    title = f"{result.query['from']} → {result.query['to']}, {result.query['scenario']}"
    if compare:
        measure, title = f"gain_{measure}", title + " vs today"
    m = reach_map.reach_map(
        doc,
        measure=measure,
        routes=routes,
        countries=convert.countries_geojson(loaded.network),
        title=title,
        tiles=cli.tiles(args),
    )
    cli.save_page(m, args.map, offline=args.offline, network=loaded.network, extra=args.extra)


def _run_within(args: argparse.Namespace, loaded) -> int:
    from corridors.geo import convert
    from corridors.routes import cli, reach_output, reach_plan

    net = loaded.network
    planned = reach_plan.plan_within(
        loaded,
        args.origin,
        args.within,
        modes=args.modes,
        avoid=args.avoid,
        month=args.month,
        cargo_from=args.cargo_from,
        cargo_to=args.cargo_to,
        **cli._scenario_args(args),
    )
    found, named = planned.result, planned.scenario
    doc = reach_output.within_dict(found, net)
    if args.map:
        from corridors.maps import reach as reach_map

        m = reach_map.within_map(
            {**doc, "link_time_h": found.link_time_h},
            convert.network_geojson(net),
            countries=convert.countries_geojson(net),
            title=f"Reached from {args.origin}, {named.label}",
            tiles=cli.tiles(args),
        )
        cli.save_page(m, args.map, offline=args.offline, network=net, extra=args.extra)
    if args.geojson:
        _write_geojson(args, loaded, reach_output.within_geojson(found, net))
    if "-" in (args.geojson, args.map):
        return 0
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False))
    elif args.csv:
        sys.stdout.write(reach_output.within_csv(found, net))
    else:
        print(reach_output.within_table(found, net))
    return 0
