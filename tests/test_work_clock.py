"""Work runs at the worker's pace in every open hour, however seldom the hour is worked:
only waits pass slowly through a rare hour. A ten-minute call made at 19:00 takes ten
minutes, in the calendar, in calibration and in the simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.calibrate import calibrate
from sim.calendar import HOUR, WeekCalendar
from sim.engine import simulate
from sim.eventlog import ACTIVITY, END, START
from tests.synthetic_logs import event_log

EVENING = 19


def evening_calendar() -> WeekCalendar:
    """Mon-Fri 09:00-17:00 in full, and 19:00-20:00 now and then (a twentieth of it)."""
    hours = tuple((*range(9, 17), EVENING) if d < 5 else () for d in range(7))
    weights = [0.0] * 168
    for d in range(5):
        for h in range(9, 17):
            weights[d * 24 + h] = 1.0
        weights[d * 24 + EVENING] = 0.05
    return WeekCalendar(hours=hours, weights=tuple(weights))


def test_work_in_a_rare_hour_runs_at_full_pace_and_waits_slowly():
    calendar = evening_calendar()
    monday_evening = EVENING * HOUR
    assert calendar.work_clock.advance(monday_evening, 600.0) == monday_evening + 600.0
    assert calendar.clock.advance(monday_evening, 600.0) > monday_evening + 3 * HOUR


def office_log(seed: int = 2, days: int = 120) -> pd.DataFrame:
    """Calls of about ten minutes by three people in office hours, each after an 'Open' by
    the system half an hour before."""
    rng = np.random.default_rng(seed)
    rows = []
    begin = pd.Timestamp("2024-01-01")  # a Monday
    for day in range(days):
        date = begin + pd.Timedelta(days=day)
        if date.dayofweek >= 5:
            continue
        for k in range(12):
            start = date + pd.Timedelta(hours=float(rng.uniform(9.5, 16.5)))
            work = pd.Timedelta(minutes=float(rng.exponential(10.0)))
            case = f"{day}-{k}"
            opened = start - pd.Timedelta(minutes=30)
            rows += [(case, "Open", opened, opened, "system"),
                     (case, "Call", start, start + work, f"agent {k % 3}")]
    return event_log(rows)


def test_calls_in_seldom_worked_hours_take_as_long_as_the_work():
    """The people work every office hour only one time in twenty: calls wait longer to be
    picked up, but once picked up take their ten minutes, not 200 (the median and the
    90th percentile of some 450 calls are known to about 10%)."""
    model = calibrate(office_log()).model
    pool = model.activities["Call"].pool
    assert pool is not None
    hours = tuple(tuple(range(9, 17)) if d < 5 else () for d in range(7))
    rare = WeekCalendar(hours=hours, weights=tuple(
        0.05 if d < 5 and 9 <= h < 17 else 0.0 for d in range(7) for h in range(24)))
    rarely = model.model_copy(update={"pools": {
        name: p.model_copy(update={"calendar": rare}) if name == pool else p
        for name, p in model.pools.items()}})
    simulated = simulate(rarely, seed=3, days=60).log.events
    calls = simulated[simulated[ACTIVITY] == "Call"]
    work = model.activities["Call"].processing
    assert work is not None
    assert len(calls) > 200
    minutes = worked_minutes(calls, rare)
    for share in (0.5, 0.9):
        expected = work.quantile(share) / 60
        assert abs(np.quantile(minutes, share) - expected) < 0.25 * expected, share


def worked_minutes(tasks: pd.DataFrame, calendar: WeekCalendar) -> np.ndarray:
    """Each task's open minutes from its start to its end, every open hour in full: its
    work, whether or not it ran past closing time (about 2% of the calls begin just
    before it and end the next working day, which would lift the P90 of their clock
    times by some 7%, more in a run whose arrivals bunch up late in the day)."""
    clock = calendar.work_clock
    first = tasks[START].min()
    monday = first.normalize() - pd.Timedelta(days=first.dayofweek)  # the clock's week
    start, end = ((tasks[column] - monday).dt.total_seconds().to_numpy()
                  for column in (START, END))
    return (clock.working(end) - clock.working(start)) / 60
