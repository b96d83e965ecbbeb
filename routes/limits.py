"""Limits and checks of query options, shared by the command line, the Python API and the server.

Every option a user can give is checked here once, with a message that names it: counts are
capped so that no query runs for minutes, and fractions, factors and distances must be finite
and in range. The command line's parser uses the same checks (:func:`option`), so an option is
refused before anything loads, with the same message the API gives.

A message names an option by its Python API name in backticks (`max_stretch`), as every module
of the library does (:data:`OPTION_NAME`): each interface names it as its users write it, the
command line by its flag (``--max-stretch``), the HTTP API by its query parameter."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from corridors.geo.errors import QueryError

#: How a message names an option: its Python API name in backticks (`max_stretch`, `k`).
OPTION_NAME = re.compile(r"`([a-z][a-z0-9_]*)`")


def renamed(message: str, names: Callable[[str], str | None]) -> str:
    """``message`` with each option (:data:`OPTION_NAME`) named ``names(api_name)``; a name
    for which ``names`` gives None keeps its backticks."""
    return OPTION_NAME.sub(lambda m: names(m.group(1)) or m.group(0), message)


#: At most this many alternative routes (``-k``): each costs a few searches more.
MAX_K = 10
#: At most this many ``--via`` places.
MAX_VIA = 8


def check_k(k: Any) -> None:
    """Refuse a number of routes that is not a whole number from 1 to :data:`MAX_K`."""
    _whole("k", k, 1, MAX_K)


def check_month(month: Any) -> None:
    """Refuse a month that is not a whole number from 1 to 12 (None means all year)."""
    if month is not None:
        _whole("month", month, 1, 12)


def check_max_overlap(share: Any) -> None:
    """Refuse an overlap share that is not a finite number from 0 to 1."""
    _number("max_overlap", share, 0.0, 1.0)


def check_max_stretch(factor: Any) -> None:
    """Refuse a stretch factor that is not a finite number from 1 to 100."""
    _number("max_stretch", factor, 1.0, 100.0)


def check_snap_km(km: Any) -> None:
    """Refuse a snapping distance that is not a finite number of km above 0."""
    _number("snap_km", km, -math.inf, 40_075.0)
    if km <= 0:
        msg = f"`snap_km` must be a distance above 0 km, got {km:g}"
        raise QueryError(msg)


def check_plan(
    *, k: Any, via: Sequence[str], max_overlap: Any, max_stretch: Any, month: Any = None
) -> None:
    """Refuse plan options out of range.

    Raises
    ------
    QueryError
        Naming the option, the value and the range.
    """
    check_k(k)
    if len(via) > MAX_VIA:
        msg = f"`via`: at most {MAX_VIA} places, got {len(via)}"
        raise QueryError(msg)
    check_max_overlap(max_overlap)
    check_max_stretch(max_stretch)
    check_month(month)


def option(name: str, check: Callable[[Any], None], *, whole: bool) -> Callable[[str], float]:
    """A parser of an option's text that applies ``check``, for argparse's ``type``.

    Its errors are :class:`QueryError` (not ``ValueError``), so the command line reports them
    with the very message the Python API and the server give for the same value.
    """

    def parse(text: str) -> float:
        try:
            value = int(text, 10) if whole else float(text)
        except ValueError:
            kind = "a whole number" if whole else "a number"
            msg = f"`{name}` must be {kind}, got {text!r}"
            raise QueryError(msg) from None
        check(value)
        return value

    parse.__name__ = name
    return parse


def _whole(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        msg = f"`{name}` must be a whole number from {low} to {high}, got {value!r}"
        raise QueryError(msg)


def _number(name: str, value: Any, low: float, high: float) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or not low <= value <= high:
        msg = f"`{name}` must be a finite number from {low:g} to {high:g}, got {value!r}"
        raise QueryError(msg)


def names(value: str | Iterable[str] | None, what: str) -> list[str] | None:
    """A list of names from an option: a string is one comma-separated list, not its letters.

    Raises
    ------
    QueryError
        When an item is not a string.
    """
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    if not all(isinstance(item, str) for item in items):
        msg = f"`{what}`: expected names (strings), got {items!r}"[:200]
        raise QueryError(msg)
    return [item.strip() for item in items if item.strip()]


# -- options that do not combine: refused alike by the command line and the server

#: Why ``--compare`` stands alone: it is one comparison of best routes.
COMPARE_WHY = "it sets today's best route beside the scenario's"
#: Why ``--within`` stands alone: it is a time search from one origin, not to a destination.
WITHIN_WHY = "it measures time from one origin to every place"


def check_alone(option: str, why: str, others: dict[str, Any]) -> None:
    """Refuse the first of ``others`` (option name -> value given) that is set beside ``option``
    (options by their Python API names, ``compare``, ``pareto``, or words that name one so).

    Raises
    ------
    QueryError
        ```<option>` does not combine with `<other>`: <why>``; its ``parameter`` is ``option``,
        for the server to blame.
    """
    for name, value in others.items():
        if value:
            shown = f"`{name}`" if name.isidentifier() else name
            err = QueryError(f"`{option}` does not combine with {shown}: {why}")
            err.parameter = option
            raise err


def check_route_options(
    *, compare: bool, pareto: Any = None, gateways: bool = False, explain: bool = False
) -> None:
    """Refuse ``route --compare`` with another answer (``--pareto``, ``--gateways``) or ``--explain``."""
    if compare:
        check_alone(
            "compare", COMPARE_WHY, {"pareto": pareto, "gateways": gateways, "explain": explain}
        )


def check_reach_options(
    *, within: Any, compare: bool = False, destination: bool = False, by: bool = False
) -> None:
    """Refuse ``reach --within`` with ``--compare``, a destination or ``--by`` (each given or not)."""
    if within is not None:
        check_alone(
            "within", WITHIN_WHY, {"compare": compare, "a destination (`destination`)": destination, "by": by}
        )
