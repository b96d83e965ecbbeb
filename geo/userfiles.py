"""Validate the features of user files against a network, completing what they leave out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from corridors.geo import model, parts
from corridors.geo.features import add_unique, geometry_type, link_from_feature, node_from_feature
from corridors.geo.nodeindex import NodeIndex, UserContext
from corridors.geo.schema import NEAR_DUPLICATE_KM, Problem, brief


@dataclass(slots=True)
class UserFile:
    """What one user file adds: its valid nodes and links, by feature index in the file.

    ``filled`` says, by feature index, which properties were completed and how, for example
    ``{"from": "snapped to 'termez', 0.4 km from the first position", "id": "generated"}``.
    """

    file: str
    nodes: list[tuple[int, model.Node]] = field(default_factory=list)
    links: list[tuple[int, model.Link]] = field(default_factory=list)
    filled: dict[int, dict[str, str]] = field(default_factory=dict)


def _user_kind(feature: dict, file: str, index: int, problems: list[Problem]) -> str | None:
    """Whether a user feature is a node or a link: by its geometry, else by its properties."""
    gtype = geometry_type(feature)
    if gtype == "Point":
        return "node"
    if gtype in ("LineString", "MultiLineString"):
        return "link"
    props = feature.get("properties")
    if isinstance(props, dict):
        if any(props.get(k) is not None for k in ("mode", "from", "to", "corridor")):
            return "link"
        if any(props.get(k) is not None for k in ("kind", "country")):
            return "node"
    msg = (
        "missing; expected a LineString (a link) or a Point (a new node)"
        if feature.get("geometry") is None
        else f"type {brief(gtype)}; expected a LineString (a link) or a Point (a new node)"
    )
    raw_id = props.get("id") if isinstance(props, dict) else None
    problems.append(Problem(file, msg, index, raw_id if isinstance(raw_id, str) else None, "geometry"))
    return None


def user_features(
    parsed: Iterable[tuple[str, list[dict]]],
    nodes: Mapping[str, model.Node],
    links: Mapping[str, model.Link],
    costs: model.CostModel,
    problems: list[Problem],
) -> list[UserFile]:
    """Validate the features of user files against a network, completing what they leave out.

    Points are new nodes and LineStrings links; the nodes of every file are read before the
    links, so a link may end at a node of any file. Ids must be new to the network and to the
    files. Returns one :class:`UserFile` per file; ``problems`` receives every problem found.
    """
    parsed = list(parsed)
    user = UserContext(nodes, links)
    kinds = [[_user_kind(f, file, i, problems) for i, f in enumerate(features)] for file, features in parsed]
    for (_, features), file_kinds in zip(parsed, kinds, strict=True):
        for feature, kind in zip(features, file_kinds, strict=True):
            props = feature.get("properties")
            raw_id = props.get("id") if isinstance(props, dict) else None
            if isinstance(raw_id, str) and kind is not None:
                (user.node_ids if kind == "node" else user.link_ids).add(raw_id.strip())
    all_nodes, all_links = dict(nodes), dict(links)
    out = [UserFile(file) for file, _ in parsed]
    for uf, (file, features), file_kinds in zip(out, parsed, kinds, strict=True):
        if not features:
            problems.append(Problem(file, "the FeatureCollection has no features; expected links and nodes"))
        for index, (feature, kind) in enumerate(zip(features, file_kinds, strict=True)):
            if kind != "node":
                continue
            node = node_from_feature(feature, index, file, problems, user=user)
            if (
                node is not None
                and _new_place(node, user.index, index, _given_id(user, index, node), problems)
                and add_unique(all_nodes, node, file, index, problems)
            ):
                user.index.add(node)
                uf.nodes.append((index, node))
    by_ends: dict[tuple, list[model.Link]] = defaultdict(list)
    for existing in links.values():
        by_ends[_ends_key(existing)].append(existing)
    for uf, (file, features), file_kinds in zip(out, parsed, kinds, strict=True):
        for index, (feature, kind) in enumerate(zip(features, file_kinds, strict=True)):
            if kind != "link":
                continue
            link = link_from_feature(feature, index, file, all_nodes, costs, problems, user=user)
            if (
                link is not None
                and _new_link(link, by_ends, index, _given_id(user, index, link), problems)
                and add_unique(all_links, link, file, index, problems)
            ):
                by_ends[_ends_key(link)].append(link)
                uf.links.append((index, link))
        uf.filled = {i: v for (f, i), v in user.filled.items() if f == file}
    parts.check_parts(all_nodes, problems, items=[item for uf in out for item in uf.nodes])
    user_links = [item for uf in out for item in uf.links]
    if user_links:  # shapely is imported only to check user links
        from corridors.geo import borders

        borders.check_links(user_links, all_nodes, problems)
    return out


def _given_id(user: UserContext, index: int, item: model.Node | model.Link) -> str | None:
    """The id of a feature as its file gives it: None where it was generated."""
    return None if "id" in user.filled.get((item.file, index), {}) else item.id


def _new_place(
    node: model.Node, index: NodeIndex, at: int, given_id: str | None, problems: list[Problem]
) -> bool:
    """Refuse a node that repeats a node of the same name; warn of one close to another node."""
    near = index.within(node.lon, node.lat, NEAR_DUPLICATE_KM)
    if not near:
        return True
    km, other = near[0]
    same = node.name.casefold() == other.name.casefold()
    msg = (
        f"{other.name!r} is already node {other.id!r} of {other.file}, {km:.1f} km away (added before?)"
        if same
        else f"new node is {km:.1f} km from node {other.id!r} ({other.name}): the same place? "
        "A link end near a node snaps to it without a new Point"
    )
    problems.append(Problem(node.file, msg, at, given_id, "geometry", "error" if same else "warning"))
    return not same


def _ends_key(link: model.Link) -> tuple:
    return (*sorted((link.from_id, link.to_id)), link.mode)


def _new_link(
    link: model.Link,
    by_ends: Mapping[tuple, list[model.Link]],
    at: int,
    given_id: str | None,
    problems: list[Problem],
) -> bool:
    """Refuse a link whose mode, ends and geometry repeat a link already there."""
    shape = [tuple(round(c, 6) for c in p) for p in link.coords]
    for other in by_ends.get(_ends_key(link), ()):
        theirs = [tuple(round(c, 6) for c in p) for p in other.coords]
        if shape in (theirs, theirs[::-1]):
            msg = f"the same {link.mode} link as {other.id!r} of {other.file} (added before?)"
            problems.append(Problem(link.file, msg, at, given_id, "geometry"))
            return False
    return True
