"""Name the scenario a query runs in: today's network, plus projects, a year or reopened crossings.

Today's network is what exists now: operational links and open crossings. Everything else is a
question a user asks on purpose: ``projects`` adds projects by name (``"all"`` for every one),
``year`` adds what is planned to open by the end of that year, ``reopen`` opens suspended
crossings and the suspended links that lead to them (``"all"`` for every suspended link and
crossing), and ``status`` lists link statuses for fine control. :func:`resolve` turns these
into the links and crossings that exist on top of today, and a label that says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from corridors.geo import model
from corridors.geo.errors import QueryError
from corridors.routes import places

TODAY_STATUSES = frozenset({"operational"})
#: Statuses of links that are not there yet but may be: what ``projects`` and ``year`` add.
UNFINISHED = frozenset({"under_construction", "proposed"})


@dataclass(frozen=True, slots=True)
class Scenario:
    """What exists in a query's network, and how to say it.

    ``extra_links`` exist whatever their status; ``open_crossings`` are crossings open whatever
    their status (reopened, or new crossings of a chosen project).
    """

    statuses: frozenset[str] = TODAY_STATUSES
    extra_links: frozenset[str] = frozenset()
    open_crossings: frozenset[str] = frozenset()
    include_suspended: bool = False
    projects: tuple[str, ...] = ()
    all_projects: bool = False
    year: int | None = None
    #: The projects (or links outside a project) that ``year`` adds.
    by_year: tuple[str, ...] = ()
    reopen: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    #: User files (``--with``) whose unfinished links are in the scenario.
    user_files: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def is_today(self) -> bool:
        """Whether nothing but today's network exists."""
        named = self.projects or self.year or self.reopen or self.status or self.include_suspended
        return not (named or self.user_files)

    @property
    def label(self) -> str:
        """``"today's network"``, ``"today + ML-1 Upgrade"``, ``"planned by 2030 + Torkham reopened"``."""
        if self.is_today:
            return "today's network"
        base = (
            f"planned by {self.year} ({', '.join(self.by_year) or 'nothing new'})" if self.year else "today"
        )
        if self.status:
            base += f" (links {', '.join(s.replace('_', ' ') for s in self.status)})"
        parts = [base]
        if self.all_projects:
            parts.append("all projects")
        elif self.projects:
            parts.append(", ".join(self.projects))
        if self.reopen:
            parts.append(f"{', '.join(self.reopen)} reopened")
        elif self.include_suspended:
            parts.append("suspended links and crossings reopened")
        if self.user_files:
            parts.append(f"the links of {', '.join(Path(f).name for f in self.user_files)}")
        return " + ".join(parts)

    def as_dict(self) -> dict:
        """The scenario in the ``--json`` query."""
        return {
            "label": self.label,
            "projects": list(self.projects),
            "year": self.year,
            "reopen": list(self.reopen) if self.reopen else ("all" if self.include_suspended else []),
            "status": sorted(self.statuses),
        }


def resolve(
    network: model.Network,
    *,
    projects: str | Iterable[str] | None = None,
    year: int | None = None,
    reopen: str | Iterable[str] | None = None,
    status: Iterable[str] | None = None,
    include_suspended: bool = False,
    user_files: Iterable[str] = (),
) -> Scenario:
    """The scenario named by the options; with none, today's network.

    Parameters
    ----------
    network
        The network whose projects and crossings the names refer to.
    projects
        Project names (case- and accent-insensitive), or ``"all"``.
    year
        Add the unfinished links expected to open by the end of this year.
    reopen
        Suspended crossings (name, alias or id) to open with their suspended links, or ``"all"``.
    status
        Link statuses that exist (fine control); default ``operational``.
    include_suspended
        Same as ``reopen="all"``.
    user_files
        Files given with ``--with``: their links exist whatever their status (a user adds a
        link to ask about it).

    Raises
    ------
    QueryError
        For an unknown project, crossing, status or a year out of range.
    """
    statuses = frozenset(status) if status else TODAY_STATUSES
    if unknown := statuses - set(model.LINK_STATUSES):
        msg = f"`status`: unknown status {sorted(unknown)[0]!r}; expected {', '.join(model.LINK_STATUSES)}"
        raise QueryError(msg)
    chosen = _projects(network, _items(projects))
    extra = {lid for links in chosen.values() for lid in links}
    notes: list[str] = []
    dated: dict[str, list[str]] = {}
    if year is not None:
        dated = _by_year(network, year, notes)
        extra |= {lid for links in dated.values() for lid in links}
    reopen_items = _items(reopen)
    every_suspended = include_suspended or reopen_items == ["all"]
    reopened: dict[str, str] = {} if every_suspended else _crossings(network, reopen_items)
    if reopened:
        for link in map(network.links.__getitem__, links_where(network, "status", "suspended".__eq__)):
            if link.from_id in reopened or link.to_id in reopened:
                extra.add(link.id)
    user_files = tuple(user_files)
    if user_files:
        extra |= set(links_where(network, "file", user_files.__contains__))
    opened = set(reopened) | project_crossings(network, extra)
    return Scenario(
        statuses=statuses,
        extra_links=frozenset(extra),
        open_crossings=frozenset(opened),
        include_suspended=every_suspended,
        projects=tuple(chosen),
        all_projects=_items(projects) == ["all"],
        year=year,
        by_year=tuple(dated),
        reopen=tuple(reopened.values()),
        status=tuple(sorted(status)) if status else (),
        user_files=tuple(f for f in user_files if any(link.file == f for link in network.links.values())),
        notes=tuple(notes),
    )


