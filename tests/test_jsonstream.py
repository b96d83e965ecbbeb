"""Link files decoded one feature at a time: the same features, and the same problems, as parsed whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridors.geo import geojson, io, jsonstream, paths

DATA = Path(__file__).parent / "data"
NAMES = ("tiny", "region", "projects", "ranges", "eastafrica")
FOLDERS = [paths.builtin_folder(), *(DATA / n for n in NAMES)]
POINT = {"type": "Point", "coordinates": [1.5, 2]}
FEATURE = {"type": "Feature", "geometry": POINT, "properties": {"id": "a"}}


def _walk(text: str) -> tuple[dict, list]:
    got: list = []
    members = jsonstream.walk(text, got.append, lambda name: pytest.fail(name))
    return members, got


@pytest.mark.parametrize(
    "text",
    [
        '{"type":"FeatureCollection","features":[%s,%s]}',
        ' \n{ "features" : [ %s ,\n %s ] , "type": "FeatureCollection", "name": {"x": [1]} }\r\n',
        '{"features":[\n%s\n,%s\n]\t,"type":"FeatureCollection"}',
    ],
)
def test_walk_decodes_the_features_json_decodes(text):
    other = {**FEATURE, "properties": {"id": "b", "n": 10**30, "t": 'é\\u00e9"', "x": -0.0}}
    text = text % (json.dumps(FEATURE), json.dumps(other))
    members, got = _walk(text)
    whole = json.loads(text)
    assert got == whole["features"]
    assert {k: v for k, v in members.items() if k != "features"} == {
        k: v for k, v in whole.items() if k != "features"
    }
    assert _walk('{"features": [], "type": "FeatureCollection"}')[1] == []


@pytest.mark.parametrize(
    "text",
    [
        '{"type":"FeatureCollection","features":[{"type":"Feature"},]}',  # a trailing comma
        '{"type":"FeatureCollection","features":[{"type":"Feature"}]',  # cut off
        '{"type":"FeatureCollection","features":[{"type":"Feature"}]} {}',  # two documents
        '{"type":"FeatureCollection","features":[],"features":[]}',  # last one wins in json
        '{"type":"FeatureCollection","features":{}}',
        '{"type":"FeatureCollection"}',
        '[{"type":"Feature"}]',
        '{"type":"FeatureCollection","features":[{"n": NaN}]}',
        '{"type":"FeatureCollection","features":[{"n": 1}; {}]}',
    ],
)
def test_walk_leaves_anything_else_to_the_whole_parse(text):
    def constant(name):
        raise jsonstream.Unexpected

    with pytest.raises(jsonstream.Unexpected):
        jsonstream.walk(text, lambda feature: None, constant)


BAD = [
    b'{"type":"FeatureCollection","features":[%s, {"type":"Feature","properties":{"id":"x","n":NaN}}]}',
    b'{"type":"FeatureCollection","features":[%s, 7, {"type": "Fea"}]}',
    b'{"type":"FeatureCollection","features":[%s, {"type":"Feature","properties":{"id":"x","t":"\\ud800"}}]}',
    b'{"type":"FeatureCollection","features":[%s,]}',
    b'{"type":"Topology","features":[%s]}',
    b'{"type":"FeatureCollection","crs":{"properties":{"name":"EPSG:3857"}},"features":[%s]}',
    b'{"type":"FeatureCollection","features":[%s],"bbox":[1, 2, NaN]}',
    b'{"type":"FeatureCollection","features":[%s],"features":7}',
]


@pytest.fixture
def stream_all(monkeypatch):
    """Every text decoded a feature at a time, however short."""
    monkeypatch.setattr(geojson, "STREAM_MIN_CHARS", 0)


@pytest.mark.parametrize("doc", BAD)
def test_problems_are_told_as_when_parsed_whole(doc, tmp_path, stream_all):
    raw = doc.replace(b"%s", json.dumps(FEATURE).encode())
    whole: list = []
    streamed: list = []
    converted: list = []
    assert geojson.load_geojson(tmp_path / "x.geojson", whole, raw=raw) is None
    got = geojson.load_geojson(
        tmp_path / "x.geojson", streamed, raw=raw, convert=lambda c, i: converted.append(i) or c
    )
    assert got is None
    assert whole and streamed == whole


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_networks_read_the_same_streamed_in_small_chunks(folder, monkeypatch, stream_all):
    whole_read = io.read_network(folder)
    monkeypatch.setattr(geojson, "CHUNK", 3)
    starts: list = []
    original = io._plain_links

    def counted(file, nodes, costs):
        convert = original(file, nodes, costs)
        return lambda chunk, start: starts.append(start) or convert(chunk, start)

    monkeypatch.setattr(io, "_plain_links", counted)
    streamed = io.read_network(folder)
    assert starts and all(start % 3 == 0 for start in starts)  # each file's features, 3 at a time
    assert list(streamed.nodes.items()) == list(whole_read.nodes.items())
    assert list(streamed.links.items()) == list(whole_read.links.items())
    monkeypatch.setattr(io, "_plain_links", lambda *args: None)  # every file parsed whole
    assert list(io.read_network(folder).links.items()) == list(streamed.links.items())


def test_a_short_text_is_parsed_whole(tmp_path, monkeypatch):
    raw = b'{"type":"FeatureCollection","features":[%s]}' % json.dumps(FEATURE).encode()
    converted: list = []
    monkeypatch.setattr(geojson, "STREAM_MIN_CHARS", len(raw) + 1)
    got = geojson.load_geojson(
        tmp_path / "x.geojson", [], raw=raw, convert=lambda c, i: converted.append(i) or c
    )
    assert got == [FEATURE] and converted == []
    monkeypatch.setattr(geojson, "STREAM_MIN_CHARS", len(raw))
    got = geojson.load_geojson(
        tmp_path / "x.geojson", [], raw=raw, convert=lambda c, i: converted.append(i) or c
    )
    assert got == [FEATURE] and converted == [0]
