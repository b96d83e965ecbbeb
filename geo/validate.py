"""Validate GeoJSON features against the network schema and turn them into nodes and links.

Every check reports a :class:`Problem` naming the file, the feature (index and id) and the
property; callers decide whether to stop at errors or list them all.

Features of user files (``--with``, ``corridors validate``, ``corridors add``) are completed
first by :func:`user_features`: a link without ``from``/``to`` snaps its ends to the nearest
node within :data:`SNAP_TOLERANCE_KM`, a feature without ``id`` gets a stable generated one,
and a ``name`` stands in for a missing ``corridor``.

This module is the public face of validation; the work is done by one module per concern:

- :mod:`geo.schema`: the vocabulary, limits and tolerances, and :class:`Problem`;
- :mod:`geo.fields`: typed access to one feature's properties and geometry;
- :mod:`geo.features`: one feature as a node or a link;
- :mod:`geo.checks`: the hook for further checks of each built link (border checks plug in there);
- :mod:`geo.nodeindex`: nodes near a position, and new ids;
- :mod:`geo.userfiles`: the features of user files against a network.
"""

from __future__ import annotations

from corridors.geo.checks import LINK_CHECKS, link_problems
from corridors.geo.features import add_unique, geometry_type, link_from_feature, node_from_feature
from corridors.geo.nodeindex import NodeIndex, UserContext, slugify
from corridors.geo.schema import (
    ENDPOINT_TOLERANCE_KM,
    ISO3_CODES,
    LINK_PROPERTIES,
    MAX_FEATURE_DEPTH,
    MAX_FIGURE,
    MAX_LENGTH_KM,
    MAX_LENGTH_RATIO,
    MAX_PROPERTY_DEPTH,
    MAX_USD_PER_T_KM,
    MIN_LENGTH_RATIO,
    MIN_SPEED_KMH,
    NEAR_DUPLICATE_KM,
    NODE_PROPERTIES,
    SNAP_TOLERANCE_KM,
    TOOL_PROPERTIES,
    Problem,
    brief,
    check_position,
    check_tree,
    unsafe_text,
)
from corridors.geo.schema import ID_RE as _ID_RE
from corridors.geo.userfiles import UserFile, user_features

__all__ = [
    "ENDPOINT_TOLERANCE_KM",
    "ISO3_CODES",
    "LINK_CHECKS",
    "LINK_PROPERTIES",
    "MAX_FEATURE_DEPTH",
    "MAX_FIGURE",
    "MAX_LENGTH_KM",
    "MAX_LENGTH_RATIO",
    "MAX_PROPERTY_DEPTH",
    "MAX_USD_PER_T_KM",
    "MIN_LENGTH_RATIO",
    "MIN_SPEED_KMH",
    "NEAR_DUPLICATE_KM",
    "NODE_PROPERTIES",
    "SNAP_TOLERANCE_KM",
    "TOOL_PROPERTIES",
    "_ID_RE",
    "NodeIndex",
    "Problem",
    "UserContext",
    "UserFile",
    "add_unique",
    "brief",
    "check_position",
    "check_tree",
    "geometry_type",
    "link_from_feature",
    "link_problems",
    "node_from_feature",
    "slugify",
    "unsafe_text",
    "user_features",
]
