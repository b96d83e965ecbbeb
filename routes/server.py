"""The HTTP API (``/v1/...``) and the planner page: a thin layer over ``routes.api`` and ``routes.output``.

Every endpoint maps its query parameters onto the keyword options of the function the command
line calls, and answers with the document the command prints with ``--json``. The network is
loaded once, when the app is made. Queries run on a small thread pool with a time limit; bad
input is a 4xx JSON error ``{"error": {"message", "parameter"}}`` whose message is the line the
command line prints. Importing this module imports FastAPI: the ``route`` command never does.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from corridors.geo import convert, model, objectives
from corridors.geo.errors import CorridorError, NoRouteError
from corridors.routes import api, output, places, rank_output, scenarios

log = logging.getLogger("corridors.server")

STATIC = Path(__file__).parent / "static"
API_VERSION = "v1"
#: Tile layers the page can draw under the network: name -> (URL template, attribution).
TILES = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors",
    ),
}


@dataclass(frozen=True)
class Limits:
    """What one request may ask for, and how long it may take."""

    max_k: int = 10
    max_via: int = 8
    max_avoid: int = 50
    max_text: int = 200
    max_places: int = 1000
    time_limit_s: float = 10.0
    #: Queries computed at once; more wait in line (within the time limit).
    workers: int = 4


class ApiError(Exception):
    """A request the server refuses: an HTTP status, a one-line message, the parameter at fault."""

    def __init__(self, status: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter


# -- query parameters: one field per option of the command, named as the Python API names it


class _Query(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Fields that are not keyword options of the library function (the subject, the format).
    own_fields: ClassVar[frozenset[str]] = frozenset({"origin", "destination"})
    #: Fields that take comma-separated lists, as the command line does.
    list_fields: ClassVar[frozenset[str]] = frozenset()


class RouteQuery(_Query):
    """The options of ``corridors route``; each field is a keyword of ``corridors.plan``."""

    origin: str = Field(alias="from", description="place, country, sea or 'lat,lon'", examples=["Almaty"])
    destination: str = Field(alias="to", description="place, country, sea or 'lat,lon'", examples=["Karachi"])
    via: list[str] = Field([], description="places visited in order (repeat the parameter)")
    by: str = Field("time", description=f"objective: {', '.join(objectives.names())}")
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
    pareto: list[str] | None = Field(
        None, description="every route no other beats on all these criteria, comma-separated (e.g. time,cost)"
    )
    gateways: bool = Field(False, description="the best route through each crossing into the destination")
    format: str = Field("json", description="json (the --json contract) or geojson (as --geojson writes)")

    #: Fields that are not options of ``corridors.plan``.
    own_fields: ClassVar[frozenset[str]] = frozenset({"origin", "destination", "format"})
    #: Fields that take comma-separated lists, as the command line does.
    list_fields: ClassVar[frozenset[str]] = frozenset(
        {"avoid", "modes", "status", "pareto", "projects", "reopen"}
    )


class RankQuery(_Query):
    """The options of ``corridors rank``; each field is a keyword of ``scenarios.rank``."""

    origin: str = Field("Kazakhstan", alias="from", description="origins: place, country or sea")
    destination: str = Field("Arabian Sea", alias="to", description="destinations: place, country or sea")
    by: str = Field("time", description=f"objective: {', '.join(objectives.names())}")
    month: int | None = Field(None, description="1-12: close what is out of season")

    own_fields: ClassVar[frozenset[str]] = frozenset()


class ReachQuery(_Query):
    """The options of ``corridors reach`` (without ``--within`` and ``--compare``), named as the CLI's."""

    destination: str = Field("Arabian Sea", alias="to", description="place, country or sea")
    origin: str = Field("Kazakhstan", alias="from", description="origins: place, country or sea")
    by: str = Field("time", description=f"objective: {', '.join(objectives.names())}")
    modes: list[str] | None = Field(None, description="allowed modes, comma-separated (default: all)")
    avoid: list[str] = Field([], description="countries (ISO3 or name) and places, comma-separated")
    projects: list[str] | None = Field(None, description="add projects by name, comma-separated, or all")
    year: int | None = Field(None, description="add what is planned to open by then")
    reopen: list[str] | None = Field(None, description="open suspended crossings and their links, or all")
    status: list[str] | None = Field(None, description="link statuses in the scenario (default: operational)")
    month: int | None = Field(None, description="1-12: close what is out of season")
    include_suspended: bool = Field(False, description="reopen suspended links and crossings")

    own_fields: ClassVar[frozenset[str]] = frozenset()
    list_fields: ClassVar[frozenset[str]] = frozenset({"avoid", "modes", "projects", "reopen", "status"})


