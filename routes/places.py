"""Resolve endpoints: a place name, alias or id, a country, a sea, or ``lat,lon``."""

from __future__ import annotations

import array
import bisect
import functools
import heapq
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from corridors.geo import convert, geodesy, model
from corridors.geo.errors import UnknownPlaceError

if TYPE_CHECKING:
    from corridors.geo.columns import Columns

#: Node kinds that stand for a country when a country is given as an endpoint.
COUNTRY_KINDS = ("city", "port", "dry_port")
#: A ``lat,lon`` farther than this from every node earns a warning in the notes.
WARN_SNAP_KM = 50.0
#: A ``lat,lon`` farther than this from every node is refused (``snap_km`` overrides it).
MAX_SNAP_KM = 300.0
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Endpoint:
    """What an endpoint text resolved to: the candidate node ids and how."""

    text: str
    label: str
    kind: str
    node_ids: tuple[str, ...]
    snap_km: float | None = None
    #: Every node of the place: ``node_ids`` and, for a crossing, its sides.
    members: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.members:
            object.__setattr__(self, "members", self.node_ids)


@functools.lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Fold case and accents and squeeze punctuation: ``"Bandar-e Abbās"`` -> ``"bandar e abbas"``,
    ``"Qon'ırat"`` -> ``"qon irat"``, ``"Меркі"`` -> ``"меркі"``. Letters and digits of every
    script are kept; apostrophes, the modifier letters written for them (``ʻ``, ``ʼ``) and other
    punctuation separate words."""
    return _fold(text)


def _fold(text: str) -> str:
    """:func:`normalize` without its cache (a million names, each once, would only churn it)."""
    text = text.casefold()
    if not text.isascii():  # ASCII has nothing to decompose
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ı", "i")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


#: What separates words: neither a letter nor a digit, or a spacing modifier letter (U+02B0-U+02FF).
_PUNCTUATION = re.compile(r"[\W_\u02b0-\u02ff]+")


def _names(node: model.Node) -> list[str]:
    return [node.id, node.name, *node.aliases]


def country_names(network: model.Network) -> dict[str, str]:
    """ISO3 code -> country name, from the network's country outlines (or the built-in ones)."""
    path = convert.countries_path(network)
    return _country_names(str(path), path.stat().st_mtime_ns) if path else {}


@functools.lru_cache(maxsize=4)
def _country_names(path: str, _mtime_ns: int) -> dict[str, str]:
    """Read once per file version: every country or sea endpoint asks for it."""
    data = convert.read_countries(Path(path))
    return {
        f["properties"]["iso3"]: f["properties"]["name"]
        for f in data.get("features", [])
        if f.get("properties", {}).get("iso3")
    }


def name_index(network: model.Network) -> Mapping[str, str | tuple[str, ...]]:
    """Normalised id, name and alias -> node id (a string), or ids (a tuple); built once per network."""
    if network.name_index is None:
        index: dict[str, str | set[str]] = {}  # one id as a string, more as a set
        for node in network.nodes.values():
            node_id = node.id
            for name in _names(node):
                key = _fold(name)
                hit = index.get(key)
                if hit is None:
                    index[key] = node_id
                elif type(hit) is set:
                    hit.add(node_id)
                elif hit != node_id:
                    index[key] = {hit, node_id}
        # one id alone as a string: a million one-element tuples would slow every cached load
        network.name_index = {k: v if type(v) is str else tuple(sorted(v)) for k, v in index.items()}
    return network.name_index


