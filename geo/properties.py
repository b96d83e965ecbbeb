"""Check the value of one property of a node or link feature: a port's sea, a border's hours
and fees, a node's transfers, a rail link's gauge, a sea link's wait, a link's corridor; and
the figures and ``{low, central, high}`` spans they share.

Each check records its problems on the feature's :class:`geo.fields.Fields` and returns the
value, or None when it is missing or invalid.
"""

from __future__ import annotations

import difflib
from typing import Any

from corridors.geo import model, modes
from corridors.geo.fields import Fields
from corridors.geo.nodeindex import UserContext
from corridors.geo.schema import ISO3_CODES, MAX_FIGURE, brief, finite, is_number


def sea(feat: Fields, *, required: bool, user: UserContext | None) -> str | None:
    """The sea or lake a port is on: any name. In a user file, a sea no port of the network is
    on earns a warning, with the known sea it is likely a misspelling of."""
    value = feat.props.get("sea")
    if value is None and required:
        feat.error("sea", "missing; expected the sea or lake the port is on, such as 'Arabian Sea'")
        return None
    sea = feat.text("sea", required=False)
    if sea is None or user is None or not user.seas or sea in user.seas:
        return sea
    by_key = {s.casefold(): s for s in user.seas}
    close = difflib.get_close_matches(sea.casefold(), list(by_key), 1, 0.75)
    hint = f"did you mean {by_key[close[0]]!r}? " if close else ""
    known = ", ".join(sorted(user.seas))
    msg = f"{sea!r} is a new sea: no port of the network is on it ({hint}known: {known})"
    feat.error("sea", msg, "warning")
    return sea


def gauge(feat: Fields, mode: str | None) -> int | None:
    """The track gauge in mm: required on a gauged mode (rail), refused on the others."""
    value = feat.props.get("gauge_mm")
    gauged = mode is not None and modes.get(mode).gauged
    if value is None:
        if gauged:
            feat.error("gauge_mm", "missing; expected the track gauge in mm, such as 1435")
        return None
    if mode is not None and not gauged:
        feat.error("gauge_mm", f"only rail links have a gauge; this link's mode is {mode!r}")
        return None
    problem = modes.gauge_problem(value)
    if problem is not None:
        numeric = isinstance(value, str) and value.strip().isdigit()
        feat.error("gauge_mm", problem + (f" (did you mean {value.strip()}, a number?)" if numeric else ""))
        return None
    return int(value)


def border(feat: Fields, *, required: bool) -> model.Border | None:
    """A crossing's border: its two countries, and its hours and fees by mode."""
    value = feat.props.get("border")
    if value is None:
        if required:
            feat.error("border", "missing; a border_crossing needs {countries, hours}")
        return None
    if not isinstance(value, dict):
        feat.error("border", f"expected an object, got {brief(value)}")
        return None
    countries = value.get("countries")
    if not (
        isinstance(countries, list)
        and len(countries) == 2
        and all(isinstance(c, str) and c in ISO3_CODES for c in countries)
    ):
        feat.error("border.countries", f"expected two ISO 3166-1 alpha-3 codes, got {brief(countries)}")
        return None
    hours = value.get("hours", {})
    if not isinstance(hours, dict) or any(
        not _border_key_ok(m) or not _border_hours_ok(v, countries) for m, v in hours.items()
    ):
        feat.error(
            "border.hours",
            f"expected {{mode: hours}} for {'/'.join(modes.BORDER_MODES)} (or mode.service, "
            '"rail.block"), hours a number >= 0, '
            "{low, central, high} or by "
            f'direction {{"in": .., "out": ..}} / {{"{countries[0]}>{countries[1]}": ..}}, '
            f"got {brief(hours)}",
        )
        return None
    usd = value.get("usd_per_t", {})
    if not isinstance(usd, dict) or any(
        m not in modes.BORDER_MODES or not _amount(v) for m, v in usd.items()
    ):
        feat.error(
            "border.usd_per_t",
            f"expected {{mode: number >= 0}} for {'/'.join(modes.BORDER_MODES)}, got {brief(usd)}",
        )
        return None
    return model.Border(
        tuple(countries),
        {m: (float(v) if _amount(v) else v) for m, v in hours.items()},
        {m: float(v) for m, v in usd.items()},
    )


