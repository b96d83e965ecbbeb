"""``corridors places``: find endpoints by name."""

from __future__ import annotations

import argparse
import json
import sys

from corridors.routes import cli


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``corridors places``."""
    p = sub.add_parser("places", help="find endpoints by name")
    p.add_argument("query", nargs="?", help="part of a name, alias or id")
    p.add_argument("--country", help="ISO3 code")
    p.add_argument("--kind", choices=("city", "port", "dry_port", "border_crossing", "junction"))
    p.add_argument("--json", action="store_true")
    cli._common(p)


def run(args: argparse.Namespace) -> int:
    """Run ``corridors places``; return the exit status."""
    from corridors.geo import io
    from corridors.routes import places

    network = io.read_network(args.network, extra=args.extra)
    found = places.search(network, args.query, country=args.country, kind=args.kind)
    if args.json:
        from corridors.routes import output

        print(json.dumps(output.places_list(found), ensure_ascii=False, indent=1))
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
