"""Calibration parts on small hand-made logs whose right answers are known by construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calibration.fit.calibrate import CalibrationOptions, calibrate
from calibration.fit.prepared import prepare
from calibration.fit.waiting import ready_delays
from sim.calendar import WeekCalendar
from sim.errors import PlannerError
from sim.eventlog import ACTIVITY, CASE_ID, END, OUTCOME, RESOURCE, START, EventLog
from sim.model import END as END_OF_CASE

MONDAY = pd.Timestamp("2024-01-01")


def make_log(rows: list[tuple[str, str, float, float, str | None]],
             outcomes: dict[str, str] | None = None) -> EventLog:
    """rows: case, activity, start hour, end hour (hours since Monday 2024-01-01), resource."""
    events = pd.DataFrame(rows, columns=[CASE_ID, ACTIVITY, START, END, RESOURCE])
    for column in (START, END):
        events[column] = MONDAY + pd.to_timedelta(events[column], unit="h")
    events = events.sort_values([CASE_ID, START, END], kind="stable").reset_index(drop=True)
    cases = pd.DataFrame(index=pd.Index(events[CASE_ID].unique(), name=CASE_ID))
    cases[OUTCOME] = pd.Series(outcomes or {}, dtype=object)
    return EventLog(events, cases)


def test_parallel_block_is_found_and_routes_from_the_lead():
    rows = []
    for k in range(30):  # X, then A and B at the same time, then C
        base = 24 * 7 * (k // 5) + 24 * (k % 5) + 9
        case = f"p{k:02d}"
        rows += [(case, "X", base, base, "sys"), (case, "A", base + 1, base + 3, "ann"),
                 (case, "B", base + 1.5, base + 2.5, "bob"), (case, "C", base + 4, base + 4,
                                                               "sys")]
    for k in range(10):  # sometimes B runs alone, after X
        base = 24 * 7 * 8 + 24 * (k % 5) + 9 + 7 * 24 * (k // 5)
        case = f"s{k:02d}"
        rows += [(case, "X", base, base, "sys"), (case, "B", base + 1, base + 2, "bob"),
                 (case, "C", base + 3, base + 3, "sys")]
    rows.append(("late", "C", 24 * 7 * 20, 24 * 7 * 20, "sys"))  # every step above settled
    model = calibrate(make_log(rows)).model
    assert model.routing.parallel == {"A": ("B",)}
    assert model.routing.branches["A"].pooled == {"C": 1.0}
    # B routes only where it ran on its own
    assert model.routing.branches["B"].observations == 10
    assert model.routing.branches["X"].pooled == pytest.approx({"A": 0.75, "B": 0.25})


def test_occasional_overlaps_are_not_blocks():
    rows = []
    for k in range(40):
        base = 24 * 7 * (k // 5) + 24 * (k % 5) + 9
        overlap = 0.5 if k % 4 == 0 else 2.5  # one case in four overlaps
        rows += [(f"c{k}", "A", base, base + 2, "ann"),
                 (f"c{k}", "B", base + overlap, base + overlap + 1, "bob")]
    model = calibrate(make_log(rows)).model
    assert model.routing.parallel == {}
    assert model.routing.branches["A"].pooled == {"B": 1.0}


def test_open_cases_do_not_count_as_ending():
    rows = []
    for k in range(20):
        base = 24 * 7 * k + 9
        rows += [(f"c{k}", "A", base, base, None), (f"c{k}", "B", base + 5, base + 5, None)]
    for k in range(20):  # cases that stopped after A, week after week
        base = 24 * 7 * k + 33
        rows += [(f"d{k}", "A", base, base, None)]
    for k in range(3):  # cases done A in the log's last hours: B may still come
        rows += [(f"e{k}", "A", 24 * 7 * 20 + k, 24 * 7 * 20 + k, None)]
    outcomes = {f"c{k}": "Won" for k in range(20)}
    model = calibrate(make_log(rows, outcomes)).model
    # B always came 5 h after A: a case left at A for a week stopped there, while the
    # cases seen at A in the last hours are open and say nothing about what follows A.
    branch = model.routing.branches["A"]
    assert branch.observations == 40
    assert branch.pooled == pytest.approx({"B": 0.5, END_OF_CASE: 0.5})
    assert model.routing.branches["B"].pooled == {END_OF_CASE: 1.0}


def test_queueing_for_a_busy_person_is_not_counted_as_delay():
    clock = WeekCalendar.always().clock
    # one clerk; three cases ready at 0 (exact delay 0), queue behind each other
    start = np.array([0.0, 3600.0, 7200.0, 20000.0])
    end = np.array([3600.0, 7200.0, 10800.0, 21000.0])
    prev_end = np.array([0.0, 0.0, 0.0, 15000.0])
    lower, upper = ready_delays(start, end, prev_end, np.array(["c"] * 4), clock)
    np.testing.assert_allclose(upper, [0, 3600, 7200, 5000])
    np.testing.assert_allclose(lower, [0, 0, 0, 5000])  # queued: ready before the spell began
    # with a second clerk idle the whole time, waiting cannot be queueing: delay is exact
    lower2, upper2 = ready_delays(np.r_[start, 50000.0], np.r_[end, 50001.0],
                                  np.r_[prev_end, 49000.0], np.array(["c"] * 4 + ["d"]),
                                  clock)
    np.testing.assert_allclose(lower2[:4], upper2[:4])


def test_unknown_attribute_option_is_explained():
    rows = [(f"c{k}", "A", 24 * k + 9, 24 * k + 10, "ann") for k in range(10)]
    log = make_log(rows)
    log.cases["region"] = "North"
    with pytest.raises(PlannerError, match=r"'regoin' is not in this log\. Did you mean 'region'"):
        calibrate(log, options=CalibrationOptions(attributes=("regoin",)))


def test_dates_only_log_has_no_staffed_work():
    rows = [(f"c{k}", act, 24 * (k + i), 24 * (k + i), "clerk")
            for k in range(40) for i, act in enumerate(("A", "B", "C"))]
    prepared = prepare(make_log(rows))
    assert prepared.dates_only
    model = calibrate(make_log(rows)).model
    assert model.pools == {}
    assert all(a.kind != "staffed" for a in model.activities.values())


def test_a_missing_attribute_value_routes_as_a_value_of_its_own():
    rows, channel = [], {}
    for k in range(60):  # fines paid at once have no notification channel; the others do
        base = 24 * k + 9
        notified = k % 3 != 0
        channel[f"f{k}"] = ("post" if k % 2 else "pec") if notified else None
        rows += [(f"f{k}", "Create", base, base, None),
                 (f"f{k}", "Notify" if notified else "Pay", base + 5, base + 5, None)]
    rows.append(("late", "Pay", 24 * 200, 24 * 200, None))  # every step above settled
    log = make_log(rows)
    log.cases["channel"] = pd.Series(channel, dtype=object)
    branch = calibrate(log, options=CalibrationOptions(attributes=("channel",))).model \
        .routing.branches["Create"]
    assert branch.conditioned_on == "channel"
    assert branch.table_observations == {"(none)": 20, "pec": 20, "post": 20}
    # shrunk towards the pooled 2:1 by 20 / (20 + 20): 1/2 + 1/2 * 1/3 of the other path
    assert branch.options(1, {"channel": None})["Pay"] == pytest.approx(0.5 + 0.5 / 3)
    assert branch.options(1, {"channel": float("nan")}) == branch.options(1, {"channel": None})
    assert branch.options(1, {"channel": "post"})["Notify"] == pytest.approx(0.5 + 0.5 * 2 / 3)


def test_next_activity_follows_the_path_before():
    """A -> B -> C and D -> B -> E: after B the case goes where its path says, so the
    model conditions B's branch on the activity before it and the simulation keeps the
    two paths apart (no A -> B -> E)."""
    from sim.engine import simulate

    rows = []
    for k in range(80):
        base = 24 * 3.5 * k + 9
        first, last = ("A", "C") if k % 2 == 0 else ("D", "E")
        rows += [(f"c{k}", first, base, base + 1, None), (f"c{k}", "B", base + 2, base + 3, None),
                 (f"c{k}", last, base + 4, base + 5, None)]
    model = calibrate(make_log(rows)).model
    branch = model.routing.branches["B"]
    assert branch.conditioned_on == "previous"
    assert branch.table["A"]["C"] > 0.98 and branch.table["D"]["E"] > 0.98
    events = simulate(model, cases=400, seed=3).log.events
    paths = events.groupby(CASE_ID)[ACTIVITY].agg("".join).value_counts(normalize=True)
    mixed = paths.reindex(["ABE", "DBC"], fill_value=0.0).sum()
    # Witten-Bell backoff leaves 1 / (40 + 1) / 2 of mixing per path: about 5 cases of 400
    assert mixed < 0.04
    assert paths.reindex(["ABC", "DBE"], fill_value=0.0).sum() > 0.95


def test_a_wait_that_depends_on_the_step_before_is_learned_per_step():
    """B comes 1 h after A but 30 h after C: one delay for B would give every case the
    mixture, so the model keeps a delay per previous activity and the simulation waits
    the right one (medians within 20%, from 200 cases per path)."""
    from sim.engine import simulate

    rows = []
    for k in range(160):
        base = 24 * 3.5 * k
        first, wait = ("A", 1.0) if k % 2 == 0 else ("C", 30.0)
        wait *= 1 + 0.2 * np.sin(k)  # not all alike
        rows += [(f"c{k}", first, base, base, None), (f"c{k}", "B", base + wait, base + wait, None)]
    model = calibrate(make_log(rows)).model
    by = model.activities["B"].delay_by
    assert by is not None and by.attribute == "previous"
    assert by.values["C"].quantile(0.5) > 10 * by.values["A"].quantile(0.5)
    events = simulate(model, cases=400, seed=5).log.events
    events = events.sort_values([CASE_ID, START])
    before = events.groupby(CASE_ID)[ACTIVITY].transform("first")
    waits = events.groupby(CASE_ID)[START].diff().dt.total_seconds() / 3600
    for first, hours in (("A", 1.0), ("C", 30.0)):
        median = waits[(events[ACTIVITY] == "B") & (before == first)].median()
        assert abs(median / hours - 1) < 0.2, (first, median)
