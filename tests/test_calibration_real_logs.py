"""Calibration runs on real public logs nobody here wrote, and what it finds makes sense.

The logs live in the shared data folder next to the repository; where it is absent the
tests say so and skip.
"""

from __future__ import annotations

import pytest

from calibration.fit.calibrate import calibrate
from sim.model import END
from tests.bundled import real_log, real_log_path


def fitted(name: str):
    return calibrate(real_log(name), real_log_path(name))


def assert_routes_sum_to_one(model) -> None:
    for branch in model.routing.branches.values():
        assert sum(branch.pooled.values()) == pytest.approx(1.0)


def test_production_xes_with_lifecycle_events():
    calibration = fitted("Production.xes.gz")
    model = calibration.model
    assert model.provenance.cases == 225
    assert len(model.activities) >= 20
    assert model.pools, "machines and operators form pools"
    assert all(a.pool for a in model.activities.values() if a.kind == "staffed")
    # machines overlap work items now and then (batches), never as a fixed parallel block:
    # reported, not turned into a block every work order would run
    assert any("overlapping work" in note for note in calibration.notes)
    assert model.routing.parallel == {}
    assert_routes_sum_to_one(model)


def test_bpic_2017_work_items_with_start_and_end():
    model = fitted("BPIC_2017_W.csv.gz").model
    assert model.provenance.cases > 15_000  # the cases begun since the process changed
    validation = model.pools[model.activities["W_Validate application"].pool]
    assert validation.size > 10
    weekdays = [len(hours) for hours in validation.calendar.full_hours[:5]]
    assert min(weekdays) >= 6  # office days are worked, Sundays are not (only now and then)
    assert validation.calendar.full_hours[6] == ()
    # 'W_Validate application' is done far less from July 2016: the model learns from then
    assert model.provenance.period_start.startswith("2016-07")
    assert model.arrivals.trend_per_month < 0  # fewer new cases each month from July
    # the export holds the cases opened until early January 2017, with events until February:
    # arrivals are learned until the last new case, not until the log's end
    assert model.arrivals.trend_until < "2017-01-10"
    assert_routes_sum_to_one(model)


def test_road_traffic_fines_with_dates_only():
    calibration = fitted("Road_Traffic_Fine_Management_Process.parquet")
    model = calibration.model
    assert model.pools == {}  # no time of day: nobody can be seen keeping office hours
    assert any("dates only" in note for note in calibration.notes)
    payment = model.routing.branches["Payment"]
    assert END in payment.pooled
    # fines seen at a step in the log's last weeks may still move on (open); a fine left
    # at a step for longer than nearly every wait seen after it has stopped there
    assert 500 < model.provenance.open_cases < 5_000
    assert_routes_sum_to_one(model)