class NameIndex(Mapping[str, "str | tuple[str, ...]"]):
    """:func:`name_index` of a network stored column by column: its keys sorted, found by
    bisection, and each key's node as a position into the nodes' ids. It pickles as one string
    of keys and an array, so a cached network of a million names loads without a dict of them
    (a million keys took 0.8 s to unpickle as a dict); the keys are split on the first look-up."""

    def __init__(self, index: Mapping[str, str | tuple[str, ...]], nodes: Columns) -> None:
        keys = sorted(index)
        positions, self._multi = nodes.positions(), []
        at = array.array("i", bytes(4 * len(keys)))  # int32: a place's position, or a group's
        for i, k in enumerate(keys):
            v = index[k]
            if type(v) is str:
                at[i] = positions[v]
            else:  # several nodes: -1 - its place among them
                at[i] = -1 - len(self._multi)
                self._multi.append(v)
        self._nodes, self._at, self._keys, self._stored = nodes, at, keys, None

    def __getstate__(self) -> dict:
        from corridors.geo import columns  # numpy: only a network stored column by column has this index

        keys = columns.joined(self._keys)
        return {"nodes": self._nodes, "at": self._at, "multi": self._multi, "keys": keys}

    def __setstate__(self, state: dict) -> None:
        self._nodes, self._at, self._multi = state["nodes"], state["at"], state["multi"]
        self._keys, self._stored = None, state["keys"]

    def _sorted(self) -> list[str]:
        if self._keys is None:
            from corridors.geo import columns

            self._keys, self._stored = columns.split(self._stored), None
        return self._keys

    def __getitem__(self, key: str) -> str | tuple[str, ...]:
        keys = self._sorted()
        i = bisect.bisect_left(keys, key)
        if i == len(keys) or keys[i] != key:
            raise KeyError(key)
        at = self._at[i]
        return self._nodes.ids[at] if at >= 0 else self._multi[-1 - at]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sorted())

    def __len__(self) -> int:
        return len(self._at)


def parts_index(network: model.Network) -> dict[str, tuple[str, ...]]:
    """Place id -> the ids of the nodes that are ``part_of`` it; built once per network."""
    if network.parts is None:
        found: dict[str, list[str]] = {}
        for node in network.nodes.values():
            if node.part_of and node.part_of in network.nodes:
                found.setdefault(node.part_of, []).append(node.id)
        network.parts = {k: tuple(sorted(v)) for k, v in found.items()}
    return network.parts


def _place(network: model.Network, text: str, ids: tuple[str, ...]) -> Endpoint:
    """What the nodes a name or id matched stand for.

    A place answers for itself and its parts (a city, its stations and ports); a crossing's
    side stands for the crossing, which answers alone (a route to it pays its border); a part
    of a city named by its own name or id is that node alone.
    """
    nodes, parts = network.nodes, parts_index(network)
    stops: dict[str, None] = {}
    members: dict[str, None] = {}
    for node_id in ids:
        node = nodes[node_id]
        root = nodes.get(node.part_of) if node.part_of else None
        if root is not None and root.is_crossing:
            node = root
        elif root is not None:
            stops[node_id] = members[node_id] = None
            continue
        group = (node.id, *parts.get(node.id, ()))
        stops.update(dict.fromkeys((node.id,) if node.is_crossing else group))
        members.update(dict.fromkeys(group))
    label = nodes[next(iter(stops))].name if len(ids) == 1 else text
    return Endpoint(text, label, "place", tuple(stops), members=tuple(members))


def resolve(network: model.Network, text: str, *, snap_km: float = MAX_SNAP_KM) -> Endpoint:
    """Resolve an endpoint text against the network.

    Tried in order: a node id, name or alias; a country (ISO3 code or name: its cities and
    ports); a sea (its ports); ``lat,lon`` (the nearest node). A place's name answers for the
    place and its parts (``part_of``): a city's stations and ports; a crossing's side stands for
    the crossing. A node id is that node alone.

    Raises
    ------
    UnknownPlaceError
        If nothing matches; the message suggests close names.
    """
    key = normalize(text)
    if not key:
        msg = "empty place name"
        raise UnknownPlaceError(msg)
    if text in network.nodes:
        # A node id is that node alone (scripts that name a station or a port keep working);
        # a crossing's id still stands for both its sides when avoided.
        node = network.nodes[text]
        sides = parts_index(network).get(text, ()) if node.is_crossing else ()
        return Endpoint(text, node.name, "place", (text,), members=(text, *sides))
    ids = name_index(network).get(key)
    if isinstance(ids, str):
        ids = (ids,)
    if ids:
        return _place(network, text, ids)
    if (point := _LATLON.match(text)) is not None:
        return _nearest(network, text, float(point[1]), float(point[2]), limit_km=snap_km)
    if (country := _country(network, key)) is not None:
        return country
    for sea, ids in seas(network).items():
        if key in _sea_keys(sea):
            return Endpoint(text, sea, "sea", ids)
    msg = f"unknown place {text!r}"
    suggestions = suggest(network, text)
    if suggestions:
        msg += f"; did you mean {', '.join(suggestions)}?"
    raise UnknownPlaceError(msg)


