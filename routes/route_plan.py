"""A route query: the plan in the scenario named, and today's plan beside it for a comparison.

The one entry point that the command line (``corridors route``) and the HTTP API share: the
keyword options are those of :func:`corridors.plan`, plus ``compare``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corridors.routes import api, limits, loading

#: The options that name a scenario; ``compare`` sets them aside for today's plan.
SCENARIO_OPTIONS = ("projects", "year", "reopen", "status", "include_suspended")


@dataclass
class RoutePlan:
    """The plan in the scenario named, and with ``compare`` today's plan for the same query."""

    result: api.Plan
    today: api.Plan | None = None


def plan_route(
    loaded: loading.Loaded, origin: str, destination: str, *, compare: bool = False, **options: Any
) -> RoutePlan:
    """Plan ``origin`` to ``destination`` with the options of :func:`corridors.plan`.

    With ``compare``, today's network is planned beside the scenario the options name (all
    projects when they name none), with every other option the same.
    """
    limits.check_route_options(
        compare=compare, pareto=options.get("pareto"), gateways=options.get("gateways")
    )
    if compare and not any(options.get(name) for name in SCENARIO_OPTIONS):
        options["projects"] = ["all"]
    result = api.plan(origin, destination, network=loaded, **options)
    if not compare:
        return RoutePlan(result)
    same = {name: value for name, value in options.items() if name not in SCENARIO_OPTIONS}
    return RoutePlan(result, api.plan(origin, destination, network=loaded, **same))
