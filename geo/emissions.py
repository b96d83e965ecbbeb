"""Read the ``[co2e]`` tables of ``costs.toml``: well-to-wheel emission factors by mode.

A network folder without ``[co2e]`` (an older copy of the network, a test fixture) takes the
built-in network's factors, so that every step still carries its emissions and their source.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from corridors.geo import model, paths
from corridors.geo.errors import NetworkDataError

Table = Callable[[str, Any, Iterable[str]], dict]
Factors = tuple[dict[str, model.Emission], dict[str, tuple[float, str]]]
_MIX = ("electric_share", "grid_kg_co2e_per_kwh")


def read(data: dict, table: Table, file: str) -> Factors:
    """The emission factors by mode and the per-tonne emissions of transfers by kind."""
    section = data.get("co2e")
    if section is None:
        return _builtin()
    if not isinstance(section, dict):
        msg = f"{file}: [co2e] is not a table"
        raise NetworkDataError(msg)
    modes = {}
    for mode in model.MODES:
        t = table(f"co2e.{mode}", section.get(mode), ["kg_co2e_per_t_km"])
        electric = t.get("electric")
        kwh, kwh_source = None, ""
        if electric is not None:
            e = table(f"co2e.{mode}.electric", electric, ["kwh_per_t_km"])
            kwh, kwh_source = float(e["kwh_per_t_km"]), e["source"]
        by_country = {}
        for iso3, mix in (t.get("country") or {}).items():
            by_country[iso3] = table(f"co2e.{mode}.country.{iso3}", mix, _MIX)
            if not 0 <= float(mix["electric_share"]) <= 1:
                msg = f"{file}: [co2e.{mode}.country.{iso3}] electric_share: expected 0-1"
                raise NetworkDataError(msg)
            if kwh is None:
                msg = f"{file}: [co2e.{mode}.country.{iso3}] needs [co2e.{mode}.electric] kwh_per_t_km"
                raise NetworkDataError(msg)
        modes[mode] = model.Emission(float(t["kg_co2e_per_t_km"]), t["source"], kwh, kwh_source, by_country)
    transfers = {}
    for kind in model.TRANSFER_KINDS:
        t = table(f"co2e.transfer.{kind}", (section.get("transfer") or {}).get(kind), ["kg_co2e_per_t"])
        transfers[kind] = (float(t["kg_co2e_per_t"]), t["source"])
    return modes, transfers


@functools.lru_cache(maxsize=1)
def _builtin() -> Factors:
    from corridors.geo import costfile

    costs = costfile.read_costs(Path(paths.builtin_folder()) / "costs.toml")
    return costs.co2e, costs.co2e_transfer