def _amount(value: Any) -> bool:
    """Whether ``value`` is a finite figure from 0 to :data:`MAX_FIGURE`."""
    return is_number(value) and finite(value) and 0 <= value <= MAX_FIGURE


def span_ok(value: Any) -> bool:
    """Whether ``value`` is a number >= 0 or an ordered ``{low, central, high}`` table."""
    if _amount(value):
        return True
    if not isinstance(value, dict) or "central" not in value or set(value) - set(model.SPAN_ENDS):
        return False
    ends = [value.get(e, value["central"]) for e in model.SPAN_ENDS]
    return all(_amount(v) for v in ends) and ends[0] <= ends[1] <= ends[2]


def _border_key_ok(key: Any) -> bool:
    """A key of ``border.hours``: a mode that crosses borders, or ``mode.service`` (``rail.block``)."""
    if not isinstance(key, str):
        return False
    mode, _, service = key.partition(".")
    return mode in modes.BORDER_MODES and (service.strip() != "" or "." not in key)


def _border_hours_ok(value: Any, countries: list[str]) -> bool:
    """A mode's border hours: a span, or spans by direction (``in``/``out`` or ``A>B``)."""
    if span_ok(value):
        return True
    pairs = {f"{countries[0]}>{countries[1]}", f"{countries[1]}>{countries[0]}"}
    return (
        isinstance(value, dict)
        and bool(value)
        and all(k in ("in", "out") or k in pairs for k in value)
        and all(span_ok(v) for v in value.values())
    )


def transfer(feat: Fields) -> dict[str, model.Figure]:
    """A node's transfers between modes: hours (with their range) and USD per tonne, by kind."""
    value = feat.props.get("transfer")
    if value is None:
        return {}
    out = {}
    if not isinstance(value, dict):
        feat.error("transfer", f"expected an object, got {brief(value)}")
        return out
    for kind, fig in value.items():
        prop = f"transfer.{kind}"
        if kind not in model.TRANSFER_KINDS:
            feat.error(prop, f"unknown transfer; expected one of {', '.join(model.TRANSFER_KINDS)}")
            continue
        if not (
            isinstance(fig, dict)
            and all(
                is_number(fig.get(k)) and finite(fig[k]) and 0 <= fig[k] <= MAX_FIGURE
                for k in ("hours", "usd_per_t")
            )
        ):
            feat.error(prop, f"expected {{hours, usd_per_t}} numbers >= 0, got {brief(fig)}")
            continue
        source = next(
            (s for s in (fig.get("source"), feat.props.get("source")) if isinstance(s, str) and s), ""
        )
        ends = [fig.get(k) for k in ("hours_low", "hours_high")]
        if not all(e is None or _amount(e) for e in ends) or not (
            (ends[0] is None or ends[0] <= fig["hours"]) and (ends[1] is None or fig["hours"] <= ends[1])
        ):
            feat.error(prop, f"expected hours_low <= hours <= hours_high, numbers >= 0, got {brief(fig)}")
            continue
        out[kind] = model.Figure(
            float(fig["hours"]),
            float(fig["usd_per_t"]),
            source,
            hours_low=None if ends[0] is None else float(ends[0]),
            hours_high=None if ends[1] is None else float(ends[1]),
        )
    return out


def wait(feat: Fields, mode: str | None) -> model.Span | None:
    """A sea link's wait for a sailing: a number of hours or ``{low, central, high}``."""
    value = feat.props.get("wait_h")
    if value is None:
        return None
    if mode != "sea":
        feat.error("wait_h", "only a sea link waits for a sailing")
        return None
    if not span_ok(value):
        feat.error("wait_h", f"expected hours >= 0 or {{low, central, high}} in order, got {brief(value)}")
        return None
    if not isinstance(value, dict):
        return model.Span.point(float(value))
    central = float(value["central"])
    return model.Span(float(value.get("low", central)), central, float(value.get("high", central)))


def corridor(feat: Fields, user: UserContext | None) -> str | None:
    """A link's corridor; in a user file its ``name`` stands in for a missing one."""
    if user is None or feat.props.get("corridor") is not None:
        return feat.text("corridor")
    if feat.props.get("name") is None:
        feat.error("corridor", "missing; expected the corridor or project the link belongs to, or a 'name'")
        return None
    name = feat.text("name")
    if name is not None:
        feat.filled["corridor"] = "taken from 'name'"
    return name