def seas(network: model.Network) -> dict[str, tuple[str, ...]]:
    """The seas and lakes the network's ports name, each with the ids of the nodes on it."""
    found: dict[str, list[str]] = {}
    for node in network.nodes.values():
        if node.sea:
            found.setdefault(node.sea, []).append(node.id)
    return {sea: tuple(sorted(ids)) for sea, ids in sorted(found.items())}


def _sea_keys(sea: str) -> tuple[str, ...]:
    """What a sea may be called: ``Arabian Sea`` or ``Arabian``, ``Lake Victoria`` or ``Victoria``."""
    return (normalize(sea), normalize(sea.removesuffix(" Sea")), normalize(sea.removeprefix("Lake ")))


def _country(network: model.Network, key: str) -> Endpoint | None:
    names = country_names(network)
    present = {n.country for n in network.nodes.values()}
    for iso3 in sorted(present):
        if key in (normalize(iso3), normalize(names.get(iso3, iso3))):
            ids = tuple(
                sorted(n.id for n in network.nodes.values() if n.country == iso3 and n.kind in COUNTRY_KINDS)
            )
            if ids:
                return Endpoint(key, names.get(iso3, iso3), "country", ids)
    return None


def _nearest(network: model.Network, text: str, lat: float, lon: float, *, limit_km: float) -> Endpoint:
    """The node nearest a position; farther than ``limit_km`` from every node, an error."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        msg = f"{text!r}: expected 'lat,lon' in degrees"
        raise UnknownPlaceError(msg)
    near = heapq.nsmallest(
        3,
        ((geodesy.great_circle_km(lon, lat, n.lon, n.lat), n.name, n.id) for n in network.nodes.values()),
    )
    dist, _, node_id = near[0]
    if dist > limit_km:
        nearest = ", ".join(f"{name} {km:,.0f} km" for km, name, _ in near)
        msg = (
            f"{text!r} is {dist:,.0f} km from the nearest place of the network, over the "
            f"{limit_km:g} km limit (nearest: {nearest}); give a place nearer the network, or `snap_km`"
        )
        raise UnknownPlaceError(msg)
    return Endpoint(text, network.nodes[node_id].name, "point", (node_id,), snap_km=dist)


def suggest(network: model.Network, text: str, n: int = 3) -> list[str]:
    """Names close to ``text``, for a 'did you mean' message."""
    by_key = {}
    for node in network.nodes.values():
        for name in _names(node):
            by_key.setdefault(normalize(name), node.name)
    import difflib  # only for a name not found

    close = difflib.get_close_matches(normalize(text), list(by_key), n=n * 2, cutoff=0.6)
    return list(dict.fromkeys(by_key[c] for c in close))[:n]


def search(
    network: model.Network,
    query: str | None = None,
    *,
    country: str | None = None,
    kind: str | None = None,
) -> list[model.Node]:
    """Nodes whose id, name or alias contains ``query`` (all if None), filtered, sorted by name."""
    key = normalize(query) if query else ""
    found = []
    for node in network.nodes.values():
        if country and node.country != country.upper():
            continue
        if kind and node.kind != kind:
            continue
        if key and not any(key in normalize(s) for s in _names(node)):
            continue
        found.append(node)
    return sorted(found, key=lambda n: normalize(n.name))
