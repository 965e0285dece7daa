"""A log kept in UTC by people who work by a clock with summer time: the planner must learn
their local working day and give simulated times back on the log's clock."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calibration.fit.calibrate import calibrate
from calibration.fit.local_clock import find_summer_shift, on_local_clock
from sim.engine import simulate
from sim.eventlog import END, START, EventLog
from sim.summer_time import in_summer, to_local, to_log_clock
from tests.synthetic_logs import event_log

AMSTERDAM = "Europe/Amsterdam"


def office_log(written_in: str, seed: int = 5, days: int = 365) -> EventLog:
    """Cases 'Register' -> 'Approve', each step done 09:00-17:00 Amsterdam time on weekdays,
    written as UTC ('utc') or as the local clock ('local'), both without a zone."""
    rng = np.random.default_rng(seed)
    rows = []
    weekdays = [d for d in pd.date_range("2023-01-02", periods=days, freq="D")
                if d.dayofweek < 5]
    for number in range(900):
        day = weekdays[int(rng.integers(0, len(weekdays) - 3))]
        for step, activity in enumerate(("Register", "Approve")):
            begin = day + pd.Timedelta(days=step) + pd.Timedelta(hours=float(rng.uniform(9, 16)))
            end = begin + pd.Timedelta(minutes=float(rng.uniform(10, 50)))
            rows.append((f"c{number}", activity, begin, end, f"clerk{number % 3}"))
    log = event_log(rows)
    if written_in == "utc":
        for column in (START, END):
            log.events[column] = (log.events[column].dt.tz_localize(AMSTERDAM)
                                  .dt.tz_convert("UTC").dt.tz_localize(None))
    return log


def test_the_european_rule_is_found_in_a_utc_log_and_not_in_a_local_one():
    assert find_summer_shift(office_log("utc")).rule == "EU"
    assert find_summer_shift(office_log("local")) is None


def test_a_log_that_spans_no_summer_has_no_rule():
    winter_only = office_log("utc", days=70)
    assert find_summer_shift(winter_only) is None


def test_the_local_clock_gives_the_working_day_back():
    """The local clock keeps the log's winter time all year, so the working day reads
    08:00-17:00 (09:00-17:00 Amsterdam time, an hour behind it) in both seasons; on the log's
    own clock summer's events run an hour earlier."""
    log = office_log("utc")
    local = on_local_clock(log, "EU").events
    for events, summer_first_hour in ((log.events, 7), (local, 8)):
        begins = events[START]
        summer = in_summer(begins, "EU")
        assert begins[~summer].dt.hour.min() == 8
        assert begins[summer].dt.hour.min() == summer_first_hour


def test_log_clock_and_local_clock_are_inverse_away_from_the_switch_hours():
    times = pd.Series(pd.date_range("2023-01-01", "2024-12-31", freq="7h"))
    back = to_log_clock(pd.DatetimeIndex(to_local(times, "EU")), "EU")
    assert (back == pd.DatetimeIndex(times)).mean() > 0.999
    summer = in_summer(pd.Series(pd.to_datetime(["2023-03-26 00:59", "2023-03-26 01:00",
                                                 "2023-10-29 00:59", "2023-10-29 01:00"])),
                       "EU")
    assert summer.tolist() == [False, True, True, False]


@pytest.mark.parametrize("written_in", ["utc", "local"])
def test_simulated_work_keeps_office_hours_on_the_logs_clock(written_in):
    """Calibrated on the UTC log, the model runs on the local clock: simulated work starts
    at 07:00-15:00 UTC in summer and 08:00-16:00 UTC in winter, as the real work did. The
    log written locally needs no rule and keeps 09:00-17:00 all year."""
    log = office_log(written_in)
    model = calibrate(log).model
    assert model.summer_time == ("EU" if written_in == "utc" else None)
    simulated = simulate(model, days=365, start="2023-01-02", seed=3).log.events
    begins = simulated[START]
    summer = in_summer(begins, "EU")
    hours = begins.dt.hour + begins.dt.minute / 60
    shift = 2 if written_in == "utc" else 0
    # Work starts in the hours of the real working day, with a tolerance of 5% of events for
    # work that spills over a calendar edge.
    assert (hours[summer].between(9 - shift, 17 - shift)).mean() > 0.95
    assert (hours[~summer].between(9 - shift / 2, 17 - shift / 2)).mean() > 0.95