def options(query: _Query) -> dict[str, Any]:
    """The keyword options of a query, with comma-separated lists split as the command line does."""
    values = {name: getattr(query, name) for name in type(query).model_fields if name not in query.own_fields}
    for name in query.list_fields:
        if values.get(name) is not None:
            items = (item.strip() for value in values[name] for item in value.split(","))
            values[name] = [item for item in items if item]
    return values


def _check_repeats(request: Request, query_type: type[_Query]) -> None:
    """A parameter that takes one value must not be given twice (the last would win silently)."""
    for name, field in query_type.model_fields.items():
        param = field.alias or name
        if len(request.query_params.getlist(param)) > 1 and not _is_list(field.annotation):
            raise ApiError(400, f"{param}: expected one value, got several", param)


def _is_list(annotation: Any) -> bool:
    return "list" in str(annotation)


def _check_limits(query: _Query, limits: Limits) -> None:
    for name in type(query).model_fields:
        value = getattr(query, name)
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and len(text) > limits.max_text:
                msg = f"{_param(query, name)}: longer than {limits.max_text} characters"
                raise ApiError(400, msg, _param(query, name))
    for name in ("origin", "destination"):
        if not places.normalize(getattr(query, name)):
            raise ApiError(400, "empty place name", _param(query, name))  # as the library says it
    if isinstance(query, RouteQuery):
        if not 1 <= query.k <= limits.max_k:
            raise ApiError(400, f"k must be 1-{limits.max_k} here, got {query.k}", "k")
        if len(query.via) > limits.max_via:
            msg = f"via: at most {limits.max_via} places, got {len(query.via)}"
            raise ApiError(400, msg, "via")
        if len(options(query)["avoid"]) > limits.max_avoid:
            raise ApiError(400, f"avoid: at most {limits.max_avoid} items", "avoid")
        if query.format not in ("json", "geojson"):
            raise ApiError(400, f"unknown format {query.format!r}; expected json or geojson", "format")


def _param(query: _Query | type[_Query], name: str) -> str:
    """The request parameter of a field (``origin`` is ``from``)."""
    field = type(query).model_fields[name] if isinstance(query, _Query) else query.model_fields[name]
    return field.alias or name


