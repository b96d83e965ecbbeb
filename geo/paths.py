"""Where network data lives: the built-in folder and the files of a network folder.

Kept apart from :mod:`geo.io` so that finding files (for a cache key, say) needs no parser.
"""

from __future__ import annotations

import os
from pathlib import Path

from corridors.geo.errors import NetworkDataError

#: What the files of a network folder may be: GeoJSON, GeoPackage or GeoParquet (in this order
#: of preference for ``nodes``).
NETWORK_SUFFIXES = (".geojson", ".gpkg", ".parquet")
#: While ``corridors add`` writes a network folder, its staged files and journal live here.
PENDING_DIR = ".corridors-add"


def builtin_folder() -> Path:
    """The folder of the built-in network shipped with the package."""
    from corridors import seeds

    return Path(seeds.__file__).parent


def network_files(folder: str | Path) -> tuple[Path, list[Path], Path]:
    """The nodes file, link files and costs file of a network folder.

    The nodes file is ``nodes.geojson``, ``nodes.gpkg`` or ``nodes.parquet``; the link files are
    the GeoJSON, GeoPackage and GeoParquet files of ``links/``.
    """
    folder = Path(folder)
    nodes = next((p for p in (folder / f"nodes{s}" for s in NETWORK_SUFFIXES) if p.is_file()), None)
    nodes = nodes or folder / "nodes.geojson"
    costs = folder / "costs.toml"
    for path in (nodes, costs):
        if not path.is_file():
            what = "is not a regular file" if os.path.lexists(path) else "is missing"
            msg = f"{folder}: not a network folder: {path.name} {what}"
            raise NetworkDataError(msg)
    if (folder / PENDING_DIR).exists():
        msg = (
            f"{folder}: a `corridors add` is writing this folder or was interrupted ({PENDING_DIR} "
            f"exists): wait for it to finish, or run `corridors add --recover --network {folder}`"
        )
        raise NetworkDataError(msg)
    where = folder / "links"
    links = sorted(p for s in NETWORK_SUFFIXES for p in where.glob(f"*{s}")) if where.is_dir() else []
    return nodes, links, costs
