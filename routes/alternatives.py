"""Substantively different alternatives to the best route, and what was discarded on the way.

Candidates come from the penalty method: after each route, the links and border crossings it
used cost twice as much in the next search, and every border crossing costs an extra tenth of
the best route's total, so that a detour through more countries has to earn its place. A
candidate is kept only if it

- enters no country twice (Kazakhstan, China, Tajikistan, China is not a corridor);
- does not go back over its own links more than the best route does;
- costs at most ``max_stretch`` times the best route by the objective;
- shares at most ``max_overlap`` of its length with every kept route (physical links, by km).

The notes say how many candidates each rule discarded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from corridors.geo import model, objectives
from corridors.geo.errors import NoRouteError
from corridors.routes import assembly, backends, countries, diagnosis, search
from corridors.routes.route import Route

#: Each search for an alternative multiplies the weight of the links already used by this.
PENALTY_FACTOR = 2.0
#: In the searches for alternatives, each border crossing costs this share of the best total extra.
BORDER_PENALTY_SHARE = 0.1

_WHY = {
    "reenter": "entered a country twice ({examples})",
    "loop": "went back over their own links",
    "stretch": "cost over {max_stretch:g} times the best by {by}",
    "overlap": "shared over {max_overlap:.0%} of their length with a kept route",
    "repeat": "repeated a kept route",
}


@dataclass(frozen=True)
class Alternatives:
    """The routes found and, when fewer than asked or some were discarded, why."""

    routes: list[Route]
    notes: list[str] = field(default_factory=list)


def _length_by_link(route: Route) -> dict[str, float]:
    return {s.link_id: s.distance_km for s in route.segments}


def _repeats(route: Route) -> int:
    """How many times the route goes over a physical link it already used (out and back)."""
    return len(route.segments) - len(route.link_ids)


def overlap(a: Route, b: Route) -> float:
    """Share (0-1) of the shorter route's length on physical links both routes use.

    Each physical link counts once, whatever the direction or how often a route uses it.
    """
    la, lb = _length_by_link(a), _length_by_link(b)
    shortest = min(sum(la.values()), sum(lb.values()))
    shared = sum(la[k] for k in la.keys() & lb.keys())
    return 0.0 if shortest <= 0 else shared / shortest


def best_route(
    G: search.SearchGraph,
    network: model.Network,
    stops: Sequence[Sequence[str]],
    *,
    by: str,
    constraints: search.Constraints,
) -> tuple[Route | None, list[str]]:
    """The best route that enters no country twice, and a note if that could not be ensured.

    The plain best route (A* or Dijkstra) usually qualifies; when it re-enters a country, an
    exact search that tracks the countries visited (:mod:`routes.pareto`, one criterion) finds
    the best route that does not.
    """
    best = search.route_through(G, network, stops, by=by, constraints=constraints)
    if best is None:
        return None, []
    again = countries.reentered(best, network.nodes)
    if again is None:
        return best, []
    backend = backends.backend(G)
    if len(stops) > 2 or backend.large:
        return best, [f"the best route enters {again} twice (not avoided with `via` or on large networks)"]
    from corridors.routes import pareto  # the exact search, for the rare route that re-enters a country

    attr = objectives.get(by).attr
    G = backend.label_graph(network)
    front = pareto.search(
        G,
        network.nodes,
        stops[0],
        stops[-1],
        values=[lambda d: d[attr]],
        allows=constraints.allows,
        bounds=[G.graph["lower_bounds"].get(attr, 0.0)],
    )
    if not front.paths:
        return None, [f"every route enters {again} twice"]
    path, edges = front.paths[0]
    note = f"the plain best route entered {again} twice; this is the best route that does not"
    return assembly.path_route(network, path, edges, by=by), [note]


def alternatives(
    G: search.SearchGraph,
    network: model.Network,
    stops: Sequence[Sequence[str]],
    *,
    by: str,
    constraints: search.Constraints,
    k: int = 1,
    max_overlap: float = 0.5,
    max_stretch: float = 3.0,
    max_tries: int | None = None,
) -> Alternatives:
    """Up to ``k`` substantively different routes, best first, and why others were discarded.

    Raises
    ------
    NoRouteError
        If not even one route exists; the message names the constraint that cut it off.
    """
    best, notes = best_route(G, network, stops, by=by, constraints=constraints)
    if best is None:
        raise NoRouteError(diagnosis.diagnose(G, network, stops, by=by, constraints=constraints))
    kept = [best]
    penalties: dict[str, float] = {search.BORDER_KEY: BORDER_PENALTY_SHARE * best.total(by)}
    rejected: dict[str, list[str]] = {key: [] for key in _WHY}
    tries = 0
    limit = max_tries if max_tries is not None else 6 * k
    exhausted = False
    last = best
    while len(kept) < k and tries < limit:
        tries += 1
        for key in [*last.link_ids, *(c.node_id for c in last.crossings)]:
            penalties[key] = penalties.get(key, 1.0) * PENALTY_FACTOR
        cand = search.route_through(G, network, stops, by=by, constraints=constraints, penalties=penalties)
        if cand is None:
            exhausted = True
            break
        last = cand
        why = _discard(cand, kept, best, network, by=by, max_overlap=max_overlap, max_stretch=max_stretch)
        if why is None:
            kept.append(cand)
        else:
            rejected[why[0]].append(why[1])
    kept.sort(key=lambda r: r.total(by))
    routes = [replace(r, rank=i) for i, r in enumerate(kept, 1)]
    if k > 1:
        notes += _notes(len(routes), k, tries, rejected, exhausted, by, max_overlap, max_stretch)
    return Alternatives(routes, notes)


def _discard(
    cand: Route,
    kept: list[Route],
    best: Route,
    network: model.Network,
    *,
    by: str,
    max_overlap: float,
    max_stretch: float,
) -> tuple[str, str] | None:
    """Why a candidate is discarded (the rule and an example), or None to keep it."""
    if any(cand.link_ids == r.link_ids for r in kept):
        return "repeat", ""
    again = countries.reentered(cand, network.nodes)
    if again is not None:
        return "reenter", " → ".join(countries.runs(cand, network.nodes))
    if _repeats(cand) > _repeats(best):
        return "loop", ""
    if cand.total(by) > max_stretch * best.total(by):
        return "stretch", ""
    if max(overlap(cand, r) for r in kept) > max_overlap:
        return "overlap", ""
    return None


def _notes(
    found: int,
    k: int,
    tries: int,
    rejected: dict[str, list[str]],
    exhausted: bool,
    by: str,
    max_overlap: float,
    max_stretch: float,
) -> list[str]:
    why = []
    for key, template in _WHY.items():
        if rejected[key]:
            examples = "; ".join(dict.fromkeys(rejected[key][:2]))
            text = template.format(examples=examples, by=by, max_overlap=max_overlap, max_stretch=max_stretch)
            why.append(f"{len(rejected[key])} {text}")
    if found >= k:
        n = sum(map(len, rejected.values()))
        return [f"discarded {n} candidate{'s' if n != 1 else ''}: {'; '.join(why)}"] if why else []
    reason = "; ".join(why) if why else "the network offers no other route"
    if exhausted and not why:
        reason = "no other route exists under the constraints"
    return [
        f"found {found} of {k} routes after {tries} further searches: {reason} "
        "(see `max_overlap` and `max_stretch`)"
    ]
