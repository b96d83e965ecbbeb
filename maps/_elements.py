"""Leaflet elements that carry data text safely, and the map's shared furniture.

folium's own Tooltip and Popup put their text into JavaScript template literals
(and Popup parses it with jQuery), so ``${...}``, backticks and ``</script>`` in data
break out of them. These elements pass content with Jinja's ``tojson`` instead: a JSON
string, with ``<``, ``>``, ``&`` and ``'`` written as ``\\u`` escapes. The content is
HTML that `maps.labels` has already escaped.
"""

from __future__ import annotations

from typing import Any, TypeVar

import folium
from branca.element import MacroElement
from jinja2 import Template

from corridors.maps import legend, style

Vector = TypeVar("Vector", folium.PolyLine, folium.CircleMarker)


class Tooltip(MacroElement):
    """A tooltip bound to its parent layer; `content` is trusted (escaped) HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindTooltip({{ this.content|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str, *, sticky: bool = True) -> None:
        super().__init__()
        self._name = "CorridorsTooltip"
        self.content = content
        self.options = {"sticky": sticky, "className": "corridors-tooltip"}


class Popup(MacroElement):
    """A popup bound to its parent layer; `content` is trusted (escaped) HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindPopup({{ this.content|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str, *, max_width: int = 460, max_height: int = 420) -> None:
        super().__init__()
        self._name = "CorridorsPopup"
        self.content = content
        self.options = {"maxWidth": max_width, "maxHeight": max_height, "className": "corridors-popup"}


class Legend(MacroElement):
    """A Leaflet control listing what the map draws, one section per title."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
            div.innerHTML = {{ this.content()|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, position: str = "bottomleft") -> None:
        super().__init__()
        self._name = "CorridorsLegend"
        self.position = position
        self.css = style.PAGE_CSS
        self.css_class = legend.CSS_CLASS
        self.sections: dict[str, str] = {}
        self.statuses: set[str] = set()

    def content(self) -> str:
        """Return the legend's HTML: its sections in the order added, in a collapsible box."""
        return f"<details open><summary>Legend</summary>{''.join(self.sections.values())}</details>"


def attach(layer: MacroElement, tooltip: str, popup: str | None = None, *, sticky: bool = True) -> None:
    """Bind a tooltip (following the mouse if `sticky`) and a popup to `layer`."""
    layer.add_child(Tooltip(tooltip, sticky=sticky))
    if popup is not None:
        layer.add_child(Popup(popup))


def in_pane(layer: Vector, pane: str) -> Vector:
    """Draw the vector `layer` in the Leaflet pane named `pane` and return it.

    folium's ``path_options`` drops Leaflet's ``pane`` option, so it is set on the
    rendered options directly.
    """
    layer.options["pane"] = pane
    return layer


def ensure_pane(m: folium.Map, name: str, z_index: int) -> None:
    """Create the pane `name` on `m` unless an earlier call created it."""
    for child in m._children.values():
        if isinstance(child, folium.map.CustomPane) and child.name == name:
            return
    m.add_child(folium.map.CustomPane(name, z_index=z_index, pointer_events=True))


def legend_of(m: folium.Map) -> Legend:
    """Return the map's legend, adding one if the map has none."""
    for child in m._children.values():
        if isinstance(child, Legend):
            return child
    found = Legend()
    m.add_child(found)
    return found


def layer_control_last(m: folium.Map, **options: Any) -> None:
    """Make a LayerControl the last child of `m`, keeping an existing one.

    folium lists a map's layers when the control renders, and the control's script
    must come after theirs; maps drawn in turns on one map (``m=``) add layers after
    the first control, so the control is moved to the end each time.
    """
    for name, child in list(m._children.items()):
        if isinstance(child, folium.LayerControl):
            del m._children[name]
            m.add_child(child, name=name)
            return
    m.add_child(folium.LayerControl(**options))