def _blame(err: CorridorError, query: _Query) -> str | None:
    """The request parameter an error from the library is about.

    An error may say so itself (``err.parameter``); else the option it names (``--avoid``),
    else the parameter whose value it quotes, else the parameter it names (``month must be``).
    """
    if isinstance(getattr(err, "parameter", None), str):
        return err.parameter
    text = str(err)
    fields = list(type(query).model_fields)
    for name in fields:
        if re.search(rf"--{name.replace('_', '-')}\b", text):
            return _param(query, name)
    for name in fields:
        value = getattr(query, name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and any(repr(part.strip()) in text for part in [item, *item.split(",")]):
                return _param(query, name)
    for name in fields:
        if re.search(rf"\b{name}\b", text):
            return _param(query, name)
    return None


# -- the app


class Planner:
    """The loaded network and everything the endpoints share: precomputed documents, the pool."""

    def __init__(self, loaded: api.Loaded, limits: Limits) -> None:
        self.loaded = loaded
        self.limits = limits
        self.names = {n.id: n.name for n in loaded.network.nodes.values()}
        self.network_json = _json_bytes(convert.network_geojson(loaded.network))
        countries = convert.countries_geojson(loaded.network)
        self.countries_json = _json_bytes(countries) if countries else None
        self.pool = concurrent.futures.ThreadPoolExecutor(limits.workers, thread_name_prefix="corridors")
        self._cache: OrderedDict[tuple, concurrent.futures.Future] = OrderedDict()
        self._cache_lock = threading.Lock()

    async def run(self, fn: Callable[[], Any], query: _Query) -> Any:
        """Run a query on the pool within the time limit; turn library errors into `ApiError`."""
        future = self.pool.submit(fn)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.limits.time_limit_s)
        except TimeoutError:
            future.cancel()
            msg = f"the query took longer than the server's limit of {self.limits.time_limit_s:g} s"
            raise ApiError(503, msg) from None
        except NoRouteError as err:
            raise ApiError(422, f"no route: {err}", _blame(err, query)) from None
        except CorridorError as err:
            raise ApiError(400, str(err), _blame(err, query)) from None

    def cached(self, compute: Callable[[api.Loaded, _Query], dict], query: _Query) -> dict:
        """``compute(loaded, query)``, once for concurrent and repeated requests.

        For the costly documents (a ranking or a reach runs many searches): the last few answers
        are kept, and a request that comes while the same one is being computed waits for it.
        """
        key = (compute.__name__, tuple(sorted((k, str(v)) for k, v in options(query).items())))
        with self._cache_lock:
            future = self._cache.get(key)
            owner = future is None
            if owner:
                future = self._cache[key] = concurrent.futures.Future()
                while len(self._cache) > 32:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
        if owner:
            try:
                future.set_result(compute(self.loaded, query))
            except BaseException as err:
                with self._cache_lock:
                    self._cache.pop(key, None)
                future.set_exception(err)
        return future.result()


def rank_dict(loaded: api.Loaded, query: RankQuery) -> dict:
    """``rank --json``."""
    names = {n.id: n.name for n in loaded.network.nodes.values()}
    return rank_output.ranking_dict(scenarios.rank(loaded, **options(query)), names)


def reach_dict(loaded: api.Loaded, query: ReachQuery) -> dict:
    """``reach --json``: :func:`corridors.routes.reach_plan.plan_reach` for one scenario."""
    from corridors.routes import reach_output, reach_plan

    planned = reach_plan.plan_reach(loaded, **options(query))
    return reach_output.reach_dict(planned.result, loaded.network)


def _json_bytes(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def _json(doc: Any, status: int = 200) -> Response:
    return Response(_json_bytes(doc), status_code=status, media_type="application/json")


def _error(status: int, message: str, parameter: str | None = None) -> Response:
    return _json({"error": {"message": message, "parameter": parameter}}, status)


def create_app(
    loaded: api.Loaded | None = None,
    *,
    limits: Limits | None = None,
    tiles: str | None = None,
    cors_origins: list[str] | None = None,
) -> FastAPI:
    """The ASGI app: the API under ``/v1``, its docs at ``/docs``, the planner page at ``/``.

    Parameters
    ----------
    loaded
        The network, loaded once (default: the built-in network).
    limits
        What one request may ask for.
    tiles
        A tile layer under the page's map (a name of `TILES`); default none: the country
        outlines carry the map and the page makes no request to another host.
    cors_origins
        Origins allowed to call the API from their pages (default: none).
    """
    from fastapi_offline import FastAPIOffline

    if tiles is not None and tiles not in TILES:
        msg = f"unknown tiles {tiles!r}; expected one of {', '.join(TILES)} or none"
        raise ValueError(msg)
    planner = Planner(loaded if loaded is not None else api.load(), limits or Limits())
    app = FastAPIOffline(
        title="corridors",
        version=API_VERSION,
        description="Routes for the freight corridors between Kazakhstan and the Arabian Sea: the "
        "JSON the `corridors` command prints with `--json`, over HTTP.",
        static_url="/docs-assets",
        openapi_url="/openapi.json",
    )
    app.state.planner = planner
    app.add_middleware(GZipMiddleware, minimum_size=2000, compresslevel=5)
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "HEAD"])
    _add_errors(app)
    _add_api(app, planner)
    _add_page(app, planner, tiles)
    return app


