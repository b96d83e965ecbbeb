"""``corridors add``: merge validated user GeoJSON into a network folder, atomically."""

from __future__ import annotations

import argparse
import sys

from corridors.geo.errors import QueryError
from corridors.routes import cli, cli_validate


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``corridors add``."""
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


#: What ``add --recover`` says for each state of :func:`geo.transaction.recover`.
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


def run(args: argparse.Namespace) -> int:
    """Run ``corridors add``; return the exit status."""
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
    for line in cli_validate.additions(check):
        print(line)
    for p in check.problems:
        print(p)
    if check.errors or (args.strict and check.warnings):
        counts = cli.count(len(check.errors), "error")
        if args.strict:
            counts += f", {cli.count(len(check.warnings), 'warning')}"
        print(f"{args.network}: unchanged ({counts})", file=sys.stderr)
        return 2
    if not merge.changes:
        print(f"{args.network}: nothing to add")
        return 0
    print(f"{args.network}: " + ("would change (dry run: nothing written):" if args.dry_run else "changed:"))
    for change in merge.changes:
        state = "new file" if change.old is None else "appended"
        added = cli.count(len(change.added), change.kind)
        print(f"  {change.path.relative_to(merge.folder)} ({state}): + {added}")
    return 0
