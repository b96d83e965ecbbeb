"""Built-in network data of corridors: nodes, links, cost defaults and their sources."""
