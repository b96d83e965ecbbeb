"""Built-in links, one GeoJSON file per corridor or project."""
