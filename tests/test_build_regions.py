"""seeds/build_regions.py on small stand-ins for Natural Earth and GeoNames: the same inputs give
the same file byte for byte, Kazakhstan's regions are kept, every region names its sources, and
bad inputs end in one line."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("build_regions", ROOT / "seeds" / "build_regions.py")
build_regions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_regions)

pytest.importorskip("geopandas")


def _square(lon: float, lat: float) -> dict:
    ring = [[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _inputs(tmp_path: Path, *, seat_of_uzb: bool = True) -> tuple[Path, Path, Path]:
    """One unit per rebuilt country, each with a GeoNames seat: by admin-1 code, but Uzbekistan's
    (whose seat carries no code) found inside its outline."""
    units, cities = [], []
    for i, iso3 in enumerate(build_regions.COUNTRIES):
        iso2 = iso3[:2]
        lon, lat = 60.0 + 2 * i, 30.0
        units.append(
            {
                "type": "Feature",
                "properties": {
                    "adm0_a3": iso3,
                    "iso_3166_2": "CN-XJ" if iso3 == "CHN" else f"{iso2}-0{i}",
                    "adm1_code": f"{iso3}-{i}",
                    "name_en": f"Prov {iso3}",
                    "type_en": "Province",
                    "gn_a1_code": f"{iso2}.0{i}",
                },
                "geometry": _square(lon, lat),
            }
        )
        if iso3 == "UZB" and not seat_of_uzb:
            continue
        admin = "" if iso3 == "UZB" else f"0{i}"
        row = [str(1000 + i), f"Seat {iso3}", "", "", f"{lat + 0.5}", f"{lon + 0.5}", "P", "PPLA"]
        row += [iso2, "", admin, "", "", "", "5000", "", "", "", "2020-01-01"]
        cities.append("\t".join(row))
    admin1 = tmp_path / "admin1.geojson"
    admin1.write_text(json.dumps({"type": "FeatureCollection", "features": units}), encoding="utf-8")
    txt = tmp_path / "cities1000.txt"
    txt.write_text("\n".join(cities) + "\n", encoding="utf-8")
    kaz = {
        "type": "Feature",
        "properties": {"id": "almaty_region", "name": "Almaty Region", "country": "KAZ", "source": "x"},
        "geometry": _square(76.0, 43.0),
    }
    out = tmp_path / "regions.geojson"
    out.write_text(json.dumps({"type": "FeatureCollection", "features": [kaz]}), encoding="utf-8")
    return admin1, txt, out


def test_the_same_inputs_give_the_same_file(tmp_path):
    admin1, cities, out = _inputs(tmp_path)
    assert build_regions.main([str(admin1), str(cities), "--out", str(out)]) == 0
    first = out.read_bytes()
    assert build_regions.main([str(admin1), str(cities), "--out", str(out)]) == 0
    assert out.read_bytes() == first
    features = json.loads(first)["features"]
    assert features[0]["properties"]["id"] == "almaty_region"  # Kazakhstan's kept as it was
    rebuilt = {f["properties"]["country"]: f["properties"] for f in features[1:]}
    assert set(rebuilt) == set(build_regions.COUNTRIES)
    assert len({p["id"] for p in rebuilt.values()}) == len(rebuilt)
    for iso3, props in rebuilt.items():
        assert props["centre"] == f"Seat {iso3}"
        assert "Natural Earth" in props["source"] and "GeoNames" in props["source"]
        assert f"adm1_code {iso3}-" in props["source"]
    assert "inside the outline" in rebuilt["UZB"]["source"]
    assert "GeoNames admin-1 code" in rebuilt["PAK"]["source"]


def test_a_unit_without_a_seat_is_one_line_naming_it(tmp_path):
    admin1, cities, out = _inputs(tmp_path, seat_of_uzb=False)
    before = out.read_bytes()
    i = list(build_regions.COUNTRIES).index("UZB")
    with pytest.raises(SystemExit, match=f"^UZB-{i} Prov UZB: no GeoNames seat found$"):
        build_regions.main([str(admin1), str(cities), "--out", str(out)])
    assert out.read_bytes() == before  # nothing half-written


def test_a_missing_input_is_named(tmp_path, capsys):
    _, cities, out = _inputs(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        build_regions.main([str(tmp_path / "nope.geojson"), str(cities), "--out", str(out)])
    assert exit_.value.code == 2
    assert "nope.geojson: no such file" in capsys.readouterr().err


def _rewrite(path: Path, change) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc["features"])
    path.write_text(json.dumps(doc), encoding="utf-8")


def _refused(capsys, admin1: Path, cities: Path, out: Path) -> str:
    """The one line the build stops with (exit status 1), the output left as it was."""
    before = out.read_bytes()
    with pytest.raises(SystemExit) as exit_:
        build_regions.main([str(admin1), str(cities), "--out", str(out)])
    assert out.read_bytes() == before
    message = str(exit_.value.code)
    assert "\n" not in message and "Traceback" not in capsys.readouterr().err
    return message


@pytest.mark.parametrize("prop", ["gn_a1_code", "type_en", "name_en"])
def test_a_unit_without_a_property_is_one_line_naming_file_feature_and_property(tmp_path, capsys, prop):
    admin1, cities, out = _inputs(tmp_path)
    i = list(build_regions.COUNTRIES).index("PAK")
    _rewrite(admin1, lambda units: units[i]["properties"].pop(prop))
    assert _refused(capsys, admin1, cities, out) == f"{admin1}: feature {i} (PAK-{i}): no property {prop!r}"


def test_a_table_without_a_column_is_one_line(tmp_path, capsys):
    admin1, cities, out = _inputs(tmp_path)
    _rewrite(admin1, lambda units: [u["properties"].pop("adm0_a3") for u in units])
    assert _refused(capsys, admin1, cities, out) == f"{admin1}: feature 0: no property 'adm0_a3'"


def test_a_short_geonames_line_is_one_line_naming_it(tmp_path, capsys):
    admin1, cities, out = _inputs(tmp_path)
    lines = cities.read_text(encoding="utf-8").splitlines()
    short = "\t".join(lines[1].split("\t")[:9])
    cities.write_text("\n".join([lines[0], short, *lines[2:]]), encoding="utf-8")
    message = _refused(capsys, admin1, cities, out)
    assert message == f"{cities}: line 2: expected 19 tab-separated columns, got 9"


def test_two_units_that_make_one_region_id_are_refused(tmp_path, capsys):
    admin1, cities, out = _inputs(tmp_path)
    i = list(build_regions.COUNTRIES).index("TJK")

    def twin(units: list) -> None:  # a second Tajik unit of the same name, beside the first
        other = json.loads(json.dumps(units[i]))
        other["properties"]["adm1_code"] = "TJK-99"
        ring = other["geometry"]["coordinates"][0]
        other["geometry"]["coordinates"][0] = [[x + 0.5, y + 2] for x, y in ring]
        units.append(other)

    _rewrite(admin1, twin)
    last = len(build_regions.COUNTRIES)
    message = _refused(capsys, admin1, cities, out)
    assert message == (
        f"{admin1}: feature {last} (TJK-99): property 'id': 'tjk_prov_tjk_region' (made from name_en) "
        f"also names feature {i} (TJK-{i})"
    )


def test_a_repeated_id_in_the_file_rewritten_is_refused(tmp_path, capsys):
    admin1, cities, out = _inputs(tmp_path)
    _rewrite(out, lambda features: features.append(json.loads(json.dumps(features[0]))))
    message = _refused(capsys, admin1, cities, out)
    assert message == f"{out}: feature 1: property 'id': 'almaty_region' also names feature 0"


def test_a_seat_the_extract_predates_is_replaced_with_its_source():
    """Amir Timur -> Nurafshon (the extract's own record of Tŭytepa), Annau -> Arkadag (not in it)."""
    tuytepa = {"id": 1512524, "name": "Tŭytepa", "code": "PPL", "lon": 69.36, "lat": 41.03}
    amir_timur = {"id": 1514027, "name": "Amir Timur", "code": "PPLA", "lon": 68.94, "lat": 41.02}
    seat, how = build_regions.seat_now(amir_timur, "GeoNames admin-1 code", {1512524: tuytepa})
    assert (seat["name"], seat["id"], seat["lon"], seat["lat"]) == ("Nurafshon", 1512524, 69.36, 41.03)
    assert "Amir Timur, geonameid 1514027" in how and "khovar.tj" in how
    annau = {"id": 162199, "name": "Annau", "code": "PPLA", "lon": 58.52, "lat": 37.89}
    seat, how = build_regions.seat_now(annau, "GeoNames admin-1 code", {})
    assert (seat["name"], seat["id"], seat["lon"], seat["lat"]) == ("Arkadag", None, 58.0669, 38.0664)
    assert "Annau" in how and "openstreetmap" in how
    other = {"id": 1000, "name": "Seat UZB", "code": "PPLA", "lon": 60.5, "lat": 30.5}
    assert build_regions.seat_now(other, "inside the outline", {}) == (other, "inside the outline")
