"""The ends of a link feature: nodes named by id, or in a user file snapped from the line's
ends; and the line's ends checked to lie near their nodes."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from corridors.geo import geodesy, model
from corridors.geo.fields import Fields
from corridors.geo.nodeindex import UserContext
from corridors.geo.schema import ENDPOINT_TOLERANCE_KM, SNAP_TOLERANCE_KM


def ends_fit(feat: Fields, coords: list, a: model.Node, b: model.Node) -> bool:
    """Move snapped ends onto their nodes; check that given ends lie near theirs."""
    for key, node, at in (("from", a, 0), ("to", b, -1)):
        if key in feat.filled:
            coords[at] = (node.lon, node.lat)
            continue
        pos = coords[at]
        gap = geodesy.great_circle_km(node.lon, node.lat, pos[0], pos[1])
        if gap > ENDPOINT_TOLERANCE_KM:
            other = b if key == "from" else a
            flipped = geodesy.great_circle_km(other.lon, other.lat, pos[0], pos[1]) <= ENDPOINT_TOLERANCE_KM
            hint = (
                "; the line seems drawn from 'to' to 'from': swap them or reverse the line" if flipped else ""
            )
            feat.error(
                "geometry",
                f"{'first' if key == 'from' else 'last'} position is {gap:.1f} km from its "
                f"{key!r} node {node.id!r} (at most {ENDPOINT_TOLERANCE_KM:g} km){hint}",
            )
            return False
    return True


def endpoint(
    feat: Fields, key: str, nodes: dict[str, model.Node], coords: list | None, user: UserContext | None
) -> model.Node | None:
    """The node at end ``key`` (``from`` or ``to``) of a link: by id, or in a user file
    snapped from the line's end when the id is missing."""
    if user is not None and feat.props.get(key) is None:
        return _snap(feat, key, coords, user) if coords is not None else None
    node_id = feat.text(key)
    if node_id is None:
        return None
    node = nodes.get(node_id)
    if node is None:
        feat.error(key, f"unknown node id {node_id!r}{_node_hint(node_id, nodes)}")
    return node


def _node_hint(text: str, nodes: Mapping[str, model.Node]) -> str:
    key = text.strip().casefold()
    for node in nodes.values():
        if key in (name.casefold() for name in (node.name, *node.aliases)):
            return f" (did you mean {node.id!r}, the id of {node.name}?)"
    close = difflib.get_close_matches(key, list(nodes), 1, 0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _snap(feat: Fields, key: str, coords: list, user: UserContext) -> model.Node | None:
    end = "first" if key == "from" else "last"
    lon, lat = coords[0] if key == "from" else coords[-1]
    near = user.index.within(lon, lat, SNAP_TOLERANCE_KM)
    if near:
        km, node = near[0]
        feat.filled[key] = f"snapped to {node.id!r}, {km:.1f} km from the {end} position"
        if len(near) > 1:
            km2, node2 = near[1]
            feat.error(
                key,
                f"the {end} position snapped to {node.id!r} ({km:.1f} km), but {node2.id!r} is also "
                f"within {SNAP_TOLERANCE_KM:g} km ({km2:.1f} km): give {key!r} to choose",
                severity="warning",
            )
        return node
    nearest = ", ".join(f"{n.id!r} {km:,.1f} km" for km, n in user.index.nearest(lon, lat, 3))
    swapped = user.index.within(lat, lon, SNAP_TOLERANCE_KM) if abs(lat) <= 180 and abs(lon) <= 90 else []
    hint = (
        f"; swapping longitude and latitude would put it {swapped[0][0]:.1f} km from {swapped[0][1].id!r}"
        " (GeoJSON positions are [lon, lat])"
        if swapped
        else ""
    )
    feat.error(
        key,
        f"missing, and the {end} position [{lon:g}, {lat:g}] is not within {SNAP_TOLERANCE_KM:g} km of "
        f"a node (nearest: {nearest or 'none'}): give {key!r}, move the end onto a node, or add the "
        f"place as a Point feature{hint}",
    )
    return None
