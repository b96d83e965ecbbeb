"""Calibration in the open: the model's door-to-door time range against reported freight trips.

For each trip in ``seeds/trips.csv`` (measured or reported trips with their sources) the script
routes the trip through the places it names, by its modes, over operational links (crossings
closed since are allowed, as they were open then), and prints the model's low, central and high
time against the reported time, the ratio central / reported, and whether the report falls inside
the range. Trips whose figures were used to derive a default (``source_use``) are shown but kept
out of the summary of independent trips. Nothing is fitted here: the script only reads.

Usage:
    python benchmarks/calibrate.py                       # the built-in network and trips
    python benchmarks/calibrate.py --trips FILE.csv --network DIR
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRIPS = HERE.parent / "seeds" / "trips.csv"
#: A central time this close to the report counts as a match (|central / reported - 1|).
TOLERANCE = 0.35
#: A modelled route this much longer or shorter than the reported distance follows another way.
DISTANCE_TOLERANCE = 0.25
COLUMNS = (
    "id",
    "origin",
    "destination",
    "end_crossing",
    "cargo_from",
    "cargo_to",
    "via",
    "modes",
    "rail_service",
    "drivers",
    "route",
    "year",
    "days_reported",
    "days_low",
    "days_high",
    "departed",
    "arrived",
    "distance_km",
    "source_url",
    "source_use",
    "note",
)


@dataclass(frozen=True)
class Trip:
    """One reported trip: where, how, when, how long, and the source."""

    id: str
    origin: str
    destination: str
    #: ``excluded``: the report stops on arrival at the crossing it ends at (no dwell there).
    end_crossing: str
    #: The country the cargo came from where the source says it did not start at the origin
    #: (ISO3: cargo landed from a ship at the origin port pays the port call there), blank otherwise.
    cargo_from: str
    #: The country the cargo went on to where the source says it did not end at the destination
    #: (ISO3; it passes the last port in transit), blank otherwise.
    cargo_to: str
    via: tuple[str, ...]
    modes: tuple[str, ...]
    #: The rail service the trip used (``block``, ``wagon``), blank for a trip without rail.
    rail_service: str
    #: The crew's number of drivers where the trip's source names it, None where unknown.
    drivers: int | None
    route: str
    year: int
    days_reported: float | None
    days_low: float | None
    days_high: float | None
    #: The calendar days of departure and arrival, where the source gives the time only by dates.
    departed: dt.date | None
    arrived: dt.date | None
    distance_km: float | None
    source_url: str
    source_use: str
    note: str

    @property
    def date_days(self) -> int | None:
        """Calendar days from departure to arrival, where the source gives dates."""
        if self.departed is None or self.arrived is None:
            return None
        return (self.arrived - self.departed).days

    @property
    def reported_h(self) -> float:
        """The reported time in hours: the figure given, else the days between the dates, else the
        middle of the reported range."""
        if self.days_reported is not None:
            return self.days_reported * 24
        if self.date_days is not None:
            return self.date_days * 24
        return (self.days_low + self.days_high) / 2 * 24

    @property
    def reported_range_h(self) -> tuple[float, float] | None:
        """The span the reported time may lie in (hours), None for a single figure.

        A trip reported by its dates left at some hour of the first day and arrived at some hour
        of the last, so it took between one day less and one day more than the days between the
        dates; a trip reported as a range (``days_low``, ``days_high``) took that range.
        """
        if self.date_days is not None:
            return max(self.date_days - 1, 0) * 24, (self.date_days + 1) * 24
        if self.days_low is not None and self.days_high is not None:
            return self.days_low * 24, self.days_high * 24
        return None


@dataclass(frozen=True)
class Result:
    """The model's time range for a trip (hours), or why there is none."""

    trip: Trip
    low_h: float = 0.0
    central_h: float = 0.0
    high_h: float = 0.0
    distance_km: float = 0.0
    error: str | None = None

    @property
    def ratio(self) -> float:
        """Central time over the reported time."""
        return self.central_h / self.trip.reported_h

    @property
    def inside(self) -> bool:
        """Whether the reported time lies inside the model's range.

        A trip reported as a range or by its dates (:attr:`Trip.reported_range_h`) is inside
        when the two ranges overlap.
        """
        span = self.trip.reported_range_h
        if span is not None:
            return self.low_h <= span[1] and span[0] <= self.high_h
        return self.low_h <= self.trip.reported_h <= self.high_h

    @property
    def close(self) -> bool:
        """Whether the central time is within :data:`TOLERANCE` of the report."""
        return abs(self.ratio - 1) <= TOLERANCE

    @property
    def spread(self) -> float:
        """High over low end of the model's range."""
        return self.high_h / self.low_h if self.low_h > 0 else float("inf")

    @property
    def other_way(self) -> bool:
        """Whether the modelled route is much longer or shorter than the reported distance."""
        reported = self.trip.distance_km
        return reported is not None and abs(self.distance_km / reported - 1) > DISTANCE_TOLERANCE


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def _date(row: dict[str, str], column: str) -> dt.date | None:
    text = row[column].strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{column}: expected a date YYYY-MM-DD, got {text!r}") from None


