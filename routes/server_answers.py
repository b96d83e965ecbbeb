"""Each endpoint's answer, as the command line prints it: ``--json``, ``--csv`` or ``--geojson``.

Each function calls the function the command calls (``route_plan``, ``scenarios.rank``,
``reach_plan``) and renders its result with the command's own output functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi.responses import Response

from corridors.routes import loading, output, rank_output, scenarios, wording
from corridors.routes.server_errors import json_response
from corridors.routes.server_queries import RankQuery, ReachQuery, RouteQuery, options, parameter_names

if TYPE_CHECKING:
    from corridors.routes.server import Planner

CSV = "text/csv; charset=utf-8"
GEOJSON = "application/geo+json"


def route_response(planner: Planner, query: RouteQuery) -> Response:
    """``route --json`` (``--compare --json``), ``--geojson`` or ``--csv`` (with ``--explain``)."""
    from corridors.routes import route_plan, views

    planned = route_plan.plan_route(planner.loaded, query.origin, query.destination, **options(query))
    planned = wording.route_plan(planned, lambda note: parameter_names(note, query))
    result, today, names = planned.result, planned.today, planner.names
    if query.format == "geojson":
        doc = (
            output.plan_geojson(result, names)
            if today is None
            else output.compare_geojson(today, result, names)
        )
        return json_response(doc, media_type=GEOJSON)
    if query.format == "csv":
        if today is not None:
            return Response(views.compare_csv(today, result, names), media_type=CSV)
        text = views.steps_csv(result) if query.explain else views.routes_csv(result, names)
        return Response(text, media_type=CSV)
    return json_response(output.plan_dict(result) if today is None else output.compare_dict(today, result))


def ranking(loaded: loading.Loaded, query: RankQuery) -> scenarios.Ranking:
    """``scenarios.rank`` with the options of ``corridors rank``, weights as CSV text."""
    weights = scenarios.parse_weights(query.weights, loaded.network) if query.weights else None
    return scenarios.rank(loaded, **options(query), weights=weights)


def rank_response(planner: Planner, query: RankQuery) -> Response:
    """``rank --json`` or ``rank --csv``."""
    found = planner.cached(ranking, query)
    if query.format == "csv":
        return Response(rank_output.ranking_csv(found, planner.names), media_type=CSV)
    return json_response(rank_output.ranking_dict(found, planner.names))


#: The options of ``reach --within`` (which refuses a destination and an objective).
WITHIN_OPTIONS = (
    "modes",
    "avoid",
    "month",
    "projects",
    "year",
    "reopen",
    "status",
    "include_suspended",
    "cargo_from",
    "cargo_to",
)


def reach_result(loaded: loading.Loaded, query: ReachQuery) -> Any:
    """:func:`routes.reach_plan.plan_reach`, or with ``within`` :func:`~routes.reach_plan.plan_within`."""
    from corridors.routes import reach_plan

    if query.within is None:
        return reach_plan.plan_reach(loaded, **options(query))
    within = {name: value for name, value in options(query).items() if name in WITHIN_OPTIONS}
    return reach_plan.plan_within(loaded, query.origin, reach_plan.durations(query.within), **within)


def reach_response(planner: Planner, query: ReachQuery) -> Response:
    """``reach --json``, ``--csv`` or ``--geojson``; with ``within`` or ``compare`` as the command."""
    from corridors.routes import reach_output, reach_plan

    planned, net = planner.cached(reach_result, query), planner.loaded.network
    if isinstance(planned, reach_plan.WithinPlan):
        if query.format == "geojson":
            return json_response(reach_output.within_geojson(planned.result, net), media_type=GEOJSON)
        if query.format == "csv":
            return Response(reach_output.within_csv(planned.result, net), media_type=CSV)
        return json_response(reach_output.within_dict(planned.result, net))
    planned = wording.reach_plan(planned, lambda note: parameter_names(note, query))
    result, today = planned.result, planned.today
    if query.format == "csv" and today is not None:
        return Response(reach_output.compare_csv(today, result, net), media_type=CSV)
    if query.format == "csv":
        return Response(reach_output.reach_csv(result, net), media_type=CSV)
    if query.format == "geojson":
        doc = reach_output.reach_geojson(result, net, planned.regions)
        if today is not None:
            doc = reach_output.compare_geojson(reach_output.reach_geojson(today, net, planned.regions), doc)
        return json_response(doc, media_type=GEOJSON)
    doc = reach_output.reach_dict(result, net)
    if today is not None:
        doc = {"today": reach_output.reach_dict(today, net), "scenario": doc}
    return json_response(doc)
