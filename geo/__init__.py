"""Network data model of corridors: read, validate and measure nodes and links.

`geo` knows no graph library and no map library: it turns GeoJSON files into plain,
validated data (:class:`geo.model.Network`) that `routes` builds graphs from and `maps` draws.
"""
