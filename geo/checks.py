"""Checks of user files that look at the network as a whole: ``part_of``, border jumps.

Called once, after the features of the user files are read (:func:`geo.validate.user_features`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from corridors.geo import model, parts
from corridors.geo.validate import Problem, UserFile


def check_user_files(
    files: Sequence[UserFile], nodes: Mapping[str, model.Node], problems: list[Problem]
) -> None:
    """Record the problems of the user files' ``part_of`` and of links that jump a border."""
    parts.check_parts(nodes, problems, items=[item for uf in files for item in uf.nodes])