def _add_errors(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, err: ApiError) -> Response:
        return _error(err.status, err.message, err.parameter)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> Response:
        return _error(400, *_validation_message(err.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        if err.status_code == 404:
            return _error(404, f"no such path: {request.url.path}")
        if err.status_code == 405:
            return _error(405, f"method {request.method} not allowed on {request.url.path}")
        return _error(err.status_code, str(err.detail))

    @app.exception_handler(Exception)
    async def bug(request: Request, err: Exception) -> Response:
        log.exception("internal error on %s", request.url)
        return _error(500, "internal error (logged on the server)")


def _validation_message(errors: list[dict]) -> tuple[str, str | None]:
    """One line for the first problem pydantic found in the query string."""
    first = errors[0] if errors else {}
    loc = [str(part) for part in first.get("loc", ()) if part not in ("query", "body")]
    parameter = loc[0] if loc else None
    kind = first.get("type", "")
    if kind == "missing":
        return f"{parameter}: missing (a required parameter)", parameter
    if kind == "extra_forbidden":
        return f"unknown parameter {parameter!r}", parameter
    expected = {
        "int_parsing": "an integer",
        "int_from_float": "an integer",
        "float_parsing": "a number",
        "bool_parsing": "true or false",
        "string_type": "one value",
    }.get(kind)
    value = first.get("input")
    if expected:
        return f"{parameter}: expected {expected}, got {value!r}", parameter
    return f"{parameter}: {first.get('msg', 'invalid value')}", parameter


def _add_api(app: FastAPI, planner: Planner) -> None:
    net = planner.loaded.network
    v = f"/{API_VERSION}"

    @app.get("/health", tags=["server"])
    async def health() -> dict:
        """Whether the server is up, and the size of the network it holds (HEAD works too)."""
        return {"status": "ok", "nodes": len(net.nodes), "links": len(net.links)}

    app.add_api_route("/health", health, methods=["HEAD"], include_in_schema=False)

    @app.get(f"{v}/route", tags=["routes"])
    async def route(request: Request, query: Annotated[RouteQuery, Query()]) -> Response:
        """Routes from one place, country or sea to another: `corridors route FROM TO --json`.

        `format=geojson` answers with the FeatureCollection that `--geojson` writes instead.
        """
        _check_repeats(request, RouteQuery)
        _check_limits(query, planner.limits)

        def plan() -> dict:
            result = api.plan(query.origin, query.destination, network=planner.loaded, **options(query))
            if query.format == "geojson":
                return output.plan_geojson(result, planner.names)
            return output.plan_dict(result)

        return _json(await planner.run(plan, query))

    @app.get(f"{v}/rank", tags=["routes"])
    async def rank(request: Request, query: Annotated[RankQuery, Query()]) -> Response:
        """The value of each project for a set of origin-destination pairs: `corridors rank --json`."""
        _check_repeats(request, RankQuery)
        _check_limits(query, planner.limits)
        return _json(await planner.run(functools.partial(planner.cached, rank_dict, query), query))

    @app.get(f"{v}/reach", tags=["routes"])
    async def reach(request: Request, query: Annotated[ReachQuery, Query()]) -> Response:
        """The best route to a destination from every place and region: `corridors reach --json`."""
        _check_repeats(request, ReachQuery)
        _check_limits(query, planner.limits)
        return _json(await planner.run(functools.partial(planner.cached, reach_dict, query), query))

    @app.get(f"{v}/places", tags=["network"])
    async def places_(
        q: Annotated[str | None, Query(description="part of a name, alias or id")] = None,
        country: Annotated[str | None, Query(description="ISO3 code")] = None,
        kind: Annotated[str | None, Query(description=", ".join(model.NODE_KINDS))] = None,
        limit: Annotated[int | None, Query(description="at most this many, sorted by name")] = None,
    ) -> Response:
        """Places whose name, alias or id contains `q`: `corridors places Q --json` (for autocomplete)."""
        for name, text in (("q", q), ("country", country), ("kind", kind)):
            if text is not None and len(text) > planner.limits.max_text:
                raise ApiError(400, f"{name}: longer than {planner.limits.max_text} characters", name)
        if kind is not None and kind not in model.NODE_KINDS:
            msg = f"kind: invalid choice: {kind!r} (choose from {', '.join(model.NODE_KINDS)})"
            raise ApiError(400, msg, "kind")
        if limit is not None and not 1 <= limit <= planner.limits.max_places:
            raise ApiError(400, f"limit must be 1-{planner.limits.max_places}, got {limit}", "limit")
        found = places.search(net, q, country=country, kind=kind)
        return _json(output.places_list(found[:limit] if limit else found))

    @app.get(f"{v}/projects", tags=["network"])
    async def projects() -> Response:
        """The proposed and unfinished projects: `corridors projects --json`."""
        return _json(output.projects_list(scenarios.projects(net).values()))

    @app.get(f"{v}/network", tags=["network"])
    async def network() -> Response:
        """The whole network as one GeoJSON FeatureCollection: nodes, then links."""
        return Response(planner.network_json, media_type="application/geo+json")

    @app.get(f"{v}/network/countries", tags=["network"])
    async def countries() -> Response:
        """The country outlines drawn under the network (GeoJSON)."""
        if planner.countries_json is None:
            raise ApiError(404, "this network has no country outlines (countries.geojson)")
        return Response(planner.countries_json, media_type="application/geo+json")


def _add_page(app: FastAPI, planner: Planner, tiles: str | None) -> None:
    from xstatic.pkg import leaflet

    from corridors.maps import style

    headers = {
        "Content-Security-Policy": "default-src 'self'; img-src 'self' data:"
        + (f" {TILES[tiles][0].split('/{z}')[0]}" if tiles else "")
        + "; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
    }
    config = {
        "api": API_VERSION,
        "tiles": dict(zip(("url", "attribution"), TILES[tiles], strict=True)) if tiles else None,
        "style": {
            "modes": style.MODE_COLOURS,
            "other": style.OTHER_COLOUR,
            "suspended": style.SUSPENDED_COLOUR,
            "routes": style.ROUTE_COLOURS,
            "dashes": {s: style.dash_array(s) for s in style.STATUSES},
            "status_labels": style.STATUS_LABELS,
            "nodes": style.NODE_STYLES,
            "node_labels": style.NODE_LABELS,
            "country": style.COUNTRY_STYLE,
            "link_weight": style.LINK_WEIGHT,
            "route_weight": style.ROUTE_WEIGHT,
            "top_route_weight": style.TOP_ROUTE_WEIGHT,
        },
        "limits": {"max_k": planner.limits.max_k, "max_via": planner.limits.max_via},
        "objectives": list(objectives.names()),
    }
    config_json = _json_bytes(config)

    @app.get("/", include_in_schema=False)
    async def page() -> Response:
        return FileResponse(STATIC / "index.html", headers=headers)

    @app.get("/static/config.json", include_in_schema=False)
    async def page_config() -> Response:
        return Response(config_json, media_type="application/json")

    @app.get("/static/map.css", include_in_schema=False)
    async def map_css() -> Response:
        return Response(style.PAGE_CSS, media_type="text/css")

    app.mount("/static/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


#: The environment variable that hands ``serve``'s settings to uvicorn's worker processes.
SETTINGS_VARIABLE = "CORRIDORS_SERVE_SETTINGS"


def serve(
    settings: dict[str, Any],
    *,
    loaded: api.Loaded | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
) -> None:
    """Serve until interrupted: one process, or ``workers`` processes that each load the network.

    ``settings`` are the network folder (``network``), the extra files (``extra``) and the
    keyword options of `create_app` (``tiles``, ``cors_origins``).
    """
    import os

    import uvicorn

    if workers == 1:
        app = create_app(loaded or _load(settings), **_app_options(settings))
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
        return
    os.environ[SETTINGS_VARIABLE] = json.dumps(settings)
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
    )


def app_from_environment() -> FastAPI:
    """The app of one worker process, made from the settings ``serve`` left in the environment."""
    import os

    settings = json.loads(os.environ[SETTINGS_VARIABLE])
    return create_app(_load(settings), **_app_options(settings))


def _load(settings: dict[str, Any]) -> api.Loaded:
    return api.load(settings.get("network"), extra=settings.get("extra") or ())


def _app_options(settings: dict[str, Any]) -> dict[str, Any]:
    return {"tiles": settings.get("tiles"), "cors_origins": settings.get("cors_origins")}
