"""Colours, line styles and marker styles: the visual vocabulary of every map.

Colours come from colour-blind-safe palettes: Paul Tol's "muted" scheme for the
network's modes and Okabe–Ito for routes, so a route never takes a mode's colour.
Status is shown by the line's dash pattern, never by colour alone.
"""

from __future__ import annotations

from typing import Any

from corridors.geo import modes

#: The modes a map draws in layers of their own (:mod:`corridors.geo.modes`); a mode without a
#: colour here is drawn in :data:`OTHER_COLOUR`.
MODES = modes.NAMES
STATUSES = ("operational", "under_construction", "proposed", "suspended")

MODE_COLOURS = {"road": "#CC6677", "rail": "#332288", "sea": "#44AA99"}
OTHER_COLOUR = "#888888"
SUSPENDED_COLOUR = "#777777"
CONTEXT_COLOUR = "#808080"

#: Okabe–Ito, without its yellow (unreadable on a light map); route k takes entry k-1.
ROUTE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

#: Dash patterns for a 3 px line, in pixels; scaled with the line's weight.
_DASHES = {
    "operational": None,
    "under_construction": (10, 6),
    "proposed": (1, 6),
    "suspended": (12, 5, 1, 5),
}
LINK_WEIGHT = 3
CONTEXT_WEIGHT = 2
ROUTE_WEIGHT = 5
TOP_ROUTE_WEIGHT = 8
#: How much white is mixed into a route's colour for the solid line under its dashes.
CASING_TINT = 0.65

NODE_STYLES: dict[str, dict[str, Any]] = {
    "border_crossing": {"radius": 6, "color": "#222222", "fill_color": "#FFFFFF", "weight": 2},
    "port": {"radius": 6, "color": "#0B3C5D", "fill_color": "#88CCEE", "weight": 2},
    "dry_port": {"radius": 5, "color": "#5B4500", "fill_color": "#DDCC77", "weight": 2},
    "city": {"radius": 3, "color": "#444444", "fill_color": "#444444", "weight": 1},
    "junction": {"radius": 2, "color": "#666666", "fill_color": "#666666", "weight": 1},
}
NODE_LABELS = {
    "border_crossing": "Border crossing",
    "port": "Port",
    "dry_port": "Dry port",
    "city": "City",
    "junction": "Junction",
    "other": "Other place",
}
STATUS_LABELS = {
    "operational": "Operational",
    "under_construction": "Under construction",
    "proposed": "Proposed",
    "suspended": "Suspended",
}
COUNTRY_STYLE = {
    "color": "#ABABAB",
    "weight": 1,
    "fillColor": "#F2EFE9",
    "fillOpacity": 0.6,
}

#: Styles for the page: the background without tiles, the legend, popups' tables.
PAGE_CSS = """
.leaflet-container { background: #DCE6EE; }  /* water, where no tile covers it */
.corridors-legend {
    background: rgba(255, 255, 255, 0.92); padding: 6px 9px; border-radius: 5px;
    box-shadow: 0 1px 5px rgba(0, 0, 0, 0.4); font: 12px/1.35 sans-serif; color: #222;
    max-width: 340px; max-height: 60vh; overflow-y: auto;
}
.corridors-legend summary { cursor: pointer; font-weight: bold; }
.corridors-legend-title { font-weight: bold; margin: 4px 0 2px; }
.corridors-legend-row { display: flex; align-items: center; gap: 6px; white-space: nowrap; }
.corridors-legend-row span { white-space: normal; }
.corridors-legend-row svg { flex: none; }
.corridors-itinerary table, .corridors-details { border-collapse: collapse; font-size: 12px; }
.corridors-itinerary td, .corridors-itinerary th, .corridors-details td, .corridors-details th {
    padding: 1px 5px; text-align: left; vertical-align: top; border-bottom: 1px solid #eee;
}
.corridors-tooltip, .corridors-popup { font-size: 13px; }
.corridors-itinerary h4 { margin: 0 0 4px; font-size: 15px; }
.corridors-itinerary p { margin: 2px 0; }
path.leaflet-interactive:focus { outline: none; }  /* no box around a clicked line */
"""


def dash_array(status: object, weight: float = LINK_WEIGHT) -> str | None:
    """Return the SVG dash array for a link status, scaled to the line weight.

    Parameters
    ----------
    status
        A link status; an unknown status is drawn solid.
    weight
        The line's width in pixels.

    Returns
    -------
    str or None
        For example ``"10 6"``, or None for a solid line.
    """
    pattern = _DASHES.get(status) if isinstance(status, str) else None
    if pattern is None:
        return None
    scale = weight / LINK_WEIGHT
    return " ".join(f"{round(step * scale):d}" for step in pattern)


def mode_colour(mode: object, status: object) -> str:
    """Return the colour of a network link.

    Parameters
    ----------
    mode
        ``road``, ``rail`` or ``sea``; other modes are grey.
    status
        Suspended links are grey whatever their mode.

    Returns
    -------
    str
        A CSS hex colour.
    """
    if status == "suspended":
        return SUSPENDED_COLOUR
    return MODE_COLOURS.get(mode, OTHER_COLOUR) if isinstance(mode, str) else OTHER_COLOUR


def route_colour(rank: int) -> str:
    """Return the colour of the route with rank `rank` (1 is the best route)."""
    return ROUTE_COLOURS[(rank - 1) % len(ROUTE_COLOURS)]


def tint(colour: str, amount: float) -> str:
    """Mix a ``#RRGGBB`` colour with white: 0 keeps it, 1 gives white."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in channels)


def route_weight(rank: int) -> int:
    """Return the line width of a route: the best route is the thickest."""
    return TOP_ROUTE_WEIGHT if rank == 1 else ROUTE_WEIGHT


def node_style(kind: object, status: object) -> dict[str, Any]:
    """Return CircleMarker options for a network node.

    Parameters
    ----------
    kind
        The node kind; an unknown kind is drawn as a junction.
    status
        A crossing that is not operational is drawn with a dashed ring, and
        greyed out when suspended.

    Returns
    -------
    dict
        folium CircleMarker keyword arguments.
    """
    style = dict(
        NODE_STYLES.get(kind, NODE_STYLES["junction"]) if isinstance(kind, str) else NODE_STYLES["junction"]
    )
    if status == "suspended":
        style["fill_color"] = "#BBBBBB"
        style["color"] = SUSPENDED_COLOUR
    dashes = dash_array(status, 1.5)
    if dashes:
        style["dash_array"] = dashes
    return style


def stop_style(kind: str, colour: str) -> dict[str, Any]:
    """Return CircleMarker options for a stop on a route.

    Parameters
    ----------
    kind
        ``border_crossing``, ``port_call`` (customs where a ship calls: filled as a port is
        among the places), ``transfer`` or ``endpoint``.
    colour
        The route's colour.

    Returns
    -------
    dict
        folium CircleMarker keyword arguments.
    """
    if kind == "border_crossing":
        return {"radius": 6, "color": "#222222", "fill_color": colour, "weight": 2}
    if kind == "port_call":
        return {"radius": 7, "color": colour, "fill_color": NODE_STYLES["port"]["fill_color"], "weight": 3}
    if kind == "endpoint":
        return {"radius": 8, "color": "#FFFFFF", "fill_color": colour, "weight": 3}
    return {"radius": 6, "color": colour, "fill_color": "#FFFFFF", "weight": 3}
