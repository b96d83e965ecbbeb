"""The layout of a cache entry: the pickle stream, then the arrays' values out of band.

An entry is ``MAGIC``, its seal, the stream, each array's bytes at a multiple of 64, their
table and a footer (see :mod:`routes.cache`). These tests read the file as bytes and check
where the values went, that they load back in place and writable without the file changing,
and that a byte changed or cut anywhere makes the entry unreadable, never an error.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from corridors.geo import columns, io, paths
from corridors.routes import cache, loading, places


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    where = tmp_path / "cache"
    where.mkdir(mode=0o700)
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(where))
    monkeypatch.setattr(cache, "MIN_EDGES", 0)
    return where


def _entry(cache_dir: Path) -> tuple[bytes, np.ndarray]:
    values = np.arange(10_000, dtype=np.float64) * 0.5
    cache.put("k", {"values": values, "ids": ["a", "b"]})
    return cache._path(cache_dir, "k").read_bytes(), values


def test_arrays_go_after_the_stream_aligned_and_come_back_in_place(cache_dir):
    data, values = _entry(cache_dir)
    stream_end, count = struct.unpack("<QQ", data[-16:])
    at, n = struct.unpack("<QQ", data[-16 - 16 * count : -16 - 16 * count + 16])
    assert count == 1 and n == values.nbytes and at % 64 == 0 and at >= stream_end
    assert data[at : at + n] == values.tobytes()  # the values, as bytes, not in the stream
    assert values.tobytes() not in data[:stream_end]
    got = cache.get("k")
    assert np.array_equal(got["values"], values) and got["ids"] == ["a", "b"]
    got["values"][0] = 99.0  # writable, copy-on-write: the file keeps its bytes
    assert cache._path(cache_dir, "k").read_bytes() == data
    assert cache.get("k")["values"][0] == 0.0


@pytest.mark.parametrize("where", ["magic", "stream", "buffer", "table", "footer"])
def test_a_changed_byte_anywhere_makes_the_entry_unreadable(cache_dir, where):
    data, _ = _entry(cache_dir)
    stream_end, count = struct.unpack("<QQ", data[-16:])
    at = {
        "magic": 0,
        "stream": len(cache.MAGIC) + 32 + 5,
        "buffer": stream_end + 64 + 8,
        "table": len(data) - 16 - 16 * count + 1,
        "footer": len(data) - 16,
    }[where]
    changed = bytearray(data)
    changed[at] ^= 0x01
    cache._path(cache_dir, "k").write_bytes(bytes(changed))
    assert cache.get("k") is None


@pytest.mark.parametrize("keep", [0, 10, 60, -1, -17, -40])
def test_a_cut_entry_is_unreadable(cache_dir, keep):
    data, _ = _entry(cache_dir)
    cache._path(cache_dir, "k").write_bytes(data[:keep] if keep >= 0 else data[: len(data) + keep])
    assert cache.get("k") is None


def test_a_cached_network_shares_its_ids_and_reads_names(cache_dir):
    """The arrays of a network stored column by column take their id lists from its columns
    (pickled once, as one string each), its place names load as the sorted index, and the
    parts of its places come made (a scan of a million nodes' columns took seconds)."""
    first = loading.load(paths.builtin_folder(), array_threshold=0)
    again = loading.load(paths.builtin_folder(), array_threshold=0)  # from the cache
    parts = places.parts_index(io.read_network(paths.builtin_folder()))
    assert parts and again.network.parts == parts
    assert again.G.node_ids is again.network.nodes.ids and again.G.link_ids is again.network.links.ids
    assert again.G.node_ids == first.G.node_ids and again.G.link_ids == first.G.link_ids
    assert isinstance(again.network.name_index, places.NameIndex)
    assert dict(again.network.name_index) == dict(first.network.name_index)


@pytest.mark.parametrize("texts", [[], [""], ["a"], ["a", "", "b"], ["x\0y", "z"], ["a", 1]])
def test_joined_ids_split_back_to_the_same_list(texts):
    stored = columns.joined(texts)
    assert columns.split(stored) == texts
    if any("\0" in t for t in texts if isinstance(t, str)) or not all(isinstance(t, str) for t in texts):
        assert stored is texts  # what a separator cannot join stays a list
