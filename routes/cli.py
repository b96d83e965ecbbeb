"""The ``corridors`` command line: the parser, the options commands share, outputs and exit codes.

Each command lives in its own module (``cli_route``, ``cli_rank``, ...), which declares its
options (``add_parser``) and runs it (``run``); this module wires them together, imports only
the command being run, and turns errors into one line and an exit status.

Exit status: 0 success, 1 no route, 2 bad input (a file, an option, an unknown place).
Only the command line prints, exits or reads ``sys.argv``, and only it reaches ``maps``. Every
message is one line on stderr, with control and bidi characters shown as escapes, and names
each option by the flag typed (``--max-stretch``) where the library names it as the Python API
does (`max_stretch`: :func:`flag_names`).

Outputs (``--map``, ``--geojson``): ``-`` is standard output; an existing ordinary file is
replaced whole (keeping its permissions); a symbolic link, a device, a folder, and the files the
command reads are refused (see :mod:`geo.safeio`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import NoReturn

from corridors.geo.errors import CorridorError, NoRouteError, QueryError
from corridors.routes import limits

PROG = "corridors"

#: Each command and the module that declares (``add_parser``) and runs (``run``) it, in the
#: order of ``corridors --help``.
COMMANDS = {
    "route": "cli_route",
    "places": "cli_places",
    "network": "cli_network",
    "projects": "cli_projects",
    "rank": "cli_rank",
    "validate": "cli_validate",
    "add": "cli_add",
    "reach": "cli_reach",
    "serve": "cli_serve",
}


def command_module(name: str) -> ModuleType:
    """The module of command ``name`` (imported on first use)."""
    return importlib.import_module(f"corridors.routes.{COMMANDS[name]}")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        message = flag_names(message, self)
        print(f"{self.prog}: error: {terminal_safe(message)} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


def flag_names(message: str, parser: argparse.ArgumentParser) -> str:
    """``message`` with each option named as the Python API names it (`max_stretch`) named as
    ``parser`` (a command's parser) declares it: its flag (``--max-stretch``, ``-k``) or the
    placeholder of a positional argument (``TO``). A name the parser has not keeps its backticks."""
    flags: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.dest == "help":
            continue
        shown = max(action.option_strings, key=len) if action.option_strings else action.metavar
        flags.setdefault(action.dest, shown or action.dest.upper())
    return limits.renamed(message, flags.get)


def flags_of(command: str) -> Callable[[str], str]:
    """A message (a note) -> the message with each option named by ``command``'s flag."""
    parser = command_parser(build_parser(command), command)
    return lambda message: flag_names(message, parser)


def command_parser(parser: argparse.ArgumentParser, command: str | None) -> argparse.ArgumentParser:
    """The parser of ``command`` within the whole parser (the whole parser if there is none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command]
    return parser


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
    for name in COMMANDS:
        if command in (None, name):
            command_module(name).add_parser(sub)
    return parser


def _scenario_options(r: argparse.ArgumentParser, *, projects: bool = True) -> None:
    """What exists besides today's network: projects, a year, reopened crossings, statuses.

    Without ``projects`` (``rank``, which adds each project in turn), no ``--projects``.
    """
    what = "scenario" if projects else "base scenario, to which each project is added"
    g = r.add_argument_group(f"{what} (default: today's network, operational links and open crossings)")
    if projects:
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


def _cargo_options(p: argparse.ArgumentParser) -> None:
    """Where the cargo really starts and ends: the customs regime at ports (route, rank, reach)."""
    p.add_argument(
        "--cargo-from",
        metavar="COUNTRY",
        help="the country the cargo starts in, if not the origin's (goods in transit pay transit customs); "
        "'sea': landed from a ship at the origin port",
    )
    p.add_argument(
        "--cargo-to",
        metavar="COUNTRY",
        help="the country the cargo ends in, if not the destination's (an ISO3 code beyond the network: "
        "GEO); 'sea': goes on by ship from the destination port",
    )


def _scenario_args(args: argparse.Namespace, *, compare: bool = False) -> dict:
    """The scenario options of ``route`` as keywords of :func:`routes.api.plan`."""
    named = {
        "projects": args.projects,
        "year": args.year,
        "reopen": args.reopen,
        "status": args.status,
        "include_suspended": args.include_suspended,
    }
    if compare and not any(named.values()):
        named["projects"] = ["all"]
    return named


def _map_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tiles", help="with --map: tile layer name, or 'none' (default: OpenStreetMap)")
    p.add_argument(
        "--offline", action="store_true", help="with --map: self-contained page, no request to any host"
    )


def tiles(args: argparse.Namespace) -> str | None:
    """The tile layer of ``--tiles`` (default OpenStreetMap; ``none``: no tiles)."""
    name = args.tiles or "OpenStreetMap"
    return None if name.lower() == "none" else name


def check_outputs(args: argparse.Namespace, stdout: dict[str, bool]) -> None:
    """Refuse what would be ignored: ``--tiles``/``--offline`` without ``--map``, and two outputs
    to standard output (``stdout``: each option and whether it writes there).

    Raises
    ------
    QueryError
        Naming the options.
    """
    for name, value in (("--tiles", args.tiles), ("--offline", args.offline)):
        if value and not args.map:
            msg = f"{name} is for the page --map writes; give --map OUT.html too"
            raise QueryError(msg)
    both = [name for name, to_stdout in stdout.items() if to_stdout]
    if len(both) > 1:
        msg = f"{both[0]} and {both[1]} both write to standard output; write one of them to a file"
        raise QueryError(msg)


def save_page(m, path: str, *, offline: bool, network, extra: Iterable[str | Path] = ()) -> None:
    """Write the map page ``m`` to ``path`` (``-``: standard output), never over an input."""
    from corridors import maps

    _refuse_in_network(path, network)
    if path == "-":
        write_output("-", maps.page_html(m, offline=offline))
        return
    maps.save_map(m, path, offline=offline, inputs=read_inputs(network, extra))
    print(f"map written to {path}", file=sys.stderr)


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
    from corridors.routes import loading

    problems: list | None = [] if args.extra else None
    loaded = loading.load(args.network, extra=args.extra, problems=problems)
    for p in problems or []:
        print(f"{PROG}: {p}", file=sys.stderr)
    return loaded


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
    if routes is None:
        m = maps.network_map(net_fc, countries=countries, tiles=tiles(args))
    else:
        m = maps.routes_map(routes, network=net_fc, countries=countries, tiles=tiles(args), title=title)
    if figure is not None:
        maps.add_figure(m, figure[1], title=figure[0])
    save_page(m, args.map, offline=args.offline, network=network, extra=args.extra)


def count(n: int, noun: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = argv[0] if argv and argv[0] in COMMANDS else None
    for stream in (sys.stdout, sys.stderr):  # text from the command line may hold lone surrogates
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser(command)
    try:
        args = parser.parse_args(argv)
    except SystemExit as err:  # --help, or a usage error already printed
        return err.code if isinstance(err.code, int) else 0
    except CorridorError as err:  # an option's value out of range (see routes.limits.option)
        _error(f"error: {flag_names(str(err), command_parser(parser, command))}")
        return 2
    with _warnings_to_stderr():
        return _run(args, command_parser(parser, args.command))


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        return command_module(args.command).run(args)
    except NoRouteError as err:
        _error(f"no route: {flag_names(str(err), parser)}")
        return 1
    except CorridorError as err:
        _error(f"error: {flag_names(str(err), parser)}")
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
