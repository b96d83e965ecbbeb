"""Read network folders into validated :class:`geo.model.Network` objects.

The files are parsed by :mod:`geo.geojson` (GeoJSON) or :mod:`geo.tables` (GeoPackage,
GeoParquet), the cost model by :mod:`geo.costfile`; the features are checked by
:mod:`geo.plain` (the fast path for plain features) and :mod:`geo.features` (the full checks).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from pathlib import Path

from corridors.geo import costfile, geojson, model, parts, plain, safeio, tables, validate
from corridors.geo.errors import FileAccessError, NetworkDataError
from corridors.geo.paths import builtin_folder, network_files
from corridors.geo.validate import Problem

#: Network files larger than this are refused before parsing.
MAX_FILE_BYTES = geojson.MAX_FILE_BYTES
#: User files (``--with``, ``corridors validate``, ``corridors add``) larger than this are refused:
#: a network that large belongs in a network folder of its own (``--network DIR``).
MAX_USER_FILE_BYTES = 100 * 1000**2
#: The readers of single files, kept here beside the reader of folders.
read_costs = costfile.read_costs
load_geojson = geojson.load_geojson


def load_features(
    path: str | Path,
    problems: list[Problem],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    raw: bytes | None = None,
    convert: geojson.Convert | None = None,
    chunk: int = geojson.CHUNK,
) -> list | None:
    """The features of a GeoJSON, GeoPackage or GeoParquet file (:mod:`geo.tables`), by its ending.

    Every one must be a regular file within ``max_bytes``; ``raw``, ``convert`` and ``chunk`` are
    as for :func:`load_geojson` (``convert`` is for GeoJSON only).
    """
    if raw is None and tables.is_table(path):
        try:
            safeio.check_input(path, max_bytes=max_bytes)
        except FileAccessError as err:
            problems.append(Problem(str(path), str(err).removeprefix(f"{path}: ")))
            return None
        return tables.load_features(path, problems, max_bytes=max_bytes)
    return load_geojson(path, problems, max_bytes=max_bytes, raw=raw, convert=convert, chunk=chunk)


def read_network(
    folder: str | Path | None = None,
    *,
    extra: Iterable[str | Path] = (),
    problems: list[Problem] | None = None,
    contents: Mapping[Path, bytes] | None = None,
    columns_over: int | None = None,
) -> model.Network:
    """Read and validate a network folder (default: the built-in one) plus extra GeoJSON files.

    ``extra`` files are user files: their links may leave out ``from``/``to`` (ends snap to
    nodes), ``id`` (generated) and ``corridor`` (a ``name`` will do); see
    :func:`geo.validate.user_features`. ``contents`` gives the bytes of files of the folder as
    they are about to be written (new link files included): the network is read as it will be.
    With ``columns_over``, the links of large files are read column-wise (:mod:`geo.linkblock`),
    and a network of more links than that keeps them as :class:`geo.columns.Columns`.

    Raises
    ------
    NetworkDataError
        On the first file with errors; the message names the file, the feature and the
        property, and ``problems`` (if given) receives every problem found, warnings included.
    """
    folder = Path(folder) if folder is not None else builtin_folder()
    nodes_file, link_files, costs_file = network_files(folder)
    contents = contents or {}
    new_links = [p for p in contents if p.parent == folder / "links" and p not in link_files]
    costs = read_costs(costs_file)
    found: list[Problem] = [] if problems is None else problems
    files = [nodes_file, *sorted([*link_files, *new_links])]
    user_files = [Path(p) for p in extra]
    nodes: dict[str, model.Node] = {}
    held: list[Problem] = []  # the nodes' problems, reported once every file has been parsed
    parsed = []
    streamed: set[str] = set()  # files whose links were read column-wise as they were decoded
    for f in files:  # each file's places are read before the next file is parsed, and freed
        # the plain links of a file are built as it is decoded, its tree never held whole
        errors = any(p.severity == "error" for p in found)
        convert, chunk = None, geojson.CHUNK
        if nodes and not errors and columns_over is not None:
            convert, chunk = _blocks(str(f), nodes, costs, streamed), _RUN
        elif nodes and not errors:
            convert = _plain_links(str(f), nodes, costs)
        features = load_features(f, found, raw=contents.get(f), convert=convert, chunk=chunk)
        if features is not None and not any(p.severity == "error" for p in found):
            _add_nodes(nodes, features, str(f), held)
        parsed.append((str(f), features))
    parsed_user = [(str(f), load_features(f, found, max_bytes=MAX_USER_FILE_BYTES)) for f in user_files]
    _raise_errors(found)
    found.extend(held)
    links: dict[str, model.Link] = {}
    store = None  # made for the first large file (numpy is imported for it, not for small ones)
    for file, features in parsed:
        large = file in streamed or len(features) >= plain.VECTOR_MIN
        if columns_over is not None and (store is not None or large):
            from corridors.geo import linkstore

            store = store or linkstore.LinkStore(links)
            _store_links(file, features, nodes, costs, found, store)
        else:
            _read_links(file, features, nodes, costs, found, links)
    parts.check_parts(nodes, found)
    user_parsed = [(file, features) for file, features in parsed_user if features is not None]
    if store is not None:
        links = store.links(list(nodes), columns_over=columns_over)
    for added in validate.user_features(user_parsed, nodes, links, costs, found) if user_parsed else ():
        nodes.update((node.id, node) for _, node in added.nodes)
        for _, link in added.links:
            if store is None:
                links[link.id] = link
            else:
                store.add(link, link.file, 0, [])  # its id was checked by user_features
    if store is not None and user_parsed:
        links = store.links(list(nodes), columns_over=columns_over)
    _raise_errors(found)
    return model.Network(nodes, links, costs, str(folder), tuple(str(f) for f in [*files, *user_files]))


def _read_links(file: str, features: list, nodes, costs, found: list[Problem], links: dict) -> None:
    """Add the links of a file's features to ``links``, each checked (and its parsed JSON freed)."""
    for start in range(0, len(features), plain.CHUNK):
        chunk = features[start : start + plain.CHUNK]
        fast = plain.plain_links(chunk, file, nodes, costs)
        for index, feature, link in zip(itertools.count(start), chunk, fast, strict=False):
            if type(feature) is model.Link:  # built as the file was decoded
                validate.add_unique(links, feature, file, index, found)
            elif feature is not None:  # None: a Point, read as a node
                link = link or validate.link_from_feature(feature, index, file, nodes, costs, found)
                validate.add_unique(links, link, file, index, found)
        features[start : start + len(chunk)] = [None] * len(chunk)  # the parsed JSON, freed as read


