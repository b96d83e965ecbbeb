"""The query strings of the API: one model per command, its checks and the parameter an error blames.

Each field is an option of the command, named as the Python API names it (``origin`` is
``from`` in the query string). A query string is read by :func:`parse` straight into the model
(one pydantic validation, no per-request analysis of the signature); the models also describe
the parameters in the OpenAPI document (:func:`openapi_parameters`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import QueryParams

from corridors.geo import objectives
from corridors.geo.errors import CorridorError, QueryError
from corridors.routes import places
from corridors.routes.limits import OPTION_NAME, check_reach_options, check_route_options, renamed
from corridors.routes.server_errors import ApiError, validation_message

BY = f"objective: {', '.join(objectives.names())}"


@dataclass(frozen=True)
class Limits:
    """What one request may ask for, and how long it may take."""

    max_k: int = 10
    max_via: int = 8
    max_avoid: int = 50
    max_text: int = 200
    max_places: int = 1000
    #: The ``weights`` of a ranking, in the query string or as the body of a POST.
    max_weights_bytes: int = 1_000_000
    time_limit_s: float = 10.0
    #: Queries computed at once on the pool; more wait in line (within the time limit).
    workers: int = 4
    #: A route query of at most this many searches (k x legs, twice to compare) runs at once on
    #: the event loop: it takes milliseconds, less than the hand-over to a thread costs.
    inline_searches: int = 6


class _Query(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Fields that are not keyword options of the library function (the subject, the format).
    own_fields: ClassVar[frozenset[str]] = frozenset({"origin", "destination", "format"})
    #: Fields that take comma-separated lists, as the command line does.
    list_fields: ClassVar[frozenset[str]] = frozenset()
    #: The answers a query can take (``format``), the first the default.
    formats: ClassVar[tuple[str, ...]] = ("json",)


class RouteQuery(_Query):
    """The options of ``corridors route``; each field is a keyword of ``corridors.plan``."""

    origin: str = Field(alias="from", description="place, country, sea or 'lat,lon'", examples=["Almaty"])
    destination: str = Field(alias="to", description="place, country, sea or 'lat,lon'", examples=["Karachi"])
    via: list[str] = Field([], description="places visited in order (repeat the parameter)")
    by: str = Field("time", description=BY)
    k: int = Field(1, description="number of substantively different routes")
    avoid: list[str] = Field([], description="countries (ISO3 or name) and places, comma-separated")
    modes: list[str] | None = Field(None, description="allowed modes, comma-separated (default: all)")
    projects: list[str] | None = Field(
        None, description="projects added to today's network, comma-separated, or all"
    )
    year: int | None = Field(None, description="add what is planned to open by the end of this year")
    reopen: list[str] | None = Field(None, description="suspended crossings to open, comma-separated, or all")
    status: list[str] | None = Field(
        None, description="fine control: link statuses that exist, comma-separated"
    )
    month: int | None = Field(None, description="1-12: close what is out of season")
    include_suspended: bool = Field(False, description="same as reopen=all")
    snap_km: float = Field(places.MAX_SNAP_KM, description="how far a 'lat,lon' endpoint may be from a place")
    max_overlap: float = Field(0.5, description="largest share of length an alternative shares with another")
    max_stretch: float = Field(3.0, description="an alternative costs at most this multiple of the best")
    compare: bool = Field(
        False, description="today's best route beside the scenario's (default scenario: projects=all)"
    )
    pareto: list[str] | None = Field(
        None, description="every route no other beats on all these criteria, comma-separated (e.g. time,cost)"
    )
    gateways: bool = Field(False, description="the best route through each crossing into the destination")
    payload_t: float | None = Field(None, description="tonnes per truck, wagon or container (default 20)")
    value_of_time: float | None = Field(
        None, description="with by=generalised: what a day in transit costs, USD per tonne"
    )
    rail_service: str | None = Field(
        None, description="rail yard and waiting times for: wagon (wagonload, default) or block (block train)"
    )
    drivers: int | None = Field(
        None, description="the truck's crew, 1 or 2 drivers: its driving-time rules give the road rest"
    )
    cargo_from: str | None = Field(
        None, description="the country the cargo starts in, if not the origin's; 'sea': landed from a ship"
    )
    cargo_to: str | None = Field(
        None, description="the country the cargo ends in, if not the destination's; 'sea': goes on by ship"
    )
    explain: bool = Field(False, description="with format=csv: one row per step of each route")
    format: str = Field(
        "json",
        description="json (the --json contract), geojson (as --geojson writes) or csv (as --csv writes); "
        "default json, or csv for Accept: text/csv",
    )

    own_fields: ClassVar[frozenset[str]] = frozenset({"origin", "destination", "format", "explain"})
    list_fields: ClassVar[frozenset[str]] = frozenset(
        {"avoid", "modes", "status", "pareto", "projects", "reopen"}
    )
    formats: ClassVar[tuple[str, ...]] = ("json", "geojson", "csv")


class RankQuery(_Query):
    """The options of ``corridors rank``; each field is a keyword of ``scenarios.rank``."""

    origin: str = Field("Kazakhstan", alias="from", description="origins: place, country or sea")
    destination: str = Field("Arabian Sea", alias="to", description="destinations: place, country or sea")
    by: str = Field("time", description=BY)
    month: int | None = Field(None, description="1-12: close what is out of season")
    year: int | None = Field(None, description="the base: what is planned to open by then")
    reopen: list[str] | None = Field(
        None, description="the base: suspended crossings opened, comma-separated, or all"
    )
    status: list[str] | None = Field(None, description="the base: link statuses (default: operational)")
    include_suspended: bool = Field(False, description="the base: same as reopen=all")
    cargo_from: str | None = Field(
        None, description="the country the cargo starts in, if not the origins'; 'sea': landed from a ship"
    )
    cargo_to: str | None = Field(
        None, description="the country the cargo ends in, if not the destinations'; 'sea': goes on by ship"
    )
    weights: str | None = Field(
        None,
        description="CSV text of origin,destination,weight rows under that header (what --weights "
        "reads from a file); or POST it as the body, with Content-Type: text/csv",
    )
    format: str = Field("json", description="json (the --json contract) or csv (as --csv prints)")

    own_fields: ClassVar[frozenset[str]] = frozenset({"format", "weights"})
    list_fields: ClassVar[frozenset[str]] = frozenset({"reopen", "status"})
    formats: ClassVar[tuple[str, ...]] = ("json", "csv")


class ReachQuery(_Query):
    """The options of ``corridors reach``, named as the CLI's."""

    destination: str = Field("Arabian Sea", alias="to", description="place, country or sea")
    origin: str = Field("Kazakhstan", alias="from", description="origins: place, country or sea")
    by: str = Field("time", description=BY)
    within: str | None = Field(
        None, description="from one origin: what it reaches within these durations, e.g. 3d,5d,7d or 36h"
    )
    modes: list[str] | None = Field(None, description="allowed modes, comma-separated (default: all)")
    avoid: list[str] = Field([], description="countries (ISO3 or name) and places, comma-separated")
    projects: list[str] | None = Field(None, description="add projects by name, comma-separated, or all")
    year: int | None = Field(None, description="add what is planned to open by then")
    reopen: list[str] | None = Field(None, description="open suspended crossings and their links, or all")
    status: list[str] | None = Field(None, description="link statuses in the scenario (default: operational)")
    month: int | None = Field(None, description="1-12: close what is out of season")
    include_suspended: bool = Field(False, description="reopen suspended links and crossings")
    cargo_from: str | None = Field(
        None, description="the country the cargo starts in, if not the place's; 'sea': landed from a ship"
    )
    cargo_to: str | None = Field(
        None, description="the country the cargo ends in, if not the destination's; 'sea': goes on by ship"
    )
    compare: bool = Field(
        False, description="today's network beside the scenario the options name (default: all projects)"
    )
    format: str = Field(
        "json",
        description="json (the --json contract), csv (as --csv prints) or geojson (as --geojson writes)",
    )

    own_fields: ClassVar[frozenset[str]] = frozenset({"format", "within"})
    list_fields: ClassVar[frozenset[str]] = frozenset({"avoid", "modes", "projects", "reopen", "status"})
    formats: ClassVar[tuple[str, ...]] = ("json", "csv", "geojson")


