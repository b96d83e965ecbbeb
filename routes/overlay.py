"""A graph that shares another's places and edges but for the edges cut from it or joined to it.

``G.copy()`` copies every edge's data, which takes longer than a search on the built-in network;
a query that prices a few edges its own way (a customs regime, a port call at a route's end)
copies only the adjacency of the vertices it touches. Neither graph may be changed afterwards.
"""

from __future__ import annotations

import networkx as nx


class Overlay:
    """Edges cut from and added to ``G``, on copies of the adjacency of the vertices touched."""

    def __init__(self, G: nx.DiGraph) -> None:
        self.G = G
        self.succ, self.pred, self.nodes = dict(G._succ), dict(G._pred), G._node

    def _own(self, table: dict, shared: dict, vertex: tuple) -> dict:
        if vertex not in table:
            if self.nodes is self.G._node:
                self.nodes = dict(self.G._node)
            table[vertex] = {}
            self.nodes[vertex] = {}
            (self.pred if table is self.succ else self.succ).setdefault(vertex, {})
        elif vertex in shared and table[vertex] is shared[vertex]:
            table[vertex] = dict(shared[vertex])
        return table[vertex]

    def cut(self, u: tuple, v: tuple) -> None:
        """Remove the edge ``u -> v``."""
        del self._own(self.succ, self.G._succ, u)[v]
        del self._own(self.pred, self.G._pred, v)[u]

    def join(self, u: tuple, v: tuple, d: dict) -> None:
        """Add the edge ``u -> v`` with data ``d`` (or replace its data), adding new vertices."""
        self._own(self.succ, self.G._succ, u)[v] = d
        self._own(self.pred, self.G._pred, v)[u] = d

    def graph(self) -> nx.DiGraph:
        """The graph: ``G``'s attributes, its places (and any added), the adjacency edited."""
        H = self.G.__class__()
        H.graph, H._node = self.G.graph, self.nodes
        H._succ = H._adj = self.succ  # networkx resets its cached views when these are set
        H._pred = self.pred
        return H
