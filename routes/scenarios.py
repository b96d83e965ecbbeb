"""Scenarios: what each proposed project changes for a set of origin-destination pairs.

A project is the set of links sharing a ``project`` property. Every scenario starts from a base,
today's network (operational links only) unless a year, reopened crossings or statuses name
another (see :mod:`routes.scenario`), and adds project links with their new crossings: each
project alone, all projects, and all projects but one (which shows projects that only pay
together). For each scenario and each
destination, one Dijkstra on the reversed graph gives the best value from every origin at once,
so the whole ranking costs a few searches per scenario, not one per pair.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from corridors.geo import model, objectives
from corridors.geo.errors import QueryError, UnknownPlaceError
from corridors.routes import backends, constraints, places, port_ends, pricing, scenario, search
from corridors.routes.loading import Loaded
from corridors.routes.route import Route

TODAY = "today"
ALL = "all projects"


@dataclass(frozen=True, slots=True)
class Project:
    """A proposed or unfinished investment: its links and what the data says of them."""

    name: str
    link_ids: tuple[str, ...]
    statuses: tuple[str, ...]
    years: tuple[int, ...]
    length_km: float
    corridors: tuple[str, ...]


def projects(network: model.Network) -> dict[str, Project]:
    """The network's projects by name, from the links' ``project`` property."""
    grouped: dict[str, list[model.Link]] = {}
    for link in network.links.values():
        if link.project:
            grouped.setdefault(link.project, []).append(link)
    return {
        name: Project(
            name=name,
            link_ids=tuple(sorted(link.id for link in links)),
            statuses=tuple(sorted({link.status for link in links})),
            years=tuple(sorted({link.year for link in links if link.year})),
            length_km=sum(link.length_km for link in links),
            corridors=tuple(dict.fromkeys(link.corridor for link in links)),
        )
        for name, links in sorted(grouped.items())
    }


@dataclass(slots=True)
class ProjectResult:
    """What one project changes, alone and as the last one added."""

    project: Project
    improved: list[tuple[str, str, float]] = field(default_factory=list)
    connected: list[tuple[str, str]] = field(default_factory=list)
    mean_gain: float = 0.0
    best_gain: float = 0.0
    best_pair: tuple[str, str] | None = None
    best_route: Route | None = None
    marginal_mean_gain: float = 0.0
    marginal_pairs: int = 0
    #: Mean gain if suspended links and crossings reopened (computed for projects that gain nothing).
    reopened_mean_gain: float = 0.0

    @property
    def only_together(self) -> bool:
        """It improves nothing alone, but the other projects lose something without it."""
        return not self.improved and not self.connected and self.marginal_pairs > 0


@dataclass(slots=True)
class Ranking:
    """The ranked projects and the scenario values behind them."""

    by: str
    pairs: list[tuple[str, str]]
    weights: dict[tuple[str, str], float]
    values: dict[str, dict[tuple[str, str], float]]
    results: list[ProjectResult]
    all_gain: float
    all_improved: int
    #: The base every project is added to (today's network by default).
    base: scenario.Scenario = field(default_factory=scenario.Scenario)
    #: Projects wholly in the base (planned by its year, say): not ranked.
    in_base: list[str] = field(default_factory=list)
    #: The countries the cargo was said to start and end in (``cargo_from``, ``cargo_to``).
    cargo: tuple[str | None, str | None] = (None, None)


#: A weights file is a table of pairs; anything larger is not one.
MAX_WEIGHTS_BYTES = 50 * 1000**2
_WEIGHTS_HEADER = ["origin", "destination", "weight"]


def pair_weights(path: str | Path, network: model.Network) -> dict[tuple[str, str], float]:
    """Read ``origin,destination,weight`` rows (places by name, alias or id) from a CSV file.

    The first row must be that header. A pair given twice is an error.

    Raises
    ------
    QueryError
        Naming the file and the line of the first bad row.
    """
    from corridors.geo import safeio
    from corridors.geo.errors import FileAccessError

    try:
        text = safeio.read_bytes(path, max_bytes=MAX_WEIGHTS_BYTES).decode("utf-8-sig")
    except FileAccessError as err:
        raise QueryError(f"`weights` {err}") from None
    except UnicodeDecodeError as err:
        msg = f"`weights` {path}: not UTF-8 text (byte {err.start}): save the file as UTF-8 CSV"
        raise QueryError(msg) from None
    return parse_weights(text, network, f"`weights` {path}")


def parse_weights(text: str, network: model.Network, source: str = "weights") -> dict[tuple[str, str], float]:
    """The ``origin,destination,weight`` rows of CSV text, as :func:`pair_weights` reads a file.

    ``source`` starts every message (the option and file, or the request parameter). The rows
    must give at least one pair a weight above 0 (an empty table would rank every pair alike).
    """
    rows = csv.reader(text.splitlines())
    header = next(rows, None)
    if [h.strip().lower() for h in header or []] != _WEIGHTS_HEADER:
        raise _weights_error(
            f"{source}: line 1: expected the header origin,destination,weight, got {header!r}"
        )
    weights: dict[tuple[str, str], float] = {}
    for i, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(_WEIGHTS_HEADER):
            raise _weights_error(
                f"{source}: line {i}: expected origin,destination,weight, got {len(row)} values"
            )
        o_text, d_text, w_text = row
        try:
            o = places.resolve(network, o_text).node_ids[0]
            d = places.resolve(network, d_text).node_ids[0]
            w = float(w_text)
        except (ValueError, UnknownPlaceError) as err:
            raise _weights_error(f"{source}: line {i}: expected origin,destination,weight ({err})") from None
        if not math.isfinite(w) or w < 0:
            raise _weights_error(f"{source}: line {i}: weight must be a number >= 0, got {w_text!r}")
        if (o, d) in weights:
            raise _weights_error(f"{source}: line {i}: the pair {o} -> {d} is given twice")
        weights[(o, d)] = w
    if not any(weights.values()):
        what = "no pair has a weight above 0" if weights else "no rows under the header"
        raise _weights_error(f"{source}: {what}")
    return weights


def _weights_error(msg: str) -> QueryError:
    """A weights error (at most 300 characters) that the server blames on its ``weights``."""
    err = QueryError(msg[:300])
    err.parameter = "weights"
    return err


def _check_weights(weights: dict[tuple[str, str], float], pairs: list[tuple[str, str]]) -> None:
    """Refuse weights of pairs that the ranking does not measure (they would silently count 0)."""
    outside = [pair for pair in weights if pair not in set(pairs)]
    if outside:
        o, d = outside[0]
        msg = (
            f"`weights`: {len(outside)} weighted pair(s) are not among the pairs ranked, "
            f"for example {o} -> {d}: give `origin` and `destination` that include them, or drop those rows"
        )
        raise QueryError(msg)


def _values(
    graphs: Callable[[str, str], search.SearchGraph],
    pairs: Sequence[tuple[str, str]],
    constraints: search.Constraints,
    attr: str,
) -> dict[tuple[str, str], float]:
    """Best value of every pair: one reverse search per destination and country the cargo
    starts in (``graphs(o, d)``: the graph priced for the customs regime of the pair), on
    either backend."""
    out = {}
    searched: dict[tuple[int, str], dict[str, float]] = {}
    for o, d in pairs:
        G = graphs(o, d)
        if (id(G), d) not in searched:
            searched[id(G), d] = backends.backend(G).reverse_costs(d, attr=attr, constraints=constraints)
        out[(o, d)] = searched[id(G), d].get(o, math.inf)
    return out


def _regime_graphs(
    G: search.SearchGraph, net, given: pricing.Given
) -> Callable[[str, str], search.SearchGraph]:
    """The graph of each pair's customs regime (:func:`routes.pricing.query_graph`), one per
    pair of countries the cargo starts and ends in (those ``given``, else the pair's), with the
    port call at an end where the cargo is at sea there (:func:`routes.port_ends.sea_ends`), as
    :func:`corridors.plan` searches it."""
    regimes: dict[tuple, search.SearchGraph] = {}
    made: dict[tuple, search.SearchGraph] = {}
    keys: dict[tuple[str, str], tuple] = {}

    def graph_of(o: str, d: str) -> search.SearchGraph:
        if (o, d) not in keys:
            ends = pricing.ends_of(net, [o], [d], given)
            if ends not in regimes:
                regimes[ends] = pricing.query_graph(G, net, ends)
            at_sea = (tuple(port_ends.ports_at_sea(net, [n], c)) for n, c in zip((o, d), given, strict=True))
            keys[o, d] = key = (ends, *at_sea)
            if key not in made:
                made[key] = port_ends.sea_ends(regimes[ends], net, [o], [d], given)
        return made[keys[o, d]]

    return graph_of


def rank(
    loaded: Loaded,
    *,
    origin: str = "Kazakhstan",
    destination: str = "Arabian Sea",
    by: str = "time",
    month: int | None = None,
    year: int | None = None,
    reopen: str | Sequence[str] | None = None,
    status: Sequence[str] | None = None,
    include_suspended: bool = False,
    weights: dict[tuple[str, str], float] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cargo_from: str | None = None,
    cargo_to: str | None = None,
) -> Ranking:
    """Rank the projects by how much each alone improves the best routes of the OD pairs.

    The measure is the weighted mean gain over all pairs (hours, USD per tonne or km saved;
    pairs that a project newly connects are counted apart). Ties break on the gain as last
    project added. ``year``, ``reopen``, ``status`` and ``include_suspended`` name the base the
    projects are added to, as for :func:`corridors.plan`; projects wholly in it are not ranked.
    ``cargo_from`` and ``cargo_to`` are the countries the cargo starts and ends in, where not
    each pair's (the customs regime at ports, as for :func:`corridors.plan`).
    Times are those the search minimises: road rest at its long-run rate per moving hour, at
    most one stop more than the route planner's rest by driving day (:mod:`routes.rest`).
    """
    attr = objectives.get(by).attr
    net = loaded.network
    given = pricing.cargo_given(net, cargo_from, cargo_to)
    graphs = _regime_graphs(loaded.G, net, given)
    origins = places.resolve(net, origin).node_ids
    destinations = places.resolve(net, destination).node_ids
    pairs = [(o, d) for o in origins for d in destinations if o != d]
    weights = weights or {}
    _check_weights(weights, pairs)
    named = scenario.resolve(
        net, year=year, reopen=reopen, status=status, include_suspended=include_suspended
    )
    today = constraints.query_constraints(net, named, month=month)
    found = projects(net)
    in_base = [name for name, p in found.items() if set(p.link_ids) <= named.extra_links]
    found = {name: p for name, p in found.items() if name not in in_base}
    every = frozenset(lid for p in found.values() for lid in p.link_ids)

    def adding(link_ids: frozenset[str]) -> search.Constraints:
        links = today.extra_links | link_ids
        crossings = today.open_crossings | scenario.project_crossings(net, links)
        return replace(today, extra_links=links, open_crossings=crossings)

    scenarios: dict[str, search.Constraints] = {TODAY: today, ALL: adding(every)}
    for name, p in found.items():
        scenarios[name] = adding(frozenset(p.link_ids))
        scenarios[f"all but {name}"] = adding(every - set(p.link_ids))
    values = {}
    for i, (name, rules) in enumerate(scenarios.items(), 1):
        values[name] = _values(graphs, pairs, rules, attr)
        if progress:
            progress(i, len(scenarios))
    base = values[TODAY]

    # Weights relative to the largest, so that their sums stay finite however large they are.
    top = max(weights.values(), default=0.0) or 1.0

    def weight(pair: tuple[str, str]) -> float:
        return weights.get(pair, top if not weights else 0.0) / top

    def mean_gain(new: dict, old: dict) -> tuple[float, list]:
        gains = [(pair, old[pair] - new[pair]) for pair in pairs if math.isfinite(old[pair])]
        total_w = sum(weight(p) for p, _ in gains)
        mean = sum(weight(p) * g for p, g in gains) / total_w if total_w else 0.0
        return mean, [(p, g) for p, g in gains if g > 1e-9]

    results = []
    for name, p in found.items():
        alone = values[name]
        res = ProjectResult(p)
        res.mean_gain, improved = mean_gain(alone, base)
        res.improved = [(o, d, g) for (o, d), g in improved]
        res.connected = [pair for pair in pairs if math.isinf(base[pair]) and math.isfinite(alone[pair])]
        if improved:
            res.best_pair, res.best_gain = max(improved, key=lambda pg: pg[1])
            o, d = res.best_pair
            res.best_route = search.route_through(
                graphs(o, d), net, [[o], [d]], by=by, constraints=scenarios[name]
            )
        res.marginal_mean_gain, marginal = mean_gain(values[ALL], values[f"all but {name}"])
        res.marginal_pairs = len(marginal)
        results.append(res)
    idle = [r for r in results if not r.improved and not r.connected and not r.only_together]
    if idle and not today.include_suspended:
        base_open = _values(graphs, pairs, replace(today, include_suspended=True), attr)
        for r in idle:
            with_p = replace(scenarios[r.project.name], include_suspended=True)
            r.reopened_mean_gain = mean_gain(_values(graphs, pairs, with_p, attr), base_open)[0]
    results.sort(key=lambda r: (-len(r.connected), -r.mean_gain, -r.marginal_mean_gain, r.project.name))
    all_gain, all_improved = mean_gain(values[ALL], base)
    cargo = tuple(None if c is None else min(c) for c in given)
    return Ranking(by, pairs, weights, values, results, all_gain, len(all_improved), named, in_base, cargo)
