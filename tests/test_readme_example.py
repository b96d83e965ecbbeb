"""The README's example outputs are what the commands print (``tests/readme_blocks.py``).

Every marked block runs on the built-in network, in README order, in one scratch folder (the
"Adding your own links" walk-through makes ``mynet`` there and adds to it), and must equal what
its commands print now, figures included. After a change that moves figures, refresh the README
with ``python -m tests.readme_blocks --update`` and read the prose around the blocks it changed.
"""

from __future__ import annotations

from pathlib import Path

from tests import readme_blocks as rb

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "examples/andkhoy_mazar_railway.geojson"


def test_every_example_block_is_checked_or_excluded_with_a_reason():
    text = rb.README.read_text(encoding="utf-8")
    missing = rb.unmarked(text)
    assert missing == [], f"put <!-- output --> before these blocks, or list them in EXCLUDED: {missing}"
    shown = [line[2:] for line in text.split("\n") if line.startswith("$ ")]
    assert all(command in shown for command in rb.EXCLUDED), "an exclusion no longer in the README"
    assert all(reason for reason in rb.EXCLUDED.values())


def test_the_readme_names_the_shipped_example():
    commands = [c for block in rb.blocks(rb.README.read_text(encoding="utf-8")) for c in block.commands()]
    assert (ROOT / EXAMPLE).is_file()
    assert sum(EXAMPLE in command for command in commands) >= 4
    assert "corridors network init mynet" in commands


def test_the_readme_examples_show_what_the_commands_print(tmp_path):
    text = rb.README.read_text(encoding="utf-8")
    _, diffs = rb.refresh(text, rb.scratch_folder(tmp_path))
    assert not diffs, f"README blocks differ from the commands; run `{rb.UPDATE}`:\n" + "\n".join(diffs)
    # The walk-through's refused second add changed nothing, and the example was merged once.
    merged = (tmp_path / "mynet" / "links" / "andkhoy_mazar_railway.geojson").read_text(encoding="utf-8")
    assert merged.count('"type": "Feature"') == 1


def test_a_changed_figure_is_caught_and_updated(tmp_path):
    printed = rb.execute(
        "corridors route Mombasa Kampala --by cost --network tests/data/eastafrica",
        rb.scratch_folder(tmp_path),
    )
    assert "1,245 km" in printed
    stale = printed.replace("1,245 km", "1,254 km")
    text = "intro\n<!-- output: head=5 -->\n```\n$ corridors route Mombasa Kampala --by cost --network "
    text += "tests/data/eastafrica\n" + stale.rstrip("\n") + "\n```\nafter\n"
    new, diffs = rb.refresh(text, tmp_path)
    assert len(diffs) == 1 and "-" + stale.split("\n")[4] in diffs[0]
    assert new.startswith("intro\n<!-- output: head=5 -->\n```\n$ corridors") and new.endswith("```\nafter\n")
    assert "1,245 km" in new and "1,254 km" not in new
    assert rb.refresh(new, tmp_path)[1] == []


def test_the_filters_leave_out_runs_of_lines_as_one_ellipsis():
    table = [
        "A → B, best by time",
        "",
        " #    distance  time",
        " 1    10 km     1h",
        "    via X, Y,",
        "        Z",
        "    borders P (A→B)",
        " 2    12 km     2h",
        "    via W",
        " 3    14 km     3h",
        "    via V",
        "note: n",
    ]
    assert rb.f_routes(table, "1,-1") == [*table[:7], "    ...", *table[9:]]
    assert rb.f_omit(table, "via,borders") == [
        *table[:4],
        "    ...",
        " 2    12 km     2h",
        "    ...",
        " 3    14 km     3h",
        "    ...",
        "note: n",
    ]
    assert rb.f_keep(table, r"^ 2 |^note") == ["...", " 2    12 km     2h", "    via W", " ...", "note: n"]
    assert rb.f_head(table, "3") == [*table[:3], "..."]
    assert rb.f_head(table, "30") == table
