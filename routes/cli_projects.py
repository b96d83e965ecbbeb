"""``corridors projects``: the proposed and unfinished projects."""

from __future__ import annotations

import argparse
import json

from corridors.routes import cli


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``corridors projects``."""
    j = sub.add_parser("projects", help="list the proposed and unfinished projects")
    j.add_argument("--json", action="store_true")
    cli._common(j)


def run(args: argparse.Namespace) -> int:
    """Run ``corridors projects``; return the exit status."""
    from corridors.geo import io
    from corridors.routes import scenarios

    network = io.read_network(args.network, extra=args.extra)
    found = scenarios.projects(network)
    if args.json:
        from corridors.routes import output

        print(json.dumps(output.projects_list(found.values()), ensure_ascii=False, indent=1))
        return 0
    print(f"{'project':<34} {'status':<28} {'year':>9} {'km':>7} links")
    for p in found.values():
        years = "-".join(str(y) for y in sorted({min(p.years), max(p.years)})) if p.years else "?"
        status = ",".join(st.replace("_", " ") for st in p.statuses)
        print(f"{p.name:<34} {status:<28} {years:>9} {p.length_km:>7,.0f} {len(p.link_ids)}")
    return 0
