"""The hook for checks of a built link against its end nodes, beyond its own properties.

:func:`geo.features.link_from_feature` calls :func:`link_problems` once for every link it has
built, from network folders and user files alike. A module with a further check (for example a
border check in ``geo/borders.py``) adds its function to :data:`LINK_CHECKS`; nothing else in
validation needs to change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from corridors.geo import model

#: One problem a check found: ``(property, message, severity)``, severity ``"error"`` or
#: ``"warning"``.
LinkProblem = tuple[str | None, str, str]
#: The checks run on each link: ``check(link, from_node, to_node)`` yields :data:`LinkProblem`.
LinkCheck = Callable[[model.Link, model.Node, model.Node], Iterable[LinkProblem]]
LINK_CHECKS: tuple[LinkCheck, ...] = ()


def link_problems(link: model.Link, a: model.Node, b: model.Node) -> Iterator[LinkProblem]:
    """Run every check of :data:`LINK_CHECKS` on a link between nodes ``a`` and ``b``."""
    for check in LINK_CHECKS:
        yield from check(link, a, b)
