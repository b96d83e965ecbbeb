"""Road rest by driving day: the stops a truck's crew makes, counted over the route.

A search prices a road link's rest at the crews' long-run rate (hours standing per hour
moving, :meth:`corridors.geo.model.RoadRest.rates`) so that a route's time stays a sum over its
edges. The route found is then given the rest its crew really takes over the route's whole
driving time (:meth:`corridors.geo.model.RoadRest.standing_h`): the crew drives at most
``driving_h`` hours, then stands ``standing_h`` hours, and stands no more once the driving is
done, so a trip shorter than one driving day stands nowhere and one of three driving days
stands twice. A wait that is a daily rest (``[dwell.road.waits_as_rest.<kind>]``: a border,
transfer or sea leg of at least ``min_h`` hours, at the ends named) starts the driving clock
again: the driving is counted in stretches between such waits, each standing its own whole
stops. Each end of the range counts with the moving and waiting times at that end; for an
unknown crew the low end takes the crew that stands least on this trip, the high end the one
that stands most.

The route's rest is shared among its road segments in proportion to their moving time, so
the segments still add up to the route and each keeps low <= central <= high (where a
cost file's crews would give a low end's share above the central one's, or a high end's below
it, the share is the central one's: the range only widens).

The rest so counted is never more than the long-run rate's (a stretch stands at most its
driving x the rate, and splitting the driving never adds a stop): ``--by time`` and
``--by time-high`` minimise the long-run figures, which bound the reported ones from above,
by at most one stop per stretch (:func:`search_margin_h`).
"""

from __future__ import annotations

import dataclasses
import math

from corridors.geo import model
from corridors.routes.route import Crossing, Segment, Step, Transfer

ENDS = model.SPAN_ENDS
#: The ``values`` keys of the three ends, in :data:`ENDS` order.
ATTRS = ("time_h_low", "time_h", "time_h_high")


def by_driving_day(steps: list[Step], rest: model.RoadRest | None) -> list[Step]:
    """``steps`` with the rest of their road segments counted by driving day over the route
    (``rest`` None: as they are, rest per moving hour). Segments with a wait of their own
    (``wait_h`` on the link) keep it."""
    road = [
        i
        for i, s in enumerate(steps)
        if isinstance(s, Segment) and s.mode == "road" and "wait_h" not in s.sources
    ]
    if rest is None or not road:
        return steps
    moving = [model.Span(*steps[i].time_parts["moving"]) for i in road]
    driving = model.Span(*(math.fsum(getattr(m, e) for m in moving) for e in ENDS))
    standing = rest.standing_h_runs(stretches(steps, road, rest))
    low, central, high = (
        getattr(standing, e) / getattr(driving, e) if getattr(driving, e) > 0 else 0.0 for e in ENDS
    )
    share = model.Span(min(low, central), central, max(high, central))
    out = list(steps)
    for i, m in zip(road, moving, strict=True):
        out[i] = _with_rest(steps[i], (m.low * share.low, m.central * share.central, m.high * share.high))
    return out


def wait_kind(step: Step) -> str | None:
    """The kind of wait a step is for the crew's driving clock (``model.REST_WAIT_KINDS``):
    ``border`` at a crossing, ``transfer`` at a transfer or a port call's customs, ``sea`` on a
    sea leg; None for a road or rail segment."""
    if isinstance(step, Crossing):
        return "border" if step.kind == "crossing" else "transfer"
    if isinstance(step, Transfer):
        return "transfer"
    if isinstance(step, Segment) and step.mode == "sea":
        return "sea"
    return None


def stretches(steps: list[Step], road: list[int], rest: model.RoadRest) -> dict[str, tuple[float, ...]]:
    """The hours of driving of the road segments ``road`` (indices into ``steps``) between the
    waits that restart the driving clock, at each end (low, central, high)."""
    out, driven = {}, set(road)
    for end, attr in zip(ENDS, ATTRS, strict=True):
        runs, run, at = [], 0.0, ENDS.index(end)
        for i, s in enumerate(steps):
            kind = wait_kind(s)
            if i in driven:
                run += s.time_parts["moving"][at]
            elif kind is not None and rest.resets(kind, end, s.values[attr]):
                runs.append(run)
                run = 0.0
        out[end] = (*runs, run)
    return out


def search_margin_h(rest: model.RoadRest | None, within_h: float) -> float:
    """How much more than ``within_h`` central hours a search must look to find every route of
    at most ``within_h`` hours with rest by driving day: the search's long-run rate adds at
    most one stop per stretch of driving, and each wait that ends a stretch takes at least its
    ``min_h`` of the route's hours."""
    if rest is None:
        return 0.0
    standing = rest.cycles()[1].standing_h
    shortest = [w.min_h for w in rest.waits.values() if "central" in w.ends and w.min_h > 0]
    waits = math.floor(within_h / min(shortest)) if shortest else 0
    return standing * (1 + waits)


def _with_rest(seg: Segment, rest: tuple[float, float, float]) -> Segment:
    """The segment with ``rest`` hours (low, central, high) standing in place of its rest part."""
    old = seg.time_parts["rest"]
    values = dict(seg.values)
    for attr, was, now in zip(ATTRS, old, rest, strict=True):
        values[attr] = values[attr] - was + now
    was_h, cost = seg.values["time_h"], seg.values["cost_usd_per_t"]
    if was_h > 0:  # generalised = cost + time x value of time: the same value of time
        per_h = (seg.values["generalised_usd_per_t"] - cost) / was_h
        values["generalised_usd_per_t"] = cost + values["time_h"] * per_h
    parts = {**seg.time_parts, "rest": rest}
    return dataclasses.replace(seg, values=values, time_parts=parts)


def central_edge_hours(edges: list[dict], network: model.Network) -> list[float]:
    """The central hours of each edge of a graph path, road rest by driving day over the path
    (as :func:`by_driving_day` gives a route: the central cycle, shared by moving time).

    A road link's edge carries ``moving x (1 + rate)`` hours at the long-run central rate; a
    link with a wait of its own keeps its edge's hours. A border edge at a crossing is a
    ``border`` wait, one at a port (a port call's customs) and a transfer edge a ``transfer``
    wait, a sea link a ``sea`` wait, as :func:`wait_kind` gives a route's steps.
    """
    hours = [d["time_h"] for d in edges]
    rest = network.costs.road_rest
    if rest is None:
        return hours
    rate = rest.rates().central
    links = [network.links[d["link"]] if d["kind"] == "link" else None for d in edges]
    road = [i for i, link in enumerate(links) if link and link.mode == "road" and link.wait_h is None]
    moving = {i: hours[i] / (1 + rate) for i in road}
    driving = math.fsum(moving.values())
    if driving <= 0:
        return hours
    runs, run = [], 0.0
    for i, (d, link) in enumerate(zip(edges, links, strict=True)):
        kind = _edge_wait_kind(d, link, network)
        if i in moving:
            run += moving[i]
        elif kind is not None and rest.resets(kind, "central", hours[i]):
            runs.append(run)
            run = 0.0
    runs = (*runs, run)
    share = rest.standing_h_runs(dict.fromkeys(ENDS, runs)).central / driving
    for i, m in moving.items():
        hours[i] = m * (1 + share)
    return hours


def _edge_wait_kind(d: dict, link: model.Link | None, network: model.Network) -> str | None:
    if d["kind"] == "border":
        node = network.nodes.get(d.get("node", ""))
        return "border" if node is not None and node.is_crossing else "transfer"
    if d["kind"] == "transfer":
        return "transfer"
    if link is not None and link.mode == "sea":
        return "sea"
    return None