#: What an Accept header may ask for when no ``format`` is given.
_ACCEPTED = (("text/csv", "csv"), ("application/geo+json", "geojson"))


def parse(params: QueryParams, query_type: type[_Query], accept: str = "") -> _Query:
    """Read a query string into ``query_type``: every parameter known, one value unless a list.

    Raises
    ------
    ApiError
        400, naming the parameter, as the framework's validation would.
    """
    fields = _params(query_type)
    data: dict[str, Any] = {}
    for param in params:
        field = fields.get(param)
        if field is None:
            raise ApiError(400, f"unknown parameter {param!r}", param)
        values = params.getlist(param)
        if field:
            data[param] = values
        elif len(values) > 1:
            raise ApiError(400, f"{param}: expected one value, got several", param)
        else:
            data[param] = values[0]
    if "format" not in data:
        wanted = next((fmt for media, fmt in _ACCEPTED if media in accept), None)
        if wanted in query_type.formats:
            data["format"] = wanted
    try:
        return query_type.model_validate(data)
    except ValidationError as err:
        raise ApiError(400, *validation_message(err.errors(include_url=False))) from None


@functools.cache
def _params(query_type: type[_Query]) -> dict[str, bool]:
    """Each request parameter of a model and whether it takes several values."""
    return {(f.alias or name): "list" in str(f.annotation) for name, f in query_type.model_fields.items()}


