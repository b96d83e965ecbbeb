"""GeoPackage and GeoParquet network folders and files read as their GeoJSON twins, faults included."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from corridors.geo import io
from corridors.geo.errors import NetworkDataError

geopandas = pytest.importorskip("geopandas")

DATA = Path(__file__).parent / "data"
WRITERS = {
    ".gpkg": lambda frame, path: frame.to_file(path, driver="GPKG"),
    ".parquet": lambda frame, path: frame.to_parquet(path),
}


def _frame(path: Path, crs: int = 4326):
    """A GeoDataFrame of a GeoJSON file, lists and objects kept as JSON text (as a table keeps them)."""
    frame = geopandas.GeoDataFrame.from_features(json.loads(path.read_text())["features"], crs=4326)
    for column in frame.columns:
        if column != "geometry" and frame[column].dtype == object:
            frame[column] = [json.dumps(v) if isinstance(v, list | dict) else v for v in frame[column]]
    return frame.to_crs(crs)


def _twin(folder: Path, dest: Path, suffix: str) -> Path:
    """The network folder ``folder`` with its GeoJSON files written as ``suffix`` tables."""
    (dest / "links").mkdir(parents=True)
    shutil.copy(folder / "costs.toml", dest)
    WRITERS[suffix](_frame(folder / "nodes.geojson"), dest / f"nodes{suffix}")
    for f in sorted((folder / "links").glob("*.geojson")):
        WRITERS[suffix](_frame(f), dest / "links" / f"{f.stem}{suffix}")
    return dest


def _plain(item) -> dict:
    return {**dataclasses.asdict(item), "file": Path(item.file).stem}


def _edit(folder: Path, dest: Path, file: str, index: int, **props) -> Path:
    shutil.copytree(folder, dest)
    data = json.loads((dest / file).read_text())
    data["features"][index]["properties"].update(props)
    (dest / file).write_text(json.dumps(data))
    return dest


def _problems(folder: Path, extra=()) -> list[str]:
    with pytest.raises(NetworkDataError) as err:
        io.read_network(folder, extra=extra)
    return [str(p).replace(".gpkg", ".geojson").replace(".parquet", ".geojson") for p in err.value.problems]


@pytest.mark.parametrize("suffix", WRITERS)
@pytest.mark.parametrize("name", ["tiny", "region"])
def test_table_folders_read_as_their_geojson_twins(tmp_path, suffix, name):
    geojson = io.read_network(DATA / name)
    table = io.read_network(_twin(DATA / name, tmp_path / name, suffix))
    assert table.files[0].endswith(f"nodes{suffix}")
    assert sorted(map(_plain, table.nodes.values()), key=str) == sorted(
        map(_plain, geojson.nodes.values()), key=str
    )
    assert sorted(map(_plain, table.links.values()), key=str) == sorted(
        map(_plain, geojson.links.values()), key=str
    )


@pytest.mark.parametrize("suffix", WRITERS)
def test_a_bad_feature_is_named_as_in_its_geojson_twin(tmp_path, suffix):
    bad = _edit(DATA / "tiny", tmp_path / "bad", "links/tiny.geojson", 2, mode="railway", length_km=-4)
    twin = _twin(bad, tmp_path / "twin", suffix)
    expected = _problems(bad)
    assert any("feature 2" in p and "'mode'" in p and "did you mean 'rail'" in p for p in expected)
    assert _problems(twin) == [p.replace(str(bad), str(twin)) for p in expected]


@pytest.mark.parametrize("suffix", WRITERS)
def test_user_files_may_be_tables(tmp_path, suffix):
    user = DATA / "user" / "kurram_crossing.geojson"
    WRITERS[suffix](_frame(user), tmp_path / f"kurram{suffix}")
    net = DATA / "region"
    try:
        expected = [_plain(x) for x in io.read_network(net, extra=[user]).links.values()]
    except NetworkDataError as err:  # the file may not fit this network: then the same problems
        assert _problems(net, [tmp_path / f"kurram{suffix}"]) == [
            str(p).replace(str(user), str(tmp_path / "kurram.geojson")) for p in err.problems
        ]
        return
    got = [_plain(x) for x in io.read_network(net, extra=[tmp_path / f"kurram{suffix}"]).links.values()]
    assert [{**x, "file": ""} for x in got] == [{**x, "file": ""} for x in expected]


def test_a_projected_table_is_refused_as_a_projected_geojson_is(tmp_path):
    dest = _twin(DATA / "tiny", tmp_path / "net", ".gpkg")
    WRITERS[".gpkg"](_frame(DATA / "tiny" / "nodes.geojson", crs=3857), dest / "nodes.gpkg")
    (problem,) = _problems(dest)
    assert "nodes.geojson: 'crs' is 'EPSG:3857'" in problem
    assert "reproject the file to EPSG:4326" in problem


def test_an_unreadable_table_is_one_problem(tmp_path):
    dest = _twin(DATA / "tiny", tmp_path / "net", ".parquet")
    (dest / "links" / "broken.parquet").write_bytes(b"not parquet at all")
    (problem,) = _problems(dest)
    assert problem.startswith(str(dest / "links" / "broken.geojson") + ": cannot read GeoParquet file")
