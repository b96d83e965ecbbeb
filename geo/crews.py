"""Road rest by driving day in ``costs.toml``: the crews a truck may have and how they drive.

``[dwell.road]`` may give, instead of a rate of rest per moving hour, one table per crew size,
``[dwell.road.drivers.<n>]``, each with a ``low``, ``central`` and ``high`` cycle
``{driving_h, standing_h}``: the crew drives at most ``driving_h`` hours, then stands
``standing_h`` hours, and stands no more once the trip's driving is done. ``default_drivers``
names the crew of the central end when a query does not name one (:class:`model.RoadRest`).
``[dwell.road.waits_as_rest.<kind>]`` (kind ``border``, ``transfer`` or ``sea``) gives the
waits after which the driving clock starts again: ``min_h``, the shortest that is a daily rest,
and ``ends``, the ends of the range (``low``, ``central``, ``high``) at which it counts.
"""

from __future__ import annotations

from typing import Any

from corridors.geo import model
from corridors.geo.errors import NetworkDataError

ENDS = model.SPAN_ENDS


def has_crews(road: Any) -> bool:
    """Whether a ``[dwell.road]`` table gives its rest by crew (``drivers`` tables)."""
    return isinstance(road, dict) and "drivers" in road


def read_road_rest(file: str, road: dict, table) -> model.RoadRest:
    """The crews of ``[dwell.road]`` (``has_crews``), with their cycles and sources.

    Raises
    ------
    NetworkDataError
        If a crew's name is not a whole number of drivers from 1 to 9, a cycle is missing or
        not two numbers (``driving_h`` > 0, ``standing_h`` >= 0), or ``default_drivers`` names
        no crew given.
    """
    t = table("dwell.road", road, [])
    tables = t["drivers"]
    if not isinstance(tables, dict) or not tables:
        msg = f"{file}: [dwell.road] drivers: expected tables [dwell.road.drivers.<n>], got {tables!r}"
        raise NetworkDataError(msg)
    crews = {}
    for name, sub in tables.items():
        key = f"dwell.road.drivers.{name}"
        if not (name.isdigit() and 1 <= int(name) <= 9):
            msg = f"{file}: [{key}] expected a number of drivers from 1 to 9"
            raise NetworkDataError(msg)
        c = table(key, sub, [])
        cycles = [_cycle(file, key, end, c.get(end), table) for end in ENDS]
        crews[int(name)] = model.Crew(int(name), *cycles, c["source"])
    default = t.get("default_drivers")
    if isinstance(default, bool) or default not in crews:
        given = ", ".join(str(n) for n in sorted(crews))
        msg = f"{file}: [dwell.road] default_drivers: expected one of the crews ({given}), got {default!r}"
        raise NetworkDataError(msg)
    waits = _waits(file, t.get("waits_as_rest", {}), table)
    rest = model.RoadRest(dict(sorted(crews.items())), default, t["source"], None, waits)
    rates = rest.rates()
    if not rates.low <= rates.central <= rates.high:
        msg = f"{file}: [dwell.road] the default crew's central rest is outside the crews' low and high ends"
        raise NetworkDataError(msg)
    return rest


def _waits(file: str, tables: Any, table) -> dict[str, model.RestWait]:
    if not isinstance(tables, dict):
        msg = f"{file}: [dwell.road] waits_as_rest: expected tables [dwell.road.waits_as_rest.<kind>]"
        raise NetworkDataError(msg)
    waits = {}
    for kind, sub in tables.items():
        key = f"dwell.road.waits_as_rest.{kind}"
        if kind not in model.REST_WAIT_KINDS:
            msg = f"{file}: [{key}] expected a kind of wait, one of {', '.join(model.REST_WAIT_KINDS)}"
            raise NetworkDataError(msg)
        w = table(key, sub, ["min_h"])
        ends = w.get("ends")
        if not isinstance(ends, list) or not set(ends) <= set(ENDS) or len(set(ends)) != len(ends):
            msg = f"{file}: [{key}] ends: expected a list of {', '.join(ENDS)}, got {ends!r}"
            raise NetworkDataError(msg)
        waits[kind] = model.RestWait(float(w["min_h"]), frozenset(ends), w["source"])
    return waits


def _cycle(file: str, key: str, end: str, value: Any, table) -> model.Cycle:
    if not isinstance(value, dict):
        msg = f"{file}: [{key}] {end}: expected {{driving_h, standing_h}}, got {value!r}"
        raise NetworkDataError(msg)
    table(f"{key}] [{end}", {**value, "source": "-"}, ["driving_h", "standing_h"])
    if value["driving_h"] <= 0:
        msg = f"{file}: [{key}] {end}: driving_h must be more than 0, got {value['driving_h']!r}"
        raise NetworkDataError(msg)
    return model.Cycle(float(value["driving_h"]), float(value["standing_h"]))


def dwell(rest: model.RoadRest) -> model.Dwell:
    """The rest per moving hour a search prices road links by: the crews' long-run rates."""
    return model.Dwell(rest.rates(), rest.source)
