"""Decode a GeoJSON FeatureCollection one feature at a time, with the standard JSON decoder.

``json.loads`` of a file of a million features holds the whole tree of Python objects at once,
about five times the size of the file. :func:`walk` reads the collection's top level itself and
decodes each feature with ``json.JSONDecoder.raw_decode`` (the same C scanner), handing it on
before the next is decoded, so that the caller can keep what it needs and drop the rest.

It reads only the plain form of a collection: an object whose ``features`` is an array, each
member once. Anything else (a syntax error, a NaN, a duplicate member, ``features`` that is not
an array) raises :class:`Unexpected`, and the caller parses the whole text as before, which
says exactly what is wrong.
"""

from __future__ import annotations

import json
import json.scanner
import re
from collections.abc import Callable
from typing import Any

_SPACE = re.compile(r"[ \t\n\r]*")
_SPACES = frozenset(" \t\n\r")
#: Stands for the streamed features among the members returned by :func:`walk`.
FEATURES = object()


class Unexpected(Exception):
    """The text is not a plain FeatureCollection: parse it whole to say why."""


def walk(text: str, on_feature: Callable[[Any], None], parse_constant: Callable[[str], Any]) -> dict:
    """Call ``on_feature`` with each element of the top-level ``features`` array, in order.

    Returns the top-level members, ``features`` standing as :data:`FEATURES`. ``parse_constant``
    is as for ``json.loads`` (NaN, Infinity). Raises :class:`Unexpected` where the text is not
    what a plain collection holds.
    """
    decode = json.JSONDecoder(parse_constant=parse_constant).raw_decode
    scan = json.scanner.make_scanner(json.JSONDecoder(parse_constant=parse_constant))
    space = _SPACE.match
    members: dict[str, Any] = {}
    try:
        pos = space(text, 0).end()
        if text[pos : pos + 1] != "{":
            raise Unexpected
        pos = space(text, pos + 1).end()
        while True:
            if text[pos : pos + 1] != '"':
                raise Unexpected
            key, pos = decode(text, pos)
            pos = space(text, pos).end()
            if text[pos : pos + 1] != ":" or key in members:
                raise Unexpected
            pos = space(text, pos + 1).end()
            if key == "features":
                pos = _features(text, pos, scan, space, on_feature)
                members[key] = FEATURES
            else:
                members[key], pos = decode(text, pos)
            pos = space(text, pos).end()
            mark = text[pos : pos + 1]
            pos = space(text, pos + 1).end()
            if mark == "}":
                break
            if mark != ",":
                raise Unexpected
        if pos != len(text) or "features" not in members:
            raise Unexpected
    except (ValueError, RecursionError, StopIteration, IndexError) as err:  # JSONDecodeError: a ValueError
        raise Unexpected from err
    return members


def _features(text: str, pos: int, scan, space, on_feature: Callable[[Any], None]) -> int:
    """Decode the array at ``pos`` element by element; the position after it.

    ``scan`` is the decoder's scanner (``raw_decode`` without its wrapper): a million calls.
    """
    if text[pos : pos + 1] != "[":
        raise Unexpected
    pos = space(text, pos + 1).end()
    if text[pos : pos + 1] == "]":
        return pos + 1
    while True:
        feature, pos = scan(text, pos)
        on_feature(feature)
        mark = text[pos]
        if mark in _SPACES:
            pos = space(text, pos).end()
            mark = text[pos]
        pos += 1
        if mark == ",":
            if text[pos] in _SPACES:
                pos = space(text, pos).end()
        elif mark == "]":
            return pos
        else:
            raise Unexpected
