"""Trips reported by their dates: the span they may have taken, and the checks on the columns."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from benchmarks import calibrate


def _write(path, **changes):
    """A one-trip file: the Karachi–Tashkent TIR pilot with ``changes`` to its columns."""
    row = dict.fromkeys(calibrate.COLUMNS, "")
    row.update(
        id="t",
        origin="Karachi",
        destination="Tashkent",
        modes="road",
        year="2021",
        source_url="https://example.org",
        departed="2021-04-29",
        arrived="2021-05-04",
    )
    row.update(changes)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=calibrate.COLUMNS)
        w.writeheader()
        w.writerow(row)
    return path


def test_a_trip_by_its_dates_took_a_day_less_to_a_day_more(tmp_path):
    (trip,) = calibrate.read_trips(_write(tmp_path / "t.csv"))
    # 29 April to 4 May: 1 + 30 April, then 1-4 May = 5 calendar days.
    assert trip.departed == dt.date(2021, 4, 29) and trip.date_days == 5
    assert trip.reported_h == 120
    assert trip.reported_range_h == (96, 144)


def test_inside_means_the_model_range_overlaps_the_span_of_the_dates(tmp_path):
    (trip,) = calibrate.read_trips(_write(tmp_path / "t.csv"))
    inside = calibrate.Result(trip, low_h=140, central_h=180, high_h=300)  # overlaps 96-144 h
    outside = calibrate.Result(trip, low_h=145, central_h=180, high_h=300)
    below = calibrate.Result(trip, low_h=40, central_h=60, high_h=95)
    assert inside.inside and not outside.inside and not below.inside
    # The ratio compares with the days between the dates, 120 h.
    assert inside.ratio == pytest.approx(1.5)


def test_a_single_figure_is_inside_only_between_the_ends(tmp_path):
    (trip,) = calibrate.read_trips(_write(tmp_path / "t.csv", departed="", arrived="", days_reported="5"))
    assert trip.reported_range_h is None
    assert calibrate.Result(trip, low_h=100, central_h=130, high_h=120).inside
    assert not calibrate.Result(trip, low_h=121, central_h=130, high_h=200).inside


def test_a_reported_range_beside_a_figure_counts_as_the_range(tmp_path):
    (trip,) = calibrate.read_trips(
        _write(tmp_path / "t.csv", departed="", arrived="", days_reported="25", days_low="20", days_high="30")
    )
    assert trip.reported_h == 600 and trip.reported_range_h == (480, 720)
    assert calibrate.Result(trip, low_h=100, central_h=300, high_h=500).inside
    assert not calibrate.Result(trip, low_h=100, central_h=300, high_h=470).inside


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"arrived": ""}, "departed, arrived: expected both dates or neither"),
        ({"arrived": "2021-04-28"}, "arrived: 2021-04-28 is before departed 2021-04-29"),
        ({"departed": "29/04/2021"}, "departed: expected a date YYYY-MM-DD, got '29/04/2021'"),
        ({"days_low": "4", "days_high": "6"}, "days_low, days_high: expected blank beside dates"),
        ({"days_reported": "6"}, "days_reported: 6 disagrees with the dates (5 days)"),
        ({"departed": "", "arrived": ""}, "gives no time"),
    ],
)
def test_a_trip_whose_time_columns_disagree_is_refused_by_name(tmp_path, changes, message):
    path = _write(tmp_path / "t.csv", **changes)
    with pytest.raises(ValueError, match="trip 't'") as err:
        calibrate.read_trips(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_the_trips_file_gives_each_dated_trip_the_days_of_its_dates():
    trips = {t.id: t for t in calibrate.read_trips()}
    dated = {k: t.date_days for k, t in trips.items() if t.date_days is not None}
    assert dated["pk-uz-road-karachi-tashkent-2021"] == 5
    assert dated["cn-pk-road-kashgar-gwadar-2016"] == 14  # 29 Oct - 12 Nov 2016
    assert dated["kz-ae-road-sea-pavlodar-jebel-ali-2024"] == 37  # 27 Apr - 3 Jun 2024
    assert all(trips[k].departed.year == trips[k].year for k in dated)
