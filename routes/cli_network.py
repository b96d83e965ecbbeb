"""``corridors network``: a summary of the network, a map of it, or a copy to edit (``network init``)."""

from __future__ import annotations

import argparse
from collections import Counter

from corridors.geo.errors import QueryError
from corridors.routes import cli


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``corridors network``."""
    n = sub.add_parser(
        "network",
        help="summary and validation of the network, or a map of it; `network init DIR` copies it",
        description="Summarise and validate the network (--map: draw it). `corridors network init DIR` "
        "copies the network (the built-in one, or --network) into DIR, a folder you can edit.",
    )
    n.add_argument("action", nargs="?", choices=("init",), help="init: copy the network into DIR")
    n.add_argument("dir", nargs="?", metavar="DIR", help="with init: the new network folder")
    n.add_argument("--map", metavar="OUT.html", help="write a Leaflet map of the whole network")
    cli._map_options(n)
    cli._common(n)


def _summary(args: argparse.Namespace) -> int:
    from corridors.geo import io

    problems: list = []
    network = io.read_network(args.network, extra=args.extra, problems=problems)
    if args.map:
        cli._write_map(args, network, None)
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


def _init(args: argparse.Namespace) -> int:
    from corridors.geo import authoring, paths

    if args.dir is None or args.map or args.extra or args.tiles or args.offline:
        msg = "usage: corridors network init DIR [--network SOURCE]"
        raise QueryError(msg)
    dest = authoring.init_network(args.dir, source=args.network)
    _, links, _ = paths.network_files(dest)
    source = args.network or "the built-in network"
    print(f"copied {source} to {dest} ({cli.count(len(links), 'link file')}): a folder you can edit")
    print(f"add links with `corridors add FILE --network {dest}`; use it with `--network {dest}`")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``corridors network`` (summary, map) or ``corridors network init DIR``; return the exit status."""
    if args.action == "init":
        return _init(args)
    cli.check_outputs(args, {})
    if args.dir is not None:
        msg = f"network: unexpected {args.dir!r}; did you mean `corridors network init {args.dir}`?"
        raise QueryError(msg)
    return _summary(args)
