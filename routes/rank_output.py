"""A ranking of projects as JSON, CSV, a table readable at 80 columns, and route-shaped GeoJSON."""

from __future__ import annotations

import csv
import io
import textwrap
from typing import Any

from corridors.geo import objectives
from corridors.routes import output, plan_text, pricing


def _pair(pair: tuple[str, str], names: dict[str, str]) -> str:
    return f"{names.get(pair[0], pair[0])} → {names.get(pair[1], pair[1])}"


def ranking_dict(ranking, names: dict[str, str]) -> dict[str, Any]:
    """``rank --json``: every project's measures, best first."""
    unit = objectives.get(ranking.by).unit
    return {
        "version": output.JSON_VERSION,
        "by": ranking.by,
        "unit": unit,
        #: Whether the means are weighted by pair (``--weights``) rather than over pairs alike.
        "weighted": bool(ranking.weights),
        "pairs": [list(p) for p in ranking.pairs],
        "scenario": ranking.base.as_dict(),
        "cargo_from": ranking.cargo[0],
        "cargo_to": ranking.cargo[1],
        "in_base": list(ranking.in_base),
        "today": {
            f"{o}>{d}": (None if v == float("inf") else round(v, 3))
            for (o, d), v in ranking.values["today"].items()
        },
        "all_projects": {"mean_gain": round(ranking.all_gain, 3), "pairs_improved": ranking.all_improved},
        "projects": [
            {
                "rank": i,
                "project": r.project.name,
                "statuses": list(r.project.statuses),
                "years": list(r.project.years),
                "length_km": round(r.project.length_km, 1),
                "mean_gain": round(r.mean_gain, 3),
                "best_gain": round(r.best_gain, 3),
                "best_pair": list(r.best_pair) if r.best_pair else None,
                "best_route_corridors": r.best_route.corridors if r.best_route else [],
                "pairs_improved": [{"from": o, "to": d, "gain": round(g, 3)} for o, d, g in r.improved],
                "pairs_connected": [list(p) for p in r.connected],
                "gain_as_last": round(r.marginal_mean_gain, 3),
                "pairs_improved_as_last": r.marginal_pairs,
                "only_together": r.only_together,
                "gain_if_suspended_reopen": round(r.reopened_mean_gain, 3),
            }
            for i, r in enumerate(ranking.results, 1)
        ],
    }