def openapi_parameters(query_type: type[_Query]) -> list[dict[str, Any]]:
    """The query parameters of a model, as the OpenAPI document lists them."""
    schema = query_type.model_json_schema(by_alias=True)
    required = set(schema.get("required", ()))
    out = []
    for name, prop in schema["properties"].items():
        description = prop.pop("description", None)
        prop.pop("examples", None)
        out.append(
            {
                "name": name,
                "in": "query",
                "required": name in required,
                "schema": prop,
                **({"description": description} if description else {}),
            }
        )
    return out


def options(query: _Query) -> dict[str, Any]:
    """The keyword options of a query, with comma-separated lists split as the command line does."""
    values = {name: getattr(query, name) for name in type(query).model_fields if name not in query.own_fields}
    for name in query.list_fields:
        if values.get(name) is not None:
            items = (item.strip() for value in values[name] for item in value.split(","))
            values[name] = [item for item in items if item]
    return values


def check_limits(query: _Query, limits: Limits) -> None:
    """Refuse what is too long or too many, an empty place and a format the query has not."""
    for name in type(query).model_fields:
        value = getattr(query, name)
        for text in value if isinstance(value, list) else [value]:
            if name != "weights" and isinstance(text, str) and len(text) > limits.max_text:
                msg = f"{param(query, name)}: longer than {limits.max_text} characters"
                raise ApiError(400, msg, param(query, name))
    for name in ("origin", "destination", "via"):
        value = getattr(query, name, [])  # a ranking and a reach have no via
        for text in value if isinstance(value, list) else [value]:
            if not places.normalize(text):
                raise ApiError(400, "empty place name", param(query, name))  # as the library says it
    if query.format not in query.formats:
        expected = ", ".join(query.formats[:-1]) + f" or {query.formats[-1]}"
        raise ApiError(400, f"unknown format {query.format!r}; expected {expected}", "format")
    if isinstance(query, RouteQuery):
        _check_route(query, limits)
    if isinstance(query, ReachQuery):
        _check_reach(query)
    weights = getattr(query, "weights", None)
    if weights and len(weights.encode("utf-8", "replace")) > limits.max_weights_bytes:
        raise ApiError(413, f"weights: larger than {limits.max_weights_bytes:,} bytes", "weights")


def _check_route(query: RouteQuery, limits: Limits) -> None:
    if not 1 <= query.k <= limits.max_k:
        raise ApiError(400, f"k must be 1-{limits.max_k} here, got {query.k}", "k")
    if len(query.via) > limits.max_via:
        raise ApiError(400, f"via: at most {limits.max_via} places, got {len(query.via)}", "via")
    if len(options(query)["avoid"]) > limits.max_avoid:
        raise ApiError(400, f"avoid: at most {limits.max_avoid} items", "avoid")
    if query.explain and query.format != "csv":
        msg = "explain is for format=csv (one row per step); the JSON holds every step already"
        raise ApiError(400, msg, "explain")
    _shared(check_route_options, compare=query.compare, explain=query.explain)


def _check_reach(query: ReachQuery) -> None:
    given = {name: name in query.model_fields_set for name in ("destination", "by")}
    _shared(check_reach_options, within=query.within, compare=query.compare, **given)


def _shared(check: Any, **options: Any) -> None:
    """A check the command line makes too (:mod:`routes.limits`), its message as an `ApiError`."""
    try:
        check(**options)
    except QueryError as err:
        raise ApiError(400, str(err), getattr(err, "parameter", None)) from None


def parameter_names(err: CorridorError | str, query: _Query) -> str:
    """The library's message (an error or a note) with each option (`origin`) named by its
    request parameter (`from`)."""
    fields = type(query).model_fields
    return renamed(str(err), lambda name: f"`{param(query, name)}`" if name in fields else None)


def param(query: _Query | type[_Query], name: str) -> str:
    """The request parameter of a field (``origin`` is ``from``)."""
    field = type(query).model_fields[name] if isinstance(query, _Query) else query.model_fields[name]
    return field.alias or name


def blame(err: CorridorError, query: _Query) -> str | None:
    """The request parameter an error from the library is about.

    An error may say so itself (``err.parameter``); else the option it names (`avoid`, as
    the explanation of no route does), else the parameter whose value it quotes, else
    the parameter it names (``month must be``).
    """
    fields = list(type(query).model_fields)
    if isinstance(getattr(err, "parameter", None), str):
        return param(query, err.parameter) if err.parameter in fields else err.parameter
    text = str(err)
    named = next((m.group(1) for m in OPTION_NAME.finditer(text) if m.group(1) in fields), None)
    if named is not None:
        return param(query, named)
    for name in fields:
        value = getattr(query, name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and any(repr(part.strip()) in text for part in [item, *item.split(",")]):
                return param(query, name)
    for name in fields:
        if re.search(rf"\b{name}\b", text):
            return param(query, name)
    return None
