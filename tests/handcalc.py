"""Recompute every step of a route from a network folder's own files, without the code under test.

The GeoJSON and TOML are read here with ``json`` and ``tomllib``, and the cost model is
restated from DESIGN.md section 3, so that a test comparing a route with these figures fails
when the code prices a step differently from what the data says:

- a link takes ``length_km`` (else its drawn length, a great-circle sum on the IUGG sphere
  computed here with the Vincenty formula, times the ``circuity`` of its mode) divided by its
  ``speed_kmh``, else the ``[line_haul.<mode>.country.<ISO3>]`` speed of the country that
  prices it, else the mode's default; plus the dwell of ``[dwell.<mode>]`` (or its country
  table): rest hours per moving hour on roads, yard hours per 100 km on rail, a flat wait at
  sea (the link's own ``wait_h`` first; central values), or where ``[dwell.road]`` gives crews
  (``drivers`` tables) road rest by driving day over the route: the central cycle of the
  ``default_drivers`` crew (or of the crew asked for), ``ceil(driving / driving_h) - 1`` stops
  of ``standing_h`` over each stretch of the route's central road moving time between waits
  of ``[dwell.road.waits_as_rest.<kind>]`` (a crossing ``border``, a transfer or port call's
  customs ``transfer``, a sea leg ``sea``) whose central hours reach ``min_h`` where ``ends``
  names ``central``, shared among its road segments by moving time; with a rail service other than
  ``default_service``, the ``[dwell.rail.service.<name>]`` figure for the country, else
  ``[dwell.rail.country.<ISO3>]``, else the service's own figure; and ``usd_per_t``, else the
  length times ``usd_per_t_km`` chosen in the same order as the speed;
- the country that prices a link is the one both ends share; else the end's that is not a
  border crossing; else the start's;
- a transfer takes the node's own ``transfer.<kind>`` figures, else ``[transfer.<kind>]``;
- emissions: a link's length times ``[co2e.<mode>]`` ``kg_co2e_per_t_km``, or where the country
  has a traction mix (``[co2e.<mode>.country.<ISO3>]``) the share-weighted electric
  (``kwh_per_t_km`` x grid factor) and diesel figures; a transfer ``[co2e.transfer.<kind>]``;
  a crossing none; a folder without ``[co2e]`` takes the built-in network's;
- a crossing takes the node's ``border.hours``/``border.usd_per_t`` for the mode (hours may be
  given by direction, ``"KAZ>CHN"`` or ``in``/``out`` of the node's country; ``rail.<service>``
  for the rail service priced comes first), else
  ``[border.<mode>]``; a sea link between two countries clears customs at each port, the
  port's country's ``[port_customs.country.<ISO3>]`` figures, else ``[port_customs]``; where
  the cost file has ``[port_customs.transit]``, a port the cargo leaves in a country other
  than the one it started in, or reaches in a country other than the one it ends in, takes
  that table's hours (and its ``usd_per_t`` if given, else the clearance cost). The cargo starts
  and ends in the countries of the route's first and last places; a border crossing there names
  none.

Times are central values; a ``{low, central, high}`` table counts by its ``central``.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Figures:
    """What one step should cost: km, hours and USD per tonne."""

    km: float
    hours: float
    usd_per_t: float
    co2e_kg_per_t: float = 0.0


def _chord_km(a: list[float], b: list[float]) -> float:
    """Great-circle distance by the Vincenty formula (not the haversine the code uses)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    dlon = lon2 - lon1
    num = math.hypot(
        math.cos(lat2) * math.sin(dlon),
        math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon),
    )
    den = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(dlon)
    return EARTH_RADIUS_KM * math.atan2(num, den)