def ranking_csv(ranking, names: dict[str, str]) -> str:
    """``rank --csv``: one row per project."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    mean, last = ("weighted_mean_", "weighted_mean_") if ranking.weights else ("mean_", "")
    w.writerow(
        [
            "rank",
            "project",
            "statuses",
            "years",
            "length_km",
            f"{mean}gain_{ranking.by}",
            f"best_gain_{ranking.by}",
            "best_pair",
            "pairs_improved",
            "pairs_connected",
            f"{last}gain_as_last_{ranking.by}",
            "only_together",
        ]
    )
    for i, r in enumerate(ranking.results, 1):
        w.writerow(
            [
                i,
                r.project.name,
                ";".join(r.project.statuses),
                ";".join(map(str, r.project.years)),
                f"{r.project.length_km:.1f}",
                f"{r.mean_gain:.3f}",
                f"{r.best_gain:.3f}",
                _pair(r.best_pair, names) if r.best_pair else "",
                len(r.improved),
                len(r.connected),
                f"{r.marginal_mean_gain:.3f}",
                r.only_together,
            ]
        )
    return buf.getvalue()


def ranking_table(ranking, names: dict[str, str]) -> str:
    """The ranked projects, readable at 80 columns, with a line on each one's best pair."""
    objective = objectives.get(ranking.by)
    unit, words = objective.unit, objective.words
    mean = "weighted mean" if ranking.weights else "mean"
    lines = [
        *textwrap.wrap(
            f"Projects ranked by {mean} {ranking.by} saved ({words}) over {len(ranking.pairs)} "
            f"origin-destination pairs{_weights_words(ranking)};",
            width=80,
        ),
        *_base_lines(ranking),
        "",
        f"{'#':>2}  {'project':<30} {'pairs':>5} {'mean':>8} {'best':>8} {'as last':>8}",
    ]
    for i, r in enumerate(ranking.results, 1):
        pairs = f"{len(r.improved)}" + (f"+{len(r.connected)}" if r.connected else "")
        lines.append(
            f"{i:>2}  {r.project.name[:30]:<30} {pairs:>5} {r.mean_gain:>8.1f} {r.best_gain:>8.1f} "
            f"{r.marginal_mean_gain:>8.1f}"
        )
        if r.best_pair and r.best_route:
            before = ranking.values["today"][r.best_pair]
            crossings = ", ".join(c.name for c in r.best_route.borders) or "no border"
            lines += plan_text.wrap(
                "best",
                f"{_pair(r.best_pair, names)}: {before:,.1f} → "
                f"{before - r.best_gain:,.1f} {unit}, crossing {crossings}",
            )
        if r.connected:
            lines += plan_text.wrap("connects", ", ".join(_pair(p, names) for p in r.connected))
        if r.only_together:
            lines += plan_text.wrap("note", "saves nothing alone; pays only together with other projects")
        elif r.reopened_mean_gain > 0:
            lines += plan_text.wrap(
                "note",
                f"saves nothing while suspended crossings stay closed; "
                f"{r.reopened_mean_gain:,.1f} {unit} on average if they reopen",
            )
        elif not r.improved and not r.connected:
            lines += plan_text.wrap("note", "changes no best route between these places")
    lines.append(
        f"all projects together: {mean} {ranking.all_gain:,.1f} {unit} saved, "
        f"{ranking.all_improved} pairs improved"
    )
    return "\n".join(lines)


def _weights_words(ranking) -> str:
    """How the pairs weigh in the means: alike, or by the weights given (some may weigh 0)."""
    if not ranking.weights:
        return ""
    weighing = sum(1 for pair in ranking.pairs if ranking.weights.get(pair, 0) > 0)
    return f", {weighing} of them with a weight above 0"


def _cargo_line(ranking) -> list[str]:
    """The countries the cargo was said to start and end in, when given."""
    start, end = ranking.cargo
    said = [pricing.cargo_said(how, c) if c else "" for how, c in (("starts", start), ("ends", end))]
    if not any(said):
        return []
    return [f"the cargo {' and '.join(s for s in said if s)} (customs at ports priced for it)."]


def _base_lines(ranking) -> list[str]:
    """What the projects are added to, the projects already in it, and where the cargo goes."""
    if ranking.base.is_today:
        return [
            "today = operational links only. 'as last' = saved when added to all other projects.",
            *_cargo_line(ranking),
        ]
    lines = textwrap.wrap(f"base: {ranking.base.label}.", width=80, subsequent_indent="    ")
    if ranking.in_base:
        lines.append(f"{len(ranking.in_base)} projects wholly in the base are not ranked.")
    return [*lines, "'as last' = saved when added to all other projects.", *_cargo_line(ranking)]


def ranking_geojson(ranking, network) -> list[dict[str, Any]]:
    """The ranked projects as route-shaped FeatureCollections, for a map coloured by rank."""
    from corridors.geo import convert

    out = []
    for i, r in enumerate(ranking.results, 1):
        unit = objectives.get(ranking.by).unit
        features = []
        for lid in r.project.link_ids:
            f = convert.link_feature(network.links[lid])
            f["properties"].update(
                kind="segment", rank=i, link_id=lid, distance_km=f["properties"]["length_km"]
            )
            features.append(f)
        out.append(
            {
                "type": "FeatureCollection",
                "route": {
                    "rank": i,
                    "title": f"{r.project.name}: mean {r.mean_gain:,.1f} {unit} saved, "
                    f"{len(r.improved)} pairs improved",
                    "totals": {"distance_km": round(r.project.length_km, 1)},
                },
                "features": features,
            }
        )
    return out
