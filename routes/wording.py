"""An answer's notes worded for one interface: each option named as its users write it.

The library's notes, gateway reasons and explanations of no route name an option by its Python
API name in backticks (`max_stretch`, :data:`routes.limits.OPTION_NAME`), as its errors do. The
command line names it by its flag (``--max-stretch``), the HTTP API by its query parameter: each
passes its own ``reword`` (a message -> the message so named) to these functions before it
renders an answer, so the texts are written once. The answers given are left as they are (the
server caches them): each function returns a copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corridors.routes.api import Plan
    from corridors.routes.reach import Reach
    from corridors.routes.reach_plan import ReachPlan
    from corridors.routes.route_plan import RoutePlan

Reword = Callable[[str], str]


def plan(found: Plan, reword: Reword) -> Plan:
    """A route plan with its notes and its gateways' reasons reworded."""
    gateways = [replace(g, reason=reword(g.reason)) if g.reason else g for g in found.gateways]
    return replace(found, notes=[reword(n) for n in found.notes], gateways=gateways)


def route_plan(planned: RoutePlan, reword: Reword) -> RoutePlan:
    """A route query's plan, and today's beside it, reworded."""
    today = None if planned.today is None else plan(planned.today, reword)
    return replace(planned, result=plan(planned.result, reword), today=today)


def reach(found: Reach, reword: Reword) -> Reach:
    """A reach with its notes reworded."""
    return replace(found, notes=[reword(n) for n in found.notes])


def reach_plan(planned: ReachPlan, reword: Reword) -> ReachPlan:
    """A reach query's reach, and today's beside it, reworded."""
    today = None if planned.today is None else reach(planned.today, reword)
    return replace(planned, result=reach(planned.result, reword), today=today)
