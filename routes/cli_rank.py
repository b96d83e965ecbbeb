"""``corridors rank``: the value of each project for the access to the sea."""

from __future__ import annotations

import argparse
import sys

from corridors.geo import objectives
from corridors.routes import cli


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``corridors rank``."""
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
    cli._scenario_options(k, projects=False)
    k.add_argument("--weights", metavar="CSV", help="origin,destination,weight rows (e.g. trade volumes)")
    cli._cargo_options(k)
    fmt = k.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    k.add_argument("--map", metavar="OUT.html", help="write a map of the projects coloured by rank")
    cli._map_options(k)
    cli._common(k)


def run(args: argparse.Namespace) -> int:
    """Run ``corridors rank``; return the exit status."""
    from corridors.routes import rank_output, scenarios

    cli.check_outputs(args, {"--map -": args.map == "-", "--json": args.json, "--csv": args.csv})
    loaded = cli._load(args)
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
        year=args.year,
        reopen=args.reopen,
        status=args.status,
        include_suspended=args.include_suspended,
        weights=weights,
        progress=progress,
        cargo_from=args.cargo_from,
        cargo_to=args.cargo_to,
    )
    names = {n.id: n.name for n in loaded.network.nodes.values()}
    if args.map:
        cli._write_map(args, loaded.network, rank_output.ranking_geojson(ranking, loaded.network))
        if args.map == "-":
            return 0
    if args.json:
        print(cli.dumps(rank_output.ranking_dict(ranking, names), indent=1))
    elif args.csv:
        sys.stdout.write(rank_output.ranking_csv(ranking, names))
    else:
        print(rank_output.ranking_table(ranking, names))
    return 0