class Fixture:
    """A network folder read straight from its files."""

    def __init__(
        self, folder: str | Path, rail_service: str | None = None, drivers: int | None = None
    ) -> None:
        folder = Path(folder)
        self.rail_service = rail_service
        self.drivers = drivers
        self.nodes = {f["properties"]["id"]: f for f in _features(folder / "nodes.geojson")}
        self.links = {}
        for path in sorted((folder / "links").glob("*.geojson")):
            self.links.update({f["properties"]["id"]: f for f in _features(path)})
        self.costs = tomllib.loads((folder / "costs.toml").read_text(encoding="utf-8"))
        self.co2e = self.costs.get("co2e") or _builtin_co2e()

    def length_km(self, link_id: str) -> float:
        link = self.links[link_id]
        props = link["properties"]
        if "length_km" in props:
            return float(props["length_km"])
        coords = link["geometry"]["coordinates"]
        drawn = sum(_chord_km(a, b) for a, b in itertools.pairwise(coords))
        circuity = self.costs["circuity"]
        mode = props["mode"]
        factor = circuity.get(f"{mode}_mountain") if props.get("terrain") == "mountain" else None
        return drawn * (factor or circuity.get(mode, 1.0))

    def pricing_country(self, link_id: str) -> str:
        props = self.links[link_id]["properties"]
        a, b = (self.nodes[props[k]]["properties"] for k in ("from", "to"))
        if a["country"] == b["country"]:
            return a["country"]
        if b["kind"] == "border_crossing":
            return a["country"]
        if a["kind"] == "border_crossing":
            return b["country"]
        return a["country"]

    def segment(self, link_id: str) -> Figures:
        props = self.links[link_id]["properties"]
        default = self.costs["line_haul"][props["mode"]]
        override = default.get("country", {}).get(self.pricing_country(link_id), {})
        km = self.length_km(link_id)
        speed = props.get("speed_kmh", override.get("speed_kmh", default["speed_kmh"]))
        if "usd_per_t" in props:
            usd = float(props["usd_per_t"])
        else:
            usd = km * props.get("usd_per_t_km", override.get("usd_per_t_km", default["usd_per_t_km"]))
        moving = km / speed
        country = self.pricing_country(link_id)
        dwell = self._dwell(props["mode"], country, moving, km)
        if props["mode"] == "sea" and "wait_h" in props:  # a sea link's own wait for a sailing
            dwell = _central(props["wait_h"])
        return Figures(km, moving + dwell, usd, km * self._intensity(props["mode"], country))

    def _intensity(self, mode: str, country: str) -> float:
        table = self.co2e[mode]
        mix = table.get("country", {}).get(country)
        if not mix or "electric" not in table:
            return table["kg_co2e_per_t_km"]
        electric = table["electric"]["kwh_per_t_km"] * mix["grid_kg_co2e_per_kwh"]
        return mix["electric_share"] * electric + (1 - mix["electric_share"]) * table["kg_co2e_per_t_km"]

    def _dwell(self, mode: str, country: str, moving_h: float, km: float) -> float:
        table = self.costs.get("dwell", {}).get(mode)
        if table is None or (mode == "road" and "drivers" in table):  # by driving day: :meth:`steps`
            return 0.0
        field = {"road": "rest_h_per_moving_h", "rail": "yard_h_per_100km", "sea": "wait_h"}[mode]
        service = self.rail_service if mode == "rail" else None
        if service is not None and service != table.get("default_service"):
            own = table["service"][service]
            figure = own.get("country", {}).get(country) or table.get("country", {}).get(country) or own
        else:
            figure = table.get("country", {}).get(country, table)
        rate = _central(figure[field])
        return {"road": rate * moving_h, "rail": rate * km / 100}.get(mode, rate)

    def transfer(self, node_id: str, kind: str) -> Figures:
        own = self.nodes[node_id]["properties"].get("transfer", {}).get(kind)
        fig = own or self.costs["transfer"][kind]
        co2e = self.co2e["transfer"][kind]["kg_co2e_per_t"]
        return Figures(0.0, _central(fig["hours"]), float(fig["usd_per_t"]), co2e)

    def crossing(
        self, node_id: str, mode: str, direction: tuple[str, str] | None = None, cargo: tuple = ((), ())
    ) -> Figures:
        props = self.nodes[node_id]["properties"]
        if mode == "sea":  # customs at a port of a sea link between two countries
            table = self.costs["port_customs"]
            fig = table.get("country", {}).get(props["country"], table)
            here = props["country"]
            leaving = direction is not None and direction[0] == here
            started, ends = cargo
            transit = table.get("transit")
            if transit is not None and here not in (started if leaving else ends):
                usd = transit.get("usd_per_t", fig["usd_per_t"])
                return Figures(0.0, float(transit["hours"]), float(usd))
            return Figures(0.0, float(fig["hours"]), float(fig["usd_per_t"]))
        border = props.get("border", {})
        default = self.costs["border"][mode]
        by_mode = border.get("hours", {})
        service = self.rail_service or self.costs.get("dwell", {}).get(mode, {}).get("default_service")
        hours = by_mode.get(f"{mode}.{service}", by_mode.get(mode)) if mode == "rail" else by_mode.get(mode)
        if isinstance(hours, dict) and "central" not in hours:  # by direction
            a, b = direction or ("", "")
            side = "in" if b == props["country"] else "out" if a == props["country"] else ""
            hours = hours.get(f"{a}>{b}", hours.get(side))
        usd = border.get("usd_per_t", {}).get(mode, default["usd_per_t"])
        return Figures(0.0, _central(default["hours"] if hours is None else hours), float(usd))

    def step(self, step, cargo: tuple = ((), ())) -> Figures:
        """The figures a step of a :class:`corridors.routes.route.Route` should carry.

        ``cargo``: the countries the cargo starts and ends in (:meth:`cargo`).
        """
        kind = type(step).__name__
        if kind == "Segment":
            return self.segment(step.link_id)
        if kind == "Transfer":
            return self.transfer(step.node_id, step.kind)
        return self.crossing(step.node_id, step.mode, tuple(step.countries), cargo)

    def cargo(self, route) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The countries the cargo starts and ends in: those of the route's first and last
        places, none where that place is a border crossing."""
        steps = route.steps
        first = getattr(steps[0], "from_id", None) or steps[0].node_id
        last = getattr(steps[-1], "to_id", None) or steps[-1].node_id

        def country(node_id: str) -> tuple[str, ...]:
            props = self.nodes[node_id]["properties"]
            return () if props["kind"] == "border_crossing" else (props["country"],)

        return country(first), country(last)

    def steps(self, route, cargo: tuple = ((), ())) -> list[Figures]:
        """The figures of every step of ``route``, road rest by driving day where the cost file
        gives crews."""
        figs = [self.step(s, cargo) for s in route.steps]
        table = self.costs.get("dwell", {}).get("road", {})
        road = [
            i
            for i, s in enumerate(route.steps)
            if type(s).__name__ == "Segment" and s.mode == "road" and "wait_h" not in self._props(s.link_id)
        ]
        if "drivers" not in table or not road:
            return figs
        cycle = table["drivers"][str(self.drivers or table["default_drivers"])]["central"]
        driving = math.fsum(figs[i].hours for i in road)
        waits = table.get("waits_as_rest", {})
        stretches, run = [], 0.0
        for i, s in enumerate(route.steps):
            kind = _wait_kind(s)
            rule = waits.get(kind) if kind else None
            if i in road:
                run += figs[i].hours
            elif rule and "central" in rule["ends"] and figs[i].hours >= rule["min_h"]:
                stretches.append(run)
                run = 0.0
        stretches.append(run)
        stops = sum(max(0, math.ceil(h / cycle["driving_h"] - 1e-9) - 1) for h in stretches)
        rest = stops * cycle["standing_h"]
        for i in road:
            f = figs[i]
            figs[i] = Figures(f.km, f.hours + rest * f.hours / driving, f.usd_per_t, f.co2e_kg_per_t)
        return figs

    def _props(self, link_id: str) -> dict:
        return self.links[link_id]["properties"]

    def route(self, route, cargo: tuple | None = None) -> Figures:
        """A route's totals, summed from the recomputed figures of its steps (``cargo``: the
        countries the cargo starts and ends in, default :meth:`cargo`)."""
        if cargo is None:
            cargo = self.cargo(route) if route.steps else ((), ())
        figs = self.steps(route, cargo)
        fields = ("km", "hours", "usd_per_t", "co2e_kg_per_t")
        return Figures(*(math.fsum(getattr(f, a) for f in figs) for a in fields))


def _wait_kind(step) -> str | None:
    """A border crossing is a ``border`` wait; a transfer or a port call's customs a
    ``transfer`` wait; a sea leg a ``sea`` wait."""
    kind = type(step).__name__
    if kind == "Crossing":
        return "border" if step.kind == "crossing" else "transfer"
    if kind == "Transfer":
        return "transfer"
    return "sea" if kind == "Segment" and step.mode == "sea" else None


@functools.lru_cache(maxsize=1)
def _builtin_co2e() -> dict:
    seeds = Path(__file__).resolve().parent.parent / "seeds" / "costs.toml"
    return tomllib.loads(seeds.read_text(encoding="utf-8"))["co2e"]


def _central(value: float | dict) -> float:
    return float(value["central"] if isinstance(value, dict) else value)


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def assert_priced_as_the_data_says(route, fixture: Fixture, *, rel: float = 1e-9) -> None:
    """Every step's km, hours, USD and kg CO2e per tonne equal the ones recomputed from the files."""
    cargo = fixture.cargo(route) if route.steps else ((), ())
    for step, want in zip(route.steps, fixture.steps(route, cargo), strict=True):
        got = (step.distance_km, step.time_h, step.cost_usd_per_t, step.values["co2e_kg_per_t"])
        where = getattr(step, "link_id", None) or f"{type(step).__name__} at {step.node_id}"
        wanted = (want.km, want.hours, want.usd_per_t, want.co2e_kg_per_t)
        for name, g, w in zip(("km", "hours", "usd_per_t", "co2e_kg_per_t"), got, wanted, strict=True):
            msg = f"{where}: {name} {g!r}, the data says {w!r}"
            assert math.isclose(g, w, rel_tol=rel, abs_tol=1e-9), msg
