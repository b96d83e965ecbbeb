"""One-to-all searches on the array form of the graph: one scipy Dijkstra from a set of places.

The array side of :meth:`corridors.routes.backends.Backend.tree` (best paths) and
:meth:`~corridors.routes.backends.Backend.reverse_costs` (best values), kept apart from
:mod:`corridors.routes.engine`, which builds the arrays and answers single searches.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from corridors.routes import engine
from corridors.routes.constraints import Constraints


def array_tree(
    ag: engine.ArrayGraph,
    places: Sequence[str],
    *,
    attr: str,
    constraints: Constraints,
    reverse: bool = False,
    cutoff: float | None = None,
) -> dict[str, tuple[list[tuple], list[dict]]]:
    """The best paths between ``places`` and every other place, by that place's id.

    Forward from the places' entries (origin vertices) to every exit (destination vertex), or
    with ``reverse`` on the transposed arrays from their exits back to every entry; either way
    each path is returned forward, with the data of each edge.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    start, end = (ag.dest, ag.origin) if reverse else (ag.origin, ag.dest)
    ids = [ag.node_index[n] for n in places if n in ag.node_index]
    sources = sorted({int(start[i]) for i in ids if start[i] >= 0})
    if not sources:
        return {}
    keep, indices, indptr = engine.masked_csr(ag, constraints)
    weights = engine.edge_weights(ag, attr, None)
    n_v = len(ag.vertex_node)
    matrix = csr_matrix((weights[keep], indices, indptr), shape=(n_v, n_v))
    if reverse:
        matrix = matrix.T.tocsr()
    limit = np.inf if cutoff is None else cutoff
    dist, pred, _ = dijkstra(
        matrix, directed=True, indices=sources, return_predecessors=True, min_only=True, limit=limit
    )
    out = {}
    for p in np.nonzero(end >= 0)[0]:
        chain = [int(end[p])]
        if not np.isfinite(dist[chain[0]]):
            continue
        while pred[chain[-1]] >= 0:
            chain.append(int(pred[chain[-1]]))
        path = chain if reverse else chain[::-1]
        edges = engine.path_edges(ag, path)
        out[ag.node_ids[p]] = ([ag.vertex(v) for v in path], edges)
    return out


def reverse_costs(
    ag: engine.ArrayGraph, target: str, *, attr: str, constraints: Constraints
) -> dict[str, float]:
    """The best value by ``attr`` from every place to ``target``: one Dijkstra on the transpose."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    i = ag.node_index.get(target)
    if i is None or ag.dest[i] < 0:
        return {}
    keep, indices, indptr = engine.masked_csr(ag, constraints)
    n_v = len(ag.vertex_node)
    matrix = csr_matrix((ag.values[attr][keep], indices, indptr), shape=(n_v, n_v))
    dist = dijkstra(matrix.T.tocsr(), directed=True, indices=int(ag.dest[i]))
    places = np.nonzero(ag.origin >= 0)[0]
    found = dist[ag.origin[places]]
    return {ag.node_ids[p]: float(v) for p, v in zip(places, found, strict=True) if np.isfinite(v)}
