"""The index of place names equals the one made name by name, for shared names and aliases too."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from corridors.geo import columns, io, model, paths
from corridors.routes import places

DATA = Path(__file__).parent / "data"


def _by_sets(network) -> dict:
    """The index as the place search defines it: every normalised id, name and alias -> its ids."""
    index: dict[str, set[str]] = {}
    for node in network.nodes.values():
        for name in (node.id, node.name, *node.aliases):
            index.setdefault(places.normalize(name), set()).add(node.id)
    return {k: next(iter(v)) if len(v) == 1 else tuple(sorted(v)) for k, v in index.items()}


@pytest.mark.parametrize("folder", [paths.builtin_folder(), DATA / "eastafrica", DATA / "region"])
def test_name_index_of_each_network(folder):
    network = io.read_network(folder)
    assert places.name_index(network) == _by_sets(network)


def test_shared_names_and_aliases_list_every_place_once():
    network = io.read_network(DATA / "region")
    nodes = dict(network.nodes)
    first, second, *_ = nodes.values()
    nodes[first.id] = dataclasses.replace(first, name="Bandar-e Abbās", aliases=("Twin", first.id.upper()))
    nodes[second.id] = dataclasses.replace(second, name="bandar e abbas", aliases=("TWIN", "twin"))
    network.nodes = nodes
    index = places.name_index(network)
    assert index == _by_sets(network)
    assert index["bandar e abbas"] == index["twin"] == tuple(sorted((first.id, second.id)))
    assert index[places.normalize(first.id)] == first.id  # its id and an alias alike: once


def test_sorted_name_index_answers_as_the_dict():
    """The compact index of a network stored column by column gives every key the same nodes
    (shared names included), knows no other key, and does so again after a pickle round trip
    (the cache entry)."""
    network = io.read_network(paths.builtin_folder())
    expected = _by_sets(network)
    shared = [k for k, v in expected.items() if type(v) is tuple]
    assert shared  # names that several places share: their tuples are kept apart
    nodes = columns.Columns(model.Node, network.nodes.values())
    index = places.NameIndex(places.name_index(network), nodes)
    again = pickle.loads(pickle.dumps(index))
    for found in (index, again):
        assert dict(found) == expected and len(found) == len(expected)
        assert "no such place" not in found and found.get("zzzz") is None and found.get("a") is None
        assert list(found) == sorted(expected)
        assert found[shared[0]] == expected[shared[0]]


def test_names_in_other_scripts_are_keys_of_their_own():
    """Cyrillic aliases are found by themselves (they once folded to the empty key, and a query
    in Cyrillic was refused as an empty name)."""
    from corridors.routes import api

    network = io.read_network(paths.builtin_folder())
    index = places.name_index(network)
    assert "" not in index
    cyrillic = [(a, n.id) for n in network.nodes.values() for a in n.aliases if "\u0400" <= a[0] <= "\u04ff"]
    assert cyrillic  # the built-in network has some: the test can fail
    for alias, node_id in cyrillic:
        assert index[places.normalize(alias)] == node_id
    alias, node_id = cyrillic[0]
    assert api.plan(alias.upper(), "Karachi").routes[0].steps[0].from_id == node_id


@pytest.mark.parametrize(
    "text, key",
    [
        ("Bandar-e Abbās", "bandar e abbas"),
        ("Qon'ırat", "qon irat"),  # dotless i folds to i
        ("Oʻzbekiston", "o zbekiston"),  # a modifier letter apostrophe separates, as ' does
        ("O'zbekiston", "o zbekiston"),
        ("İstanbul", "istanbul"),
        ("МЕРКІ", "меркі"),
        ("--", ""),
    ],
)
def test_normalize(text, key):
    assert places.normalize(text) == key
