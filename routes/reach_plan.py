"""The reach of a query: origin places and regions, the scenario, today beside it if asked.

The one entry point that the command line (``corridors reach``) and the HTTP API share, with
the same keyword options as :func:`corridors.plan`: it resolves the scenario, joins the origin
country's regions to its places and runs :func:`corridors.routes.reach.reach`.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corridors.geo import model
from corridors.geo import regions as regions_mod
from corridors.geo.errors import QueryError
from corridors.routes import cache, constraints, loading, places, reach, scenario

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dh]?)\s*$", re.IGNORECASE)
#: Longest band of ``--within`` (hours): a year, far beyond any route of the network.
MAX_WITHIN_H = 365 * 24.0


def durations(text: str) -> list[float]:
    """``"3d,5d,7d"`` -> ``[72.0, 120.0, 168.0]`` hours (a bare number is hours), sorted, once each.

    Raises
    ------
    QueryError
        Naming `within` and the part that is not a positive duration.
    """
    out = []
    for part in text.split(","):
        match = _DURATION.match(part)
        if not match:
            msg = f"`within`: {part.strip()!r} is not a duration such as 3d or 36h"
            raise QueryError(msg)
        value = float(match.group(1)) * (24 if match.group(2).lower() == "d" else 1)
        if not math.isfinite(value) or value <= 0:
            msg = f"`within`: {part.strip()!r} must be a positive duration"
            raise QueryError(msg)
        if value > MAX_WITHIN_H:
            msg = f"`within`: {part.strip()!r} is longer than {MAX_WITHIN_H / 24:g} days"
            raise QueryError(msg)
        out.append(value)
    return sorted(set(out))


@dataclass
class ReachPlan:
    """A reach in the named scenario, today's beside it for a comparison, and the regions used."""

    result: reach.Reach
    today: reach.Reach | None
    regions: list[regions_mod.Region]
    scenario: scenario.Scenario


@dataclass
class WithinPlan:
    """What one origin reaches within time bands, in the scenario named."""

    result: reach.Within
    scenario: scenario.Scenario


def origin_regions(
    network: model.Network, origin: places.Endpoint
) -> tuple[list[regions_mod.Region], dict[str, list[str]]]:
    """The regions of the origin's country (when the origin is a country) and the places in each."""
    path = regions_mod.regions_path(network)
    if path is None or origin.kind != "country":
        return [], {}
    country = network.nodes[origin.node_ids[0]].country
    found = [r for r in regions_mod.read_regions(path) if r.country == country]
    return found, joined(path, found, [network.nodes[n] for n in origin.node_ids])


def joined(path: Path, found: list[regions_mod.Region], nodes: list[model.Node]) -> dict[str, list[str]]:
    """:func:`corridors.geo.regions.join_places`, cached by the regions file and the places.

    The spatial join itself is quick; importing geopandas for it is most of a reach's start-up,
    so its answer is kept in the network cache (:mod:`corridors.routes.cache`) under a key made of
    the regions file's content, the regions used and every place's id and position.
    """
    k = cache.key([path])
    if k is not None:
        places_digest = hashlib.sha256(repr([(n.id, n.lon, n.lat) for n in nodes]).encode()).hexdigest()
        k += f"\nregions join|{','.join(r.id for r in found)}|{places_digest}"
        hit = cache.get(k)
        if isinstance(hit, dict):
            return hit
    out = regions_mod.join_places(found, nodes)
    if k is not None:
        cache.put(k, out)
    return out


def plan_reach(
    loaded: loading.Loaded,
    destination: str = "Arabian Sea",
    *,
    origin: str = "Kazakhstan",
    by: str = "time",
    modes: Sequence[str] | None = None,
    avoid: Sequence[str] = (),
    month: int | None = None,
    projects: str | Sequence[str] | None = None,
    year: int | None = None,
    reopen: str | Sequence[str] | None = None,
    status: Sequence[str] | None = None,
    include_suspended: bool = False,
    compare: bool = False,
    cargo_from: str | None = None,
    cargo_to: str | None = None,
) -> ReachPlan:
    """The reach of every place and region of ``origin`` to ``destination`` in a scenario.

    The scenario options are those of :func:`corridors.plan` (default today's network). With
    ``compare``, today's reach is computed beside it; a comparison with no scenario named
    compares today with all projects, as ``corridors route --compare`` does. ``cargo_from`` and
    ``cargo_to`` are the countries the cargo starts and ends in, as for :func:`corridors.plan`.
    """
    net = loaded.network
    if compare and not any((projects, year, reopen, status, include_suspended)):
        projects = ["all"]
    named = scenario.resolve(
        net,
        projects=projects,
        year=year,
        reopen=reopen,
        status=status,
        include_suspended=include_suspended,
        user_files=loaded.user_files,
    )
    if compare and named.is_today:
        msg = "`compare`: the scenario named is today's network; name `projects`, `year` or `reopen`"
        raise QueryError(msg)
    regions, inside = origin_regions(net, places.resolve(net, origin))

    def run(which: scenario.Scenario) -> reach.Reach:
        found = reach.reach(
            loaded,
            destination,
            origin=origin,
            by=by,
            constraints=constraints.query_constraints(net, which, avoid=avoid, modes=modes, month=month),
            regions=regions,
            region_places=inside,
            cargo_from=cargo_from,
            cargo_to=cargo_to,
        )
        found.query["scenario"] = which.label
        found.notes[:0] = list(which.notes)
        return found

    today = run(scenario.resolve(net, user_files=loaded.user_files)) if compare else None
    return ReachPlan(run(named), today, regions, named)


def plan_within(
    loaded: loading.Loaded,
    origin: str,
    bands_h: Sequence[float],
    *,
    modes: Sequence[str] | None = None,
    avoid: Sequence[str] = (),
    month: int | None = None,
    projects: str | Sequence[str] | None = None,
    year: int | None = None,
    reopen: str | Sequence[str] | None = None,
    status: Sequence[str] | None = None,
    include_suspended: bool = False,
    cargo_from: str | None = None,
    cargo_to: str | None = None,
) -> WithinPlan:
    """What ``origin`` reaches within each of ``bands_h`` hours in a scenario (``reach --within``)."""
    net = loaded.network
    named = scenario.resolve(
        net,
        projects=projects,
        year=year,
        reopen=reopen,
        status=status,
        include_suspended=include_suspended,
        user_files=loaded.user_files,
    )
    rules = constraints.query_constraints(net, named, avoid=avoid, modes=modes, month=month)
    found = reach.within(
        loaded, origin, bands_h, constraints=rules, cargo_from=cargo_from, cargo_to=cargo_to
    )
    return WithinPlan(found, named)