def read_trips(path: str | Path = TRIPS) -> list[Trip]:
    """The trips of a CSV file with the :data:`COLUMNS` header.

    Raises
    ------
    ValueError
        If the header differs, a trip's ``drivers`` is not a number of drivers, or a trip gives
        neither a reported time nor a low and high nor its dates, gives one date without the other,
        a date that is not YYYY-MM-DD, an arrival before its departure, or a low and high or a
        reported time beside dates that disagree with them.
    """
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            msg = f"{path}: expected the columns {', '.join(COLUMNS)}"
            raise ValueError(msg)
        trips = []
        for row in reader:
            drivers = row["drivers"].strip()
            if drivers and not (drivers.isdigit() and 1 <= int(drivers) <= 9):
                want = "a number of drivers from 1 to 9 or blank"
                msg = f"{path}: trip {row['id']!r} drivers: expected {want}, got {drivers!r}"
                raise ValueError(msg)
            try:
                trips.append(_trip(row))
            except ValueError as err:
                msg = f"{path}: trip {row['id']!r}: {err}"
                raise ValueError(msg) from None
    for t in trips:
        problem = _time_problem(t)
        if problem:
            raise ValueError(f"{path}: trip {t.id!r} {problem}")
    return trips


def _time_problem(t: Trip) -> str | None:
    """What is wrong with how a trip gives its time, None if nothing."""
    if (t.departed is None) != (t.arrived is None):
        return "departed, arrived: expected both dates or neither"
    if t.date_days is not None:
        if t.date_days < 0:
            return f"arrived: {t.arrived} is before departed {t.departed}"
        if t.days_low is not None or t.days_high is not None:
            return "days_low, days_high: expected blank beside dates (the dates give the range)"
        if t.days_reported is not None and t.days_reported != t.date_days:
            return f"days_reported: {t.days_reported:g} disagrees with the dates ({t.date_days} days)"
        return None
    if t.days_reported is None and (t.days_low is None or t.days_high is None):
        return "gives no time (days_reported, days_low and days_high, or departed and arrived)"
    return None


def _trip(row: dict[str, str]) -> Trip:
    return Trip(
        id=row["id"],
        origin=row["origin"],
        destination=row["destination"],
        end_crossing=row["end_crossing"].strip(),
        cargo_from=row["cargo_from"].strip(),
        cargo_to=row["cargo_to"].strip(),
        via=tuple(v.strip() for v in row["via"].split(";") if v.strip()),
        modes=tuple(row["modes"].split("+")),
        rail_service=row["rail_service"].strip(),
        drivers=int(row["drivers"]) if row["drivers"].strip() else None,
        route=row["route"],
        year=int(row["year"]),
        days_reported=_number(row["days_reported"]),
        days_low=_number(row["days_low"]),
        days_high=_number(row["days_high"]),
        departed=_date(row, "departed"),
        arrived=_date(row, "arrived"),
        distance_km=_number(row["distance_km"]),
        source_url=row["source_url"],
        source_use=row["source_use"],
        note=row["note"],
    )


def model_trip(trip: Trip, loaded) -> Result:
    """Route a trip as reported (its places in order, its modes, its rail service, its crew
    where the source names it, operational links).

    A trip that stops on arrival at the crossing it ends at (``end_crossing = excluded``) is
    routed to its last ``via`` place and then along the direct link from there to the crossing,
    without the crossing's dwell (a route that ends at a crossing goes over it, and may reach it
    from the far side to do so).
    """
    from corridors.geo.errors import CorridorError
    from corridors.routes import api

    excluded = trip.end_crossing == "excluded"
    if excluded and not trip.via:
        return Result(trip, error="end_crossing = excluded needs the place before the crossing as last via")
    try:
        plan = api.plan(
            trip.origin,
            trip.via[-1] if excluded else trip.destination,
            via=trip.via[:-1] if excluded else trip.via,
            modes=trip.modes,
            status=["operational"],
            include_suspended=True,
            network=loaded,
            rail_service=trip.rail_service or None,
            drivers=trip.drivers,
            cargo_from=trip.cargo_from or None,
            cargo_to=trip.cargo_to or None,
        )
        r = plan.routes[0]
        ends = [r.time_h_low, r.time_h, r.time_h_high, r.distance_km]
        if excluded:
            ends = [a + b for a, b in zip(ends, _arrival(r, trip, loaded), strict=True)]
    except CorridorError as err:
        return Result(trip, error=str(err))
    return Result(trip, *ends)


