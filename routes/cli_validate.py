"""``corridors validate``: check user GeoJSON files against the network, one line per problem."""

from __future__ import annotations

import argparse
import sys

from corridors.routes import cli


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``corridors validate``."""
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
    cli._common(v)


def run(args: argparse.Namespace) -> int:
    """Run ``corridors validate``; return the exit status."""
    from corridors.geo import authoring

    check = authoring.check_files(args.files, folder=args.network, extra=args.extra)
    if not args.quiet:
        for line in additions(check):
            print(line)
    for p in check.problems:
        print(p)
    errors, warnings = len(check.errors), len(check.warnings)
    counts = f"{cli.count(errors, 'error')}, {cli.count(warnings, 'warning')}"
    print(f"{cli.count(len(args.files), 'file')}: {counts}", file=sys.stderr)
    return 2 if errors or (args.strict and warnings) else 0


def additions(check) -> list[str]:
    """What each user file adds: its new nodes and links, and what was filled in on them."""
    lines = []
    for added in check.files:
        counts = f"{cli.count(len(added.links), 'link')}, {cli.count(len(added.nodes), 'new node')}"
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
