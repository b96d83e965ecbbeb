"""The modes of transport and their rules: layers, gauges, transfers and border behaviour.

One table, :data:`MODES`, says for each mode what the rest of the code needs: whether its
links run on gauges (one graph layer per gauge, ``rail1520``), which transfer a change onto or
off it is (road-rail transshipment, port handling), and whether it pays a border dwell where
it crosses one. Validation, the cost-model reader, the graph builder, both search backends and
the output read it from here.

Adding a mode (river barges, air freight) is an entry here plus its data: ``costs.toml`` then
needs ``[line_haul.<mode>]``, a ``circuity`` factor, ``[border.<mode>]`` if it crosses borders,
and ``[transfer.<kind>]`` for a new transfer kind. The reader says which section is missing,
so a new mode is never priced as another one silently.

Gauges are numbers of their own: any positive whole number of millimetres in
:data:`GAUGE_RANGE_MM` (600 mm narrow gauge to 1676 mm broad gauge, and some margin). The
region's 1435, 1520 and 1676 mm are data, not a list in the code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: The transfer kinds, from the weakest to the strongest: when a change joins two modes whose
#: transfers differ, the stronger applies (a port handles whatever meets a ship).
TRANSFERS = ("gauge_change", "road_rail", "port")
#: What a mode's dwell figure is per: an hour moving, 100 km, or once per link.
DWELL_PER = ("moving_h", "100km", "link")
#: Gauges accepted, in millimetres (both ends included).
GAUGE_RANGE_MM = (500, 2000)


@dataclass(frozen=True)
class Mode:
    """One mode of transport and the rules the network applies to it.

    Parameters
    ----------
    name
        The ``mode`` of links: ``rail``.
    label
        For people: ``Rail``.
    gauged
        Its links need ``gauge_mm`` and run on one layer per gauge; a change of gauge is a
        ``gauge_change`` transfer.
    transfer
        The transfer kind of a change onto or off this mode (one of :data:`TRANSFERS`).
    crosses_borders
        Whether a border crossing charges this mode its dwell and fee (``[border.<mode>]``
        defaults, the crossing node's ``border.hours``); a ship crosses a sea border free.
    parts
        Where a link's time goes, for itineraries: the moving part and the standing part
        (``("moving", "rest")``).
    dwell_field
        The field of ``[dwell.<mode>]`` in ``costs.toml`` that gives the standing time.
    dwell_per
        What that figure is per: ``moving_h`` (hours standing per hour moving), ``100km`` or
        ``link`` (hours once per link, such as the wait for a sailing).
    """

    name: str
    label: str
    gauged: bool = False
    transfer: str = "road_rail"
    crosses_borders: bool = True
    parts: tuple[str, str] = ("moving", "dwell")
    dwell_field: str | None = None
    dwell_per: str = "link"

    def __post_init__(self) -> None:
        if self.transfer not in TRANSFERS:
            msg = f"mode {self.name!r}: `transfer` must be one of {', '.join(TRANSFERS)}"
            raise ValueError(msg)
        if self.dwell_per not in DWELL_PER:
            msg = f"mode {self.name!r}: `dwell_per` must be one of {', '.join(DWELL_PER)}"
            raise ValueError(msg)


MODES: tuple[Mode, ...] = (
    Mode("road", "Road", parts=("moving", "rest"), dwell_field="rest_h_per_moving_h", dwell_per="moving_h"),
    Mode(
        "rail",
        "Rail",
        gauged=True,
        parts=("running", "yard"),
        dwell_field="yard_h_per_100km",
        dwell_per="100km",
    ),
    Mode(
        "sea", "Sea", transfer="port", crosses_borders=False, parts=("sailing", "wait"), dwell_field="wait_h"
    ),
)

_BY_NAME = {m.name: m for m in MODES}
#: The modes' names, in registry order.
NAMES: tuple[str, ...] = tuple(_BY_NAME)
#: The modes that pay a border dwell where they cross one.
BORDER_MODES: tuple[str, ...] = tuple(m.name for m in MODES if m.crosses_borders)


def get(name: str) -> Mode:
    """The mode called ``name``.

    Raises
    ------
    KeyError
        If no mode has that name; the message lists the valid names.
    """
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        msg = f"unknown mode {name!r}; expected {expected()}"
        raise KeyError(msg) from None


def expected() -> str:
    """The valid mode names for a message: ``road, rail or sea``."""
    return f"{', '.join(NAMES[:-1])} or {NAMES[-1]}" if len(NAMES) > 1 else NAMES[0]


def layer(mode: str, gauge_mm: int | None = None) -> str:
    """The graph layer of a link: the mode, with the gauge for a gauged mode (``rail1520``)."""
    return f"{mode}{gauge_mm}" if _BY_NAME[mode].gauged else mode


def mode_of(layer: str) -> str | None:
    """The mode of a layer (``rail1520`` -> ``rail``), None for a layer of no mode."""
    if layer in _BY_NAME:
        return layer
    head = layer.rstrip("0123456789")
    mode = _BY_NAME.get(head)
    return head if mode is not None and mode.gauged and head != layer else None


def gauge_of(layer: str) -> int | None:
    """The gauge of a layer in mm (``rail1520`` -> 1520), None for a layer without one."""
    mode = mode_of(layer)
    return int(layer[len(mode) :]) if mode is not None and layer != mode else None


def layer_label(layer: str) -> str:
    """A layer for people: ``rail 1520 mm``, ``road``."""
    gauge = gauge_of(layer)
    return f"{mode_of(layer)} {gauge} mm" if gauge is not None else layer


def transfer_kind(layer_a: str, layer_b: str) -> str:
    """Which transfer joins two layers of one place.

    Two layers of one gauged mode: a gauge change. Otherwise the stronger of the two modes'
    transfers (:data:`TRANSFERS`): road-rail transshipment, or port handling where a ship is
    involved.
    """
    mode_a, mode_b = mode_of(layer_a), mode_of(layer_b)
    if mode_a == mode_b:
        return "gauge_change"
    kinds = (_BY_NAME[mode_a].transfer, _BY_NAME[mode_b].transfer)
    return max(kinds, key=TRANSFERS.index)


def transfer_kinds() -> tuple[str, ...]:
    """The transfer kinds the modes can give rise to, each with its ``[transfer.<kind>]`` default."""
    used = {m.transfer for m in MODES} | ({"gauge_change"} if any(m.gauged for m in MODES) else set())
    return tuple(k for k in TRANSFERS if k in used)


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def gauge_problem(value: object) -> str | None:
    """Why ``value`` is not a gauge in millimetres, or None if it is one."""
    lo, hi = GAUGE_RANGE_MM
    if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
        return f"expected a gauge in millimetres, a whole number such as 1435, got {value!r}"
    if value != int(value):
        return f"expected a whole number of mm, got {value!r}"
    if not lo <= value <= hi:
        return f"{value:g} mm is not a railway gauge; expected {lo}-{hi} mm (standard gauge is 1435)"
    return None
