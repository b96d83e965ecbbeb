"""Find the nodes near a position, and make ids that are new to a network."""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping

from corridors.geo import geodesy, model


class NodeIndex:
    """Nodes bucketed on a longitude/latitude grid, to find the nodes near a position quickly."""

    CELL_DEG = 0.5

    def __init__(self, nodes: Iterable[model.Node] = ()) -> None:
        self.nodes: list[model.Node] = []
        self._cells: dict[tuple[int, int], list[model.Node]] = defaultdict(list)
        for node in nodes:
            self.add(node)

    def _cell(self, lon: float, lat: float) -> tuple[int, int]:
        columns = round(360 / self.CELL_DEG)
        return math.floor((lon + 180) / self.CELL_DEG) % columns, math.floor(lat / self.CELL_DEG)

    def add(self, node: model.Node) -> None:
        """Add a node to the index."""
        self.nodes.append(node)
        self._cells[self._cell(node.lon, node.lat)].append(node)

    def within(self, lon: float, lat: float, km: float) -> list[tuple[float, model.Node]]:
        """The nodes within ``km`` of a position, as ``(distance_km, node)``, nearest first."""
        deg = km / geodesy.great_circle_km(0, 0, 0, 1)
        columns = round(360 / self.CELL_DEG)
        reach_lat = math.ceil(deg / self.CELL_DEG)
        edge = abs(lat) + deg
        reach_lon = math.ceil(deg / math.cos(math.radians(edge)) / self.CELL_DEG) if edge < 89 else columns
        if 2 * reach_lon + 1 >= columns or (2 * reach_lon + 1) * (2 * reach_lat + 1) >= len(self._cells):
            candidates: Iterable[model.Node] = self.nodes
        else:
            cx, cy = self._cell(lon, lat)
            candidates = [
                node
                for dx in range(-reach_lon, reach_lon + 1)
                for dy in range(-reach_lat, reach_lat + 1)
                for node in self._cells.get(((cx + dx) % columns, cy + dy), ())
            ]
        found = [(geodesy.great_circle_km(lon, lat, n.lon, n.lat), n) for n in candidates]
        return sorted((f for f in found if f[0] <= km), key=lambda f: (f[0], f[1].id))

    def nearest(self, lon: float, lat: float, k: int = 3) -> list[tuple[float, model.Node]]:
        """The ``k`` nodes nearest a position, as ``(distance_km, node)``, nearest first."""
        found = ((geodesy.great_circle_km(lon, lat, n.lon, n.lat), n) for n in self.nodes)
        return heapq.nsmallest(k, found, key=lambda f: (f[0], f[1].id))


class UserContext:
    """What completing the features of user files needs: nodes to snap to and ids in use.

    ``filled`` records, by ``(file, index)``, what was completed on each valid feature.
    """

    def __init__(self, nodes: Mapping[str, model.Node], link_ids: Iterable[str]) -> None:
        self.index = NodeIndex(nodes.values())
        #: The seas and lakes the network's ports are on.
        self.seas = frozenset(n.sea for n in nodes.values() if n.sea)
        self.node_ids = set(nodes)
        self.link_ids = set(link_ids)
        self.filled: dict[tuple[str, int], dict[str, str]] = {}

    def new_link_id(self, name: str, mode: str, from_id: str, to_id: str) -> str:
        """A link id from its corridor or name and its ends, made unique with a suffix."""
        return _unique(f"{slugify(name) or mode}_{from_id}_{to_id}", self.link_ids)

    def new_node_id(self, name: str, lon: float, lat: float) -> str:
        """A node id from its name (or its position), made unique with a suffix."""
        where = f"place_{abs(lat):.3f}{'n' if lat >= 0 else 's'}_{abs(lon):.3f}{'e' if lon >= 0 else 'w'}"
        return _unique(slugify(name) or where.replace(".", "_"), self.node_ids)


def slugify(text: str, *, limit: int = 48) -> str:
    """A slug of a-z, 0-9 and ``_``: ``"Trans-Afghan Railway"`` gives ``"trans_afghan_railway"``.

    Letters lose their accents; text with no Latin letters or digits gives ``""``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c if c.isascii() else "" if unicodedata.combining(c) else " " for c in decomposed)
    slug = re.sub(r"[^a-z0-9]+", "_", kept.lower()).strip("_")
    return slug[:limit].rstrip("_")


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate
