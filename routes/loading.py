"""Load a network once for many queries: its graph (in array form for large networks), cached
between runs (:mod:`routes.cache`), and the same network priced for another rail service or
truck crew."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from corridors.geo import model, paths
from corridors.geo.errors import QueryError
from corridors.routes import cache, graph, places

if TYPE_CHECKING:
    from corridors.routes.engine import ArrayGraph

#: Graphs with more edges than this are searched in array form (scipy).
ARRAY_THRESHOLD = 20_000


@dataclass
class Loaded:
    """A network and its layered graph, built once and reused across queries.

    ``G`` is the networkx graph, or for large networks its array form
    (:class:`routes.engine.ArrayGraph`), which every search accepts.
    """

    network: model.Network
    G: nx.DiGraph | ArrayGraph
    #: The ``extra`` files loaded with the network: their links are in every scenario.
    user_files: tuple[str, ...] = ()
    #: The same network built for another rail service, by service name (filled on first use).
    by_service: dict[str, Loaded] = field(default_factory=dict)
    #: The same network built for a crew of so many drivers (filled on first use).
    by_drivers: dict[int, Loaded] = field(default_factory=dict)

    @property
    def rail_service(self) -> str | None:
        """The rail service the graph is priced for (``[dwell.rail]``), None if it names none."""
        dwell = self.network.costs.dwell.get("rail")
        return dwell.service if dwell else None


def for_rail_service(loaded: Loaded, name: str | None) -> Loaded:
    """``loaded`` priced for rail service ``name`` (None: as loaded); built once per service.

    Raises
    ------
    QueryError
        If the network's ``[dwell.rail]`` names no such service.
    """
    dwell = loaded.network.costs.dwell.get("rail")
    known = dwell.service_names() if dwell else ()
    if name is None or name == loaded.rail_service:
        return loaded
    if name not in known:
        expected = (
            f"expected {' or '.join(known)}" if known else "the network's [dwell.rail] names no services"
        )
        msg = f"`rail_service`: unknown service {name!r}; {expected}"
        raise QueryError(msg)
    if name not in loaded.by_service:
        costs = replace(
            loaded.network.costs, dwell={**loaded.network.costs.dwell, "rail": dwell.for_service(name)}
        )
        loaded.by_service[name] = _rebuilt(loaded, replace(loaded.network, costs=costs))
    return loaded.by_service[name]


def for_drivers(loaded: Loaded, drivers: int | None) -> Loaded:
    """``loaded`` priced for a truck crew of ``drivers`` (None: unknown, as loaded); built once
    per crew. The crew's cycles give the road rest (:class:`corridors.geo.model.RoadRest`).

    Raises
    ------
    QueryError
        If the network's ``[dwell.road]`` gives no crew of that many drivers.
    """
    rest = loaded.network.costs.road_rest
    if drivers is None or (rest is not None and rest.drivers == drivers):
        return loaded
    known = tuple(rest.crews) if rest else ()
    if isinstance(drivers, bool) or drivers not in known:
        expected = (
            f"expected {' or '.join(map(str, known))}"
            if known
            else "the network's [dwell.road] gives no crews ([dwell.road.drivers.<n>])"
        )
        msg = f"`drivers`: no crew of {drivers!r} drivers; {expected}"
        raise QueryError(msg)
    if drivers not in loaded.by_drivers:
        crew = rest.for_drivers(drivers)
        dwell = {**loaded.network.costs.dwell, "road": model.Dwell(crew.rates(), rest.source)}
        costs = replace(loaded.network.costs, dwell=dwell, road_rest=crew)
        loaded.by_drivers[drivers] = _rebuilt(loaded, replace(loaded.network, costs=costs))
    return loaded.by_drivers[drivers]


def _rebuilt(loaded: Loaded, network: model.Network) -> Loaded:
    """``network`` (``loaded``'s, priced otherwise) with its graph built as ``loaded``'s was."""
    if isinstance(loaded.G, nx.DiGraph):
        return Loaded(network, graph.build_graph(network), loaded.user_files)
    built = _arrays(network)
    built.user_files = loaded.user_files
    return built


def load(
    folder: str | Path | None = None,
    *,
    extra: Iterable[str | Path] = (),
    array_threshold: int | None = None,
    use_cache: bool = True,
    problems: list | None = None,
) -> Loaded:
    """Read a network folder (default: the built-in network) plus extra files, and build its graph.

    Large networks (over ``array_threshold`` graph edges, default :data:`ARRAY_THRESHOLD`) are
    turned into arrays. What is built
    is cached (see :mod:`routes.cache`), so the next load of the same files skips parsing and
    building. Pass a list as ``problems`` to receive the warnings about the files (the files
    are then read, not taken from the cache).
    """
    extra = list(extra)
    if array_threshold is None:
        array_threshold = ARRAY_THRESHOLD
    files = [*_network_files(folder), *map(Path, extra)]
    key = cache.key(files) if use_cache else None
    if key and problems is None and (hit := cache.get(key)) is not None:
        return _ready(hit)
    from corridors.geo import io

    with cache.no_gc():
        network = io.read_network(folder, extra=extra, problems=problems, columns_over=array_threshold)
        if len(network.links) > array_threshold:  # every link is an edge at least: arrays for sure
            loaded = _arrays(network)
        else:
            G = graph.build_graph(network)
            loaded = Loaded(network, G) if G.number_of_edges() <= array_threshold else _arrays(network)
    loaded.user_files = tuple(str(p) for p in extra)
    _ready(loaded)  # before it is cached: the array form keeps its masks in the cache entry
    if key and loaded.G.number_of_edges() >= cache.MIN_EDGES:
        cache.put(key, loaded)
    return loaded


def _ready(loaded: Loaded) -> Loaded:
    """A loaded network ready for its first query, so that it costs what the next ones do: the
    array form's search (scipy) imported, and the edge mask of the default plan's constraints
    (today's network, every mode) made (:func:`routes.engine.warm`; 0.15 s at 10^6 links), or
    found made where the network came from the cache."""
    if not isinstance(loaded.G, nx.DiGraph):
        import scipy.sparse.csgraph  # noqa: F401

        from corridors.routes import constraints, engine, scenario

        named = scenario.resolve(loaded.network, user_files=loaded.user_files)
        engine.warm(loaded.G, constraints.query_constraints(loaded.network, named))
    return loaded


def _arrays(network: model.Network) -> Loaded:
    """The array form of a large network, with nodes and links stored column by column.

    The nodes and links are put in columns first; the arrays are then built from the columns
    in batches (:func:`routes.batches.from_network`), without a networkx graph in between.
    """
    from corridors.geo import columns
    from corridors.routes import batches

    with cache.no_gc():
        names = places.name_index(network)
        places.parts_index(network)  # made while the nodes are objects: a scan of the columns is slow
        network.nodes = columns.Columns(model.Node, network.nodes.values())
        network.name_index = places.NameIndex(names, network.nodes)
        refs = {"from_id": network.nodes, "to_id": network.nodes}
        if isinstance(network.links, columns.Columns):  # read column-wise (geo.linkstore)
            network.links.share_refs(refs)
        else:
            network.links = columns.Columns(model.Link, network.links.values(), refs=refs)
        loaded = Loaded(network, batches.from_network(network))  # read from the columns
        loaded.G.share_ids(network.nodes, network.links)
    return loaded


def _network_files(folder: str | Path | None) -> list[Path]:
    nodes, links, costs = paths.network_files(folder if folder is not None else paths.builtin_folder())
    return [nodes, *links, costs]
