"""What exists in a scenario and what a route must avoid, as one set of rules over edges.

:class:`Constraints` is the query; :data:`RULES` says, once, which edges it hides. Each rule
names the edge kinds it applies to, an edge *field* (``nodes``, ``countries``, ``mode``,
``layer_modes``, ``status``, ``months``), a test and the constraint it tests against. Both
search backends apply the same rules: the networkx backend reads the fields from each edge's
data (:meth:`Constraints.allows`), the array backend from its columns
(:func:`corridors.routes.engine.edge_mask`), so a new filter is one more rule here, and the
two cannot drift apart.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridors.geo import model, modes
from corridors.geo.errors import QueryError, UnknownPlaceError

if TYPE_CHECKING:
    from corridors.routes.scenario import Scenario

#: Today's network: operational links (and open crossings).
DEFAULT_STATUSES = frozenset({"operational"})
#: Every status but ``suspended``: today's network with every project.
PLANNED_STATUSES = frozenset({"operational", "under_construction", "proposed"})
KINDS = ("link", "transfer", "border", "access")
#: The tests a rule can make of an edge field against the constraint's value.
TESTS = ("none_in", "all_in", "open_in")


@dataclass(frozen=True)
class Rule:
    """One filter: edges of ``kinds`` pass only if their ``field`` passes ``test``.

    Parameters
    ----------
    name
        What the rule is about, for people.
    kinds
        Edge kinds the rule applies to; other edges pass it.
    field
        The edge field tested; each backend knows how to read it.
    test
        ``none_in``: no value of the field is in the constraint's set; ``all_in``: every value
        is; ``open_in``: the field (months) is absent or holds the constraint's month.
    value
        The :class:`Constraints` attribute tested against; a rule whose value is empty, None or
        everything there is hides nothing and is skipped.
    exempt
        A :class:`Constraints` attribute holding link ids the rule lets through whatever their
        field says (a scenario's projects).
    exempt_crossings
        A :class:`Constraints` attribute holding crossing ids whose border edges the rule lets
        through (reopened crossings, a project's new crossing).
    """

    name: str
    kinds: frozenset[str]
    field: str
    test: str
    value: str
    exempt: str | None = None
    exempt_crossings: str | None = None


_STEPS = frozenset({"link", "transfer", "border"})
_ON_A_MODE = frozenset({"link", "border"})

#: Every filter of a search, in the order they are applied.
RULES: tuple[Rule, ...] = (
    Rule("avoided places", frozenset(KINDS), "nodes", "none_in", "avoid_nodes"),
    Rule("avoided countries", _STEPS, "countries", "none_in", "avoid_countries"),
    Rule("allowed modes of a transfer's layers", frozenset({"transfer"}), "layer_modes", "all_in", "modes"),
    Rule("allowed modes", _ON_A_MODE, "mode", "all_in", "modes"),
    Rule(
        "statuses in the scenario",
        _ON_A_MODE,
        "status",
        "all_in",
        "allowed_statuses",
        "extra_links",
        "open_crossings",
    ),
    Rule("the month's seasonal closures", _ON_A_MODE, "months", "open_in", "month"),
    Rule("a via crossing passed once", frozenset({"border"}), "crossing", "none_in", "closed_crossings"),
)


@dataclass(frozen=True)
class Constraints:
    """What exists in the scenario and what the route must avoid."""

    modes: frozenset[str] = frozenset(modes.NAMES)
    statuses: frozenset[str] = DEFAULT_STATUSES
    month: int | None = None
    include_suspended: bool = False
    avoid_countries: frozenset[str] = frozenset()
    avoid_nodes: frozenset[str] = frozenset()
    #: Links that exist whatever their status (a scenario's projects).
    extra_links: frozenset[str] = frozenset()
    #: Crossings open whatever their status (reopened, or a project's new crossing).
    open_crossings: frozenset[str] = frozenset()
    #: Crossings closed to this search (a via crossing already passed is not passed again).
    closed_crossings: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if unknown := self.modes - set(modes.NAMES):
            msg = f"unknown mode {sorted(unknown)[0]!r}; expected {modes.expected()}"
            raise QueryError(msg)
        if unknown := self.statuses - set(model.LINK_STATUSES):
            msg = f"unknown status {sorted(unknown)[0]!r}; expected {', '.join(model.LINK_STATUSES)}"
            raise QueryError(msg)
        if self.month is not None and not 1 <= self.month <= 12:
            msg = f"month must be 1-12, got {self.month}"
            raise QueryError(msg)

    @property
    def allowed_statuses(self) -> frozenset[str]:
        """The link and crossing statuses that exist: ``statuses``, and suspended if included."""
        return self.statuses | ({"suspended"} if self.include_suspended else frozenset())

    def active(self) -> tuple[tuple[Rule, Any, frozenset[str], frozenset[str]], ...]:
        """The rules that hide something, each with its value, exempt links and exempt crossings."""
        return _active(self)

    def allows(self, d: dict) -> bool:
        """Whether an edge (its networkx data) exists under these constraints."""
        return self.edge_filter()(d)

    def edge_filter(self) -> Callable[[dict], bool]:
        """A fast test of an edge's networkx data, with the active rules bound once."""
        checks = [
            (
                rule.kinds,
                exempt,
                crossings,
                _FIELDS[rule.field],
                _TESTS[rule.test],
                value,
                rule.value == "modes",
            )
            for rule, value, exempt, crossings in _active(self)
        ]

        def allows(d: dict) -> bool:
            kind = d["kind"]
            for kinds, exempt, crossings, read, test, value, modal in checks:
                if kind not in kinds or (exempt and d.get("link") in exempt):
                    continue
                if modal and d.get("port_call"):  # the ship's call at a route's end (routes.port_ends)
                    continue
                if crossings and kind == "border" and d["node"] in crossings:
                    continue
                if not test(read(d), value):
                    return False
            return True

        return allows


def query_constraints(
    network: model.Network,
    named: Scenario,
    *,
    avoid: Iterable[str] = (),
    modes: Iterable[str] | None = None,
    month: int | None = None,
) -> Constraints:
    """The constraints of a query: what the scenario ``named`` holds, less what it avoids.

    Every planner builds its searches' constraints here (:func:`corridors.plan`, ``reach``,
    ``rank``), so that one query means the same network whichever answers it.

    Parameters
    ----------
    network
        The network the names of ``avoid`` are resolved in.
    named
        The scenario (:func:`corridors.routes.scenario.resolve`): statuses, projects, reopened
        crossings.
    avoid
        Countries (ISO3 or name) and places (name, alias or id) no route may touch
        (:func:`avoided`).
    modes
        The modes allowed; default all.
    month
        1-12: links and crossings closed in that month are hidden.

    Raises
    ------
    QueryError
        For an unknown mode or status, a month out of range, or an ``avoid`` item that is
        neither a country nor a place.
    """
    avoid_countries, avoid_nodes = avoided(network, avoid)
    return Constraints(
        modes=frozenset(modes) if modes else frozenset(model.MODES),
        statuses=named.statuses,
        month=month,
        include_suspended=named.include_suspended,
        avoid_countries=avoid_countries,
        avoid_nodes=avoid_nodes,
        extra_links=named.extra_links,
        open_crossings=named.open_crossings,
    )


def avoided(network: model.Network, items: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The countries (ISO3 codes) and the node ids of ``avoid`` items: a country by ISO3 code
    or name, a place by name, alias or id (with its parts).

    Raises
    ------
    UnknownPlaceError
        For an item that names nothing, led by `avoid`.
    QueryError
        For a sea or a ``lat,lon`` point, which are not things to avoid.
    """
    from corridors.routes import places

    countries, nodes = set(), set()
    for item in items:
        try:
            endpoint = places.resolve(network, item)
        except UnknownPlaceError as err:
            msg = f"`avoid`: {err}"
            raise UnknownPlaceError(msg) from None
        if endpoint.kind == "country":
            countries.add(network.nodes[endpoint.node_ids[0]].country)
        elif endpoint.kind == "place":
            nodes.update(endpoint.members)
        else:
            msg = f"`avoid` {item!r}: give a country or a place, not a {endpoint.kind}"
            raise QueryError(msg)
    return frozenset(countries), frozenset(nodes)


#: Everything a rule's value can cover: a rule that allows all of it hides nothing.
_EVERYTHING = {"modes": frozenset(modes.NAMES), "allowed_statuses": frozenset(model.LINK_STATUSES)}


@functools.lru_cache(maxsize=64)
def _active(c: Constraints) -> tuple[tuple[Rule, Any, frozenset[str], frozenset[str]], ...]:
    out = []
    for rule in RULES:
        value = getattr(c, rule.value)
        if value is None or (isinstance(value, frozenset) and not value and rule.test == "none_in"):
            continue
        if _EVERYTHING.get(rule.value) is not None and value >= _EVERYTHING[rule.value]:
            continue
        exempt = getattr(c, rule.exempt) if rule.exempt else frozenset()
        crossings = getattr(c, rule.exempt_crossings) if rule.exempt_crossings else frozenset()
        out.append((rule, value, exempt, crossings))
    return tuple(out)


def _none_in(values: Any, value: frozenset) -> bool:
    return value.isdisjoint(values)


def _all_in(values: Any, value: frozenset) -> bool:
    return all(v in value for v in values)


def _open_in(values: frozenset[int] | None, value: int) -> bool:
    return values is None or value in values


_TESTS = {"none_in": _none_in, "all_in": _all_in, "open_in": _open_in}


def _layer_modes(d: dict) -> tuple[str | None, str | None]:
    return modes.mode_of(d["from_layer"]), modes.mode_of(d["to_layer"])


#: How the networkx backend reads each field from an edge's data.
_FIELDS = {
    "nodes": lambda d: d["nodes"],
    "countries": lambda d: d["countries"],
    "layer_modes": _layer_modes,
    "mode": lambda d: (d["mode"],),
    "status": lambda d: (d["status"],),
    "months": lambda d: d["months"],
    "crossing": lambda d: (d["node"],),
}