def _items(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    raw = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
    items = [v.strip() for v in raw if v.strip()]
    return ["all"] if any(v.casefold() == "all" for v in items) else items


def links_where(network: model.Network, field: str, test) -> list[str]:
    """The ids of the links whose ``field`` passes ``test``; a large network's links, kept
    column by column (:class:`geo.columns.Columns`), are not built one by one for it."""
    links = network.links
    if hasattr(links, "where"):
        return links.where(field, test)
    return [link.id for link in links.values() if test(getattr(link, field))]


def project_links(network: model.Network) -> dict[str, list[str]]:
    """Project name -> its link ids, sorted by name."""
    grouped: dict[str, list[str]] = {}
    for lid in links_where(network, "project", bool):
        grouped.setdefault(network.links[lid].project, []).append(lid)
    return {name: sorted(ids) for name, ids in sorted(grouped.items())}


def _projects(network: model.Network, names: list[str]) -> dict[str, list[str]]:
    """The projects named (``["all"]`` for every one), by their names as the data spells them."""
    found = project_links(network)
    if names == ["all"]:
        return found
    by_key = {places.normalize(name): name for name in found}
    chosen: dict[str, list[str]] = {}
    for name in names:
        key = places.normalize(name)
        if key not in by_key:
            raise QueryError(_unknown("project", name, by_key, "`corridors projects` lists them"))
        chosen[by_key[key]] = found[by_key[key]]
    return chosen


def _unknown(what: str, text: str, by_key: Mapping[str, str], where: str) -> str:
    import difflib  # only for a name not found

    close = difflib.get_close_matches(places.normalize(text), list(by_key), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(by_key[c]) for c in close)}?" if close else ""
    return f"unknown {what} {text!r}{hint} ({where})"


def _by_year(network: model.Network, year: int, notes: list[str]) -> dict[str, list[str]]:
    """The unfinished links expected by ``year``, by project (or link id); a note on the undated."""
    if not 1900 <= year <= 2200:
        msg = f"`year`: expected a year such as 2030, got {year}"
        raise QueryError(msg)
    links = [network.links[lid] for lid in links_where(network, "status", UNFINISHED.__contains__)]
    undated = sorted({link.project or link.id for link in links if link.year is None})
    if undated:
        notes.append(
            f"no expected year for {', '.join(undated)}: not counted in `year` {year} "
            "(add it with `projects`)"
        )
    out: dict[str, list[str]] = {}
    for link in sorted(links, key=lambda x: (x.project or x.id, x.id)):
        if link.year is not None and link.year <= year:
            out.setdefault(link.project or link.id, []).append(link.id)
    return out


def _crossings(network: model.Network, names: list[str]) -> dict[str, str]:
    """Crossing id -> name, for each suspended crossing named."""
    if not names:
        return {}
    suspended = {n.id: n for n in network.nodes.values() if n.is_crossing and n.status == "suspended"}
    by_key = {}
    for node in suspended.values():
        for name in (node.id, node.name, *node.aliases):
            by_key.setdefault(places.normalize(name), node.id)
    out: dict[str, str] = {}
    for name in names:
        node_id = by_key.get(places.normalize(name))
        open_now = [
            n.name
            for n in network.nodes.values()
            if n.is_crossing
            and n.status != "suspended"
            and places.normalize(name) in map(places.normalize, (n.id, n.name, *n.aliases))
        ]
        if node_id is None and open_now:
            msg = f"`reopen`: {open_now[0]} is not suspended (its status: open today or proposed)"
            raise QueryError(msg)
        if node_id is None:
            shown = {places.normalize(n.name): n.name for n in suspended.values()}
            listed = ", ".join(sorted(shown.values())) or "none"
            raise QueryError(_unknown("suspended crossing", name, shown, f"suspended: {listed}"))
        out[node_id] = suspended[node_id].name
    return out


def project_crossings(network: model.Network, link_ids: Iterable[str]) -> set[str]:
    """Crossings not open today that a chosen link leads to: a project's new crossings."""
    out = set()
    for lid in link_ids:
        link = network.links[lid]
        for node_id in (link.from_id, link.to_id):
            node = network.nodes[node_id]
            if node.is_crossing and node.status == "proposed":
                out.add(node_id)
    return out