def _store_links(file: str, features: list, nodes, costs, found: list[Problem], store) -> None:
    """:func:`_read_links` into a :class:`geo.linkstore.LinkStore`: the features of a large file
    (or the runs of them read as it was decoded) read column-wise, those of a small one each."""
    from corridors.geo import linkblock

    def check(index: int, feature: dict) -> model.Link | None:
        link = plain.plain_link(feature, file, nodes, costs)
        return link or validate.link_from_feature(feature, index, file, nodes, costs, found)

    if features and type(features[0]) is linkblock.Block:  # read as the file was decoded
        for k, block in enumerate(features):
            store.add_block(block, file, found, check)
            features[k] = None
        return
    if len(features) < plain.VECTOR_MIN:
        fast = plain.plain_links(features, file, nodes, costs)
        for index, (feature, link) in enumerate(zip(features, fast, strict=True)):
            if feature is not None:
                link = link or validate.link_from_feature(feature, index, file, nodes, costs, found)
                store.add(link, file, index, found)
        return
    table = linkblock.NodeTable(nodes)
    for start in range(0, len(features), _RUN):
        chunk = features[start : start + _RUN]
        for block in linkblock.read_blocks(chunk, start, table, costs):
            store.add_block(block, file, found, check)
        features[start : start + len(chunk)] = [None] * len(chunk)  # the parsed JSON, freed as read


#: Features read column-wise at a time: a run small enough to stay in the processor's caches
#: while each of its fields is read in turn (at 10^5 links, runs of 500 read about 1.5 times as
#: fast as runs of 10,000).
_RUN = 500


def _blocks(
    file: str, nodes: Mapping[str, model.Node], costs: model.CostModel, streamed: set
) -> geojson.Convert:
    """Read each chunk of features column-wise, as blocks (:func:`geo.linkblock.read_blocks`);
    ``file`` is added to ``streamed`` once a chunk is."""
    table: list = []

    def convert(chunk: list, start: int) -> list:
        from corridors.geo import linkblock

        streamed.add(file)
        if not table:
            table.append(linkblock.NodeTable(nodes))
        return linkblock.read_blocks(chunk, start, table[0], costs)

    return convert


def _plain_links(file: str, nodes: Mapping[str, model.Node], costs: model.CostModel) -> geojson.Convert:
    """Turn each plain link of a chunk of features into its link (:func:`geo.plain.plain_links`);
    the other features are kept as they are, for the full checks once every file is read."""

    def convert(chunk: list, start: int) -> list:
        fast = plain.plain_links(chunk, file, nodes, costs)
        return [link or feature for feature, link in zip(chunk, fast, strict=True)]

    return convert


def _add_nodes(nodes: dict[str, model.Node], features: list, file: str, found: list[Problem]) -> None:
    """The node of every Point of ``features``, each feature then dropped from the list (None);
    the Points of a run read column-wise are in its ``rest``."""
    for index, feature in enumerate(features):
        if type(feature) is dict:
            if _add_node(nodes, feature, file, index, found):
                features[index] = None
        elif feature is not None and type(feature) is not model.Link:  # a block of links
            feature.rest = [(i, f) for i, f in feature.rest if not _add_node(nodes, f, file, i, found)]


def _add_node(nodes: dict[str, model.Node], feature: dict, file: str, index: int, found: list) -> bool:
    """Add the node of ``feature`` if it is a Point; return whether it is one."""
    if validate.geometry_type(feature) != "Point":
        return False
    node = plain.plain_node(feature, file) or validate.node_from_feature(feature, index, file, found)
    validate.add_unique(nodes, node, file, index, found)
    return True


def _raise_errors(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise NetworkDataError(f"{errors[0]}{more}", problems=errors)