def _arrival(route, trip: Trip, loaded) -> tuple[float, float, float, float]:
    """The fastest direct link of the trip's modes from where ``route`` ends into the crossing
    ``trip.destination``: its low, central and high hours and its km."""
    from corridors.geo.errors import CorridorError
    from corridors.routes import costs, places

    net = loaded.network
    here = route.segments[-1].to_id if route.segments else route.steps[-1].node_id
    crossing = set(places.resolve(net, trip.destination).members)
    found = []
    for link in net.links.values():
        ends = {link.from_id, link.to_id}
        if link.mode in trip.modes and here in ends and ends & crossing:
            v = costs.price_link(link, net.nodes, net.costs).values
            found.append((v["time_h"], v["time_h_low"], v["time_h_high"], link.length_km))
    if not found:
        msg = f"no direct {'/'.join(trip.modes)} link from {here} to {trip.destination}"
        raise CorridorError(msg)
    central, low, high, km = min(found)
    return low, central, high, km


def summary(results: Sequence[Result]) -> dict[str, float | str]:
    """Counts and shares over the routed trips: inside the range, close, median ratio, widest."""
    ok = [r for r in results if r.error is None]
    n = len(ok)
    return {
        "n": n,
        "inside": sum(r.inside for r in ok),
        "close": sum(r.close for r in ok),
        "median_ratio": statistics.median(r.ratio for r in ok) if ok else float("nan"),
        "widest": max((r.spread for r in ok), default=float("nan")),
        "widest_trip": max(ok, key=lambda r: r.spread).trip.id if ok else "",
        "unrouted": len(results) - n,
    }


def _days(hours: float) -> str:
    return f"{hours / 24:.1f}"


def _reported(t: Trip) -> str:
    """The reported time in days as the table shows it: a figure, a range, or days by dates ±1."""
    if t.date_days is not None:
        return f"{t.date_days}±1"
    if t.days_reported is not None:
        return _days(t.reported_h)
    return f"{t.days_low:g}–{t.days_high:g}"


def table(results: Sequence[Result]) -> str:
    """One line per trip: reported against the model's range, in days."""
    head = (
        f"{'trip':<40} {'mode':<9} {'year':>4} {'reported':>9} {'low':>5} {'central':>7} {'high':>5} "
        f"{'ratio':>5}  in range"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        t = r.trip
        rep = _reported(t)
        if r.error:
            lines.append(f"{t.id:<40} {'+'.join(t.modes):<9} {t.year:>4} {rep:>9}  no route: {r.error}")
            continue
        flags = ("yes" if r.inside else "NO") + (" (source)" if t.source_use else "")
        if r.other_way:
            flags += f"  route {r.distance_km:,.0f} km vs {t.distance_km:,.0f} km reported"
        lines.append(
            f"{t.id:<40} {'+'.join(t.modes):<9} {t.year:>4} {rep:>9} {_days(r.low_h):>5} "
            f"{_days(r.central_h):>7} {_days(r.high_h):>5} {r.ratio:>5.2f}  {flags}"
        )
    return "\n".join(lines)


def _summary_lines(label: str, s: dict[str, float | str]) -> list[str]:
    n = s["n"] or 1
    return [
        f"{label}: {s['n']} trips routed ({s['unrouted']} without a route); "
        f"inside the range {s['inside']} ({s['inside'] / n:.0%}); "
        f"central within {TOLERANCE:.0%} {s['close']} ({s['close'] / n:.0%}); "
        f"median ratio {s['median_ratio']:.2f}; widest range {s['widest']:.1f}x ({s['widest_trip']})"
    ]


def report(results: Sequence[Result]) -> str:
    """The table and the summaries, all trips and independent trips (not used as a source)."""
    independent = [r for r in results if not r.trip.source_use]
    lines = [table(results), ""]
    lines += _summary_lines("all trips", summary(results))
    lines += _summary_lines("independent trips", summary(independent))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trips", default=str(TRIPS), help="CSV of trips (default: seeds/trips.csv)")
    p.add_argument("--network", help="network folder (default: the built-in network)")
    args = p.parse_args(argv)
    from corridors.geo.errors import CorridorError
    from corridors.routes import loading

    try:
        loaded = loading.load(args.network)
        results = [model_trip(t, loaded) for t in read_trips(args.trips)]
    except (CorridorError, OSError, ValueError) as err:
        print(f"calibrate: {err}", file=sys.stderr)
        return 2
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
