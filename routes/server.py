"""The HTTP API (``/v1/...``) and the planner page: a thin layer over the functions the command line calls.

Every endpoint reads its query string into a model of the command's options
(:mod:`routes.server_queries`), calls the same function as the command (``route_plan``,
``scenarios.rank``, ``reach_plan``) and answers with what the command prints with ``--json``
or ``--csv`` or writes with ``--geojson`` (:mod:`routes.server_answers`). The network is
loaded once, when the app is made, and its GeoJSON documents are built then. A route query of
a few searches is computed at once on the event loop; longer ones (rankings, reaches, Pareto
sets, gateways, many alternatives) on a small thread pool with a time limit. Bad input is a
4xx JSON error whose message is the line the command line prints (:mod:`routes.server_errors`).
Importing this module imports FastAPI: the ``route`` command never does.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Annotated, Any

import networkx as nx
from fastapi import FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import Response

from corridors.geo import convert, model
from corridors.geo.errors import CorridorError, NoRouteError
from corridors.routes import loading, output, places, scenarios
from corridors.routes.server_answers import (
    GEOJSON,
    rank_response,
    ranking,
    reach_response,
    reach_result,
    route_response,
)
from corridors.routes.server_errors import ApiError, add_handlers, json_bytes, json_response
from corridors.routes.server_page import TILES, add_page
from corridors.routes.server_queries import (
    Limits,
    RankQuery,
    ReachQuery,
    RouteQuery,
    check_limits,
    openapi_parameters,
    options,
    parameter_names,
    parse,
)
from corridors.routes.server_queries import blame as _blame

__all__ = ["TILES", "ApiError", "Limits", "create_app", "serve"]

API_VERSION = "v1"
#: Rankings and reaches kept (each costs many searches): the last this many distinct queries.
CACHE_SIZE = 32


class Planner:
    """The loaded network and everything the endpoints share: precomputed documents, the pool."""

    def __init__(self, loaded: loading.Loaded, limits: Limits) -> None:
        self.loaded = loaded
        self.limits = limits
        self.names = {n.id: n.name for n in loaded.network.nodes.values()}
        self.network_json = json_bytes(convert.network_geojson(loaded.network))
        countries = convert.countries_geojson(loaded.network)
        self.countries_json = json_bytes(countries) if countries else None
        dwell = loaded.network.costs.dwell.get("rail")
        rest = loaded.network.costs.road_rest
        for service in dwell.service_names() if dwell else (None,):
            priced = loading.for_rail_service(loaded, service)  # each graph built now, not by a request
            for drivers in rest.crews if rest else ():
                loading.for_drivers(priced, drivers)
        self.pool = concurrent.futures.ThreadPoolExecutor(limits.workers, thread_name_prefix="corridors")
        self._cache: OrderedDict[tuple, concurrent.futures.Future] = OrderedDict()
        self._cache_lock = threading.Lock()

    def is_quick(self, query: RouteQuery) -> bool:
        """Whether a route query is a few searches on the graph form: computed on the event loop."""
        if query.pareto or query.gateways or not isinstance(self.loaded.G, nx.DiGraph):
            return False
        searches = query.k * (len(query.via) + 1) * (2 if query.compare else 1)
        return searches <= self.limits.inline_searches

    async def run(self, fn: Callable[[], Response], query: Any, *, quick: bool = False) -> Response:
        """Run a query, at once if ``quick`` else on the pool within the time limit; turn library
        errors into `ApiError`."""
        try:
            if quick:
                return fn()
            future = self.pool.submit(fn)
            try:
                return await asyncio.wait_for(asyncio.wrap_future(future), self.limits.time_limit_s)
            except TimeoutError:
                future.cancel()
                msg = f"the query took longer than the server's limit of {self.limits.time_limit_s:g} s"
                raise ApiError(503, msg) from None
        except NoRouteError as err:
            raise ApiError(422, f"no route: {parameter_names(err, query)}", _blame(err, query)) from None
        except CorridorError as err:
            raise ApiError(400, parameter_names(err, query), _blame(err, query)) from None

    def is_cached(self, compute: Callable[[loading.Loaded, Any], Any], query: Any) -> bool:
        """Whether :meth:`cached` has the answer ready (then it is rendered on the event loop)."""
        future = self._cache.get(_key(compute, query))
        return future is not None and future.done() and future.exception() is None

    def cached(self, compute: Callable[[loading.Loaded, Any], Any], query: Any) -> Any:
        """``compute(loaded, query)``, once for concurrent and repeated requests.

        For the costly answers (a ranking or a reach runs many searches): the last
        :data:`CACHE_SIZE` are kept, keyed on every option of the query but its format (lists
        split as the command line splits them), in this planner, which holds one network.
        A request that comes while the same one is being computed waits for it.
        """
        key = _key(compute, query)
        with self._cache_lock:
            future = self._cache.get(key)
            owner = future is None
            if owner:
                future = self._cache[key] = concurrent.futures.Future()
                while len(self._cache) > CACHE_SIZE:
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


def _key(compute: Callable, query: Any) -> tuple:
    """What identifies a cached answer: the function and every option but the format."""
    own = {name: getattr(query, name) for name in query.own_fields if name != "format"}
    return (compute.__name__, *sorted((k, str(v)) for k, v in {**options(query), **own}.items()))


# -- the app


def create_app(
    loaded: loading.Loaded | None = None,
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
    planner = Planner(loaded if loaded is not None else loading.load(), limits or Limits())
    app = FastAPIOffline(
        title="corridors",
        version=API_VERSION,
        description="Routes for the freight corridors between Kazakhstan and the Arabian Sea: the "
        "JSON and CSV the `corridors` command prints with `--json` and `--csv`, over HTTP.",
        static_url="/docs-assets",
        openapi_url="/openapi.json",
    )
    app.state.planner = planner
    app.add_middleware(GZipMiddleware, minimum_size=2000, compresslevel=5)
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "HEAD", "POST"])
    add_handlers(app)
    _add_api(app, planner)
    add_page(app, planner.limits, tiles, API_VERSION)
    return app


def _query(request: Request, query_type: type) -> Any:
    return parse(request.query_params, query_type, request.headers.get("accept", ""))


def _described(query_type: type) -> dict:
    return {"parameters": openapi_parameters(query_type)}


def _add_api(app: FastAPI, planner: Planner) -> None:
    net = planner.loaded.network
    limits = planner.limits
    v = f"/{API_VERSION}"

    @app.get("/health", tags=["server"])
    async def health() -> dict:
        """Whether the server is up, and the size of the network it holds (HEAD works too)."""
        return {"status": "ok", "nodes": len(net.nodes), "links": len(net.links)}

    app.add_api_route("/health", health, methods=["HEAD"], include_in_schema=False)

    @app.get(f"{v}/route", tags=["routes"], openapi_extra=_described(RouteQuery))
    async def route(request: Request) -> Response:
        """Routes from one place, country or sea to another: `corridors route FROM TO --json`.

        `compare=true` answers as `--compare --json`; `format=geojson` with the FeatureCollection
        that `--geojson` writes; `format=csv` (or `Accept: text/csv`) with what `--csv` prints.
        """
        query = _query(request, RouteQuery)
        check_limits(query, limits)
        return await planner.run(lambda: route_response(planner, query), query, quick=planner.is_quick(query))

    @app.get(f"{v}/rank", tags=["routes"], openapi_extra=_described(RankQuery))
    async def rank(request: Request) -> Response:
        """The value of each project for a set of origin-destination pairs: `corridors rank --json`.

        `weights` is what `--weights` reads from a file: CSV text under the header
        `origin,destination,weight`. To send a large one, POST it as the body.
        """
        query = _query(request, RankQuery)
        check_limits(query, limits)
        quick = planner.is_cached(ranking, query)
        return await planner.run(lambda: rank_response(planner, query), query, quick=quick)

    @app.post(f"{v}/rank", tags=["routes"], openapi_extra=_described(RankQuery))
    async def rank_weighted(request: Request) -> Response:
        """`corridors rank --weights FILE --json`: the body is the CSV file (`Content-Type: text/csv`)."""
        query = _query(request, RankQuery)
        if query.weights is not None:
            raise ApiError(400, "weights: give them in the query string or as the body, not both", "weights")
        body = await _body(request, limits.max_weights_bytes)
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            msg = f"weights: not UTF-8 text (byte {err.start}): send the CSV as UTF-8"
            raise ApiError(400, msg, "weights") from None
        query = query.model_copy(update={"weights": text or None})
        check_limits(query, limits)
        return await planner.run(lambda: rank_response(planner, query), query)

    @app.get(f"{v}/reach", tags=["routes"], openapi_extra=_described(ReachQuery))
    async def reach(request: Request) -> Response:
        """The best route to a destination from every place and region: `corridors reach --json`.

        `within=3d,5d` answers as `reach --within`; `compare=true` as `--compare`.
        """
        query = _query(request, ReachQuery)
        check_limits(query, limits)
        quick = planner.is_cached(reach_result, query)
        return await planner.run(lambda: reach_response(planner, query), query, quick=quick)

    @app.get(f"{v}/places", tags=["network"])
    async def places_(
        q: Annotated[str | None, Query(description="part of a name, alias or id")] = None,
        country: Annotated[str | None, Query(description="ISO3 code")] = None,
        kind: Annotated[str | None, Query(description=", ".join(model.NODE_KINDS))] = None,
        limit: Annotated[int | None, Query(description="at most this many, sorted by name")] = None,
    ) -> Response:
        """Places whose name, alias or id contains `q`: `corridors places Q --json` (for autocomplete)."""
        for name, text in (("q", q), ("country", country), ("kind", kind)):
            if text is not None and len(text) > limits.max_text:
                raise ApiError(400, f"{name}: longer than {limits.max_text} characters", name)
        if kind is not None and kind not in model.NODE_KINDS:
            msg = f"kind: invalid choice: {kind!r} (choose from {', '.join(model.NODE_KINDS)})"
            raise ApiError(400, msg, "kind")
        if limit is not None and not 1 <= limit <= limits.max_places:
            raise ApiError(400, f"limit must be 1-{limits.max_places}, got {limit}", "limit")
        found = places.search(net, q, country=country, kind=kind)
        return json_response(output.places_list(found[:limit] if limit else found))

    @app.get(f"{v}/projects", tags=["network"])
    async def projects() -> Response:
        """The proposed and unfinished projects: `corridors projects --json`."""
        return json_response(output.projects_list(scenarios.projects(net).values()))

    @app.get(f"{v}/network", tags=["network"])
    async def network() -> Response:
        """The whole network as one GeoJSON FeatureCollection: nodes, then links."""
        return Response(planner.network_json, media_type=GEOJSON)

    @app.get(f"{v}/network/countries", tags=["network"])
    async def countries() -> Response:
        """The country outlines drawn under the network (GeoJSON)."""
        if planner.countries_json is None:
            raise ApiError(404, "this network has no country outlines (countries.geojson)")
        return Response(planner.countries_json, media_type=GEOJSON)


async def _body(request: Request, max_bytes: int) -> bytes:
    """The body of a request, refused (413) past ``max_bytes`` before it is all read."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise ApiError(413, f"weights: larger than {max_bytes:,} bytes", "weights")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise ApiError(413, f"weights: larger than {max_bytes:,} bytes", "weights")
        chunks.append(chunk)
    return b"".join(chunks)


#: The environment variable that hands ``serve``'s settings to uvicorn's worker processes.
SETTINGS_VARIABLE = "CORRIDORS_SERVE_SETTINGS"


def serve(
    settings: dict[str, Any],
    *,
    loaded: loading.Loaded | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
) -> None:
    """Serve until interrupted: one process, or ``workers`` processes that each load the network.

    ``settings`` are the network folder (``network``), the extra files (``extra``) and the
    keyword options of `create_app` (``tiles``, ``cors_origins``). No access log is written.
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


def _load(settings: dict[str, Any]) -> loading.Loaded:
    return loading.load(settings.get("network"), extra=settings.get("extra") or ())


def _app_options(settings: dict[str, Any]) -> dict[str, Any]:
    return {"tiles": settings.get("tiles"), "cors_origins": settings.get("cors_origins")}
