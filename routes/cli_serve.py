"""``corridors serve``: the HTTP API and the planner page."""

from __future__ import annotations

import argparse
import sys

from corridors.geo.errors import QueryError
from corridors.routes import cli


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``corridors serve``."""
    s = sub.add_parser("serve", help="HTTP API (the --json contract) and a planner page in the browser")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    s.add_argument("--tiles", choices=("none", "osm"), default="none", help="basemap tiles (default: none)")
    s.add_argument("--cors", action="append", default=[], metavar="ORIGIN", help="allow calls from ORIGIN")
    s.add_argument("--workers", type=int, default=1, help="processes, each with the network (default: 1)")
    cli._common(s)


def run(args: argparse.Namespace) -> int:
    """Run ``corridors serve``; return the exit status."""
    from corridors.routes import server

    if not 1 <= args.workers <= 64:
        msg = f"--workers must be 1-64, got {args.workers}"
        raise QueryError(msg)
    loaded = cli._load(args)  # once here, to report a bad file before any worker starts
    settings = {"network": args.network, "extra": args.extra, "cors_origins": args.cors}
    settings["tiles"] = None if args.tiles == "none" else args.tiles
    print(f"{cli.PROG}: planner at http://{args.host}:{args.port}/, API docs at /docs", file=sys.stderr)
    server.serve(settings, loaded=loaded, host=args.host, port=args.port, workers=args.workers)
    return 0
