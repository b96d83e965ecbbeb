"""Exceptions raised by corridors, with one base class."""

from __future__ import annotations


class CorridorError(Exception):
    """Base class of every error corridors raises on bad input or impossible queries."""


class NetworkDataError(CorridorError):
    """A network file or feature is invalid.

    The message names the file, the feature (index and id) and the property.
    """

    def __init__(self, msg: str, *, problems: list | None = None) -> None:
        super().__init__(msg)
        self.problems = problems or []


class UnknownPlaceError(CorridorError):
    """A place, country or sea given as an endpoint matches nothing in the network."""


class NoRouteError(CorridorError):
    """No route satisfies the query; the message says which constraint cut it off."""


class QueryError(CorridorError):
    """A query option is invalid (an unknown mode, status or objective, a bad month)."""


class FileAccessError(CorridorError):
    """An input is not a regular file or is too large, or an output cannot or must not be written.

    The message names the file the user gave, never a temporary file.
    """
