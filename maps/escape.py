"""Escape text from data before it reaches a page: the one place that does."""

from __future__ import annotations

import html

_LINKABLE = ("http://", "https://")


def text(value: object) -> str:
    """Return `value` as HTML text, with markup characters escaped.

    Every string that comes from data (names, ids, corridors, notes, sources) passes
    through here before it is put into a tooltip, popup, layer name or legend.

    Parameters
    ----------
    value
        Any value; it is converted with ``str``.

    Returns
    -------
    str
        Text safe to place in HTML content and in quoted attribute values.
    """
    return html.escape(str(value), quote=True)


def link(value: object) -> str:
    """Return `value` as escaped HTML, as a link if it is an http(s) URL.

    Parameters
    ----------
    value
        A source: a URL or a citation.

    Returns
    -------
    str
        An ``<a>`` element for http and https URLs (any other scheme, such as
        ``javascript:``, stays plain text), escaped text otherwise.
    """
    source = str(value).strip()
    if source.lower().startswith(_LINKABLE) and not any(c.isspace() for c in source):
        url = text(source)
        return f'<a href="{url}" target="_blank" rel="noopener noreferrer">{url}</a>'
    return text(source)
