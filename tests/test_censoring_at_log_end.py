"""What the end of a log hides: cases dropped because they had not finished, and waits still
running when it was taken. Calibration must learn the process, not the cut."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit.arrivals import ArrivalFitter
from calibration.fit.calibrate import calibrate
from calibration.fit.prepared import prepare
from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, START, EventLog

DAY = 86400.0
ORIGIN = pd.Timestamp("2024-01-01")


def two_step_log(per_day: float, days: float, median_wait_days: float, sigma: float,
                 keep: str, seed: int) -> tuple[EventLog, int]:
    """Cases 'Open' -> 'Close' arriving at ``per_day`` for ``days``; the wait between the two
    is lognormal. The log is taken at ``days``: ``keep`` 'finished' drops the cases not
    closed by then, 'all' keeps them with their 'Open' only. Returns the log and how many
    cases arrived."""
    rng = np.random.default_rng(seed)
    starts = np.sort(rng.uniform(0, days, rng.poisson(per_day * days))) * DAY
    closes = starts + rng.lognormal(np.log(median_wait_days * DAY), sigma, len(starts))
    taken = days * DAY
    rows = []
    for number, (opened, closed) in enumerate(zip(starts, closes, strict=True)):
        if closed > taken and keep == "finished":
            continue
        rows.append((f"c{number}", "Open", opened))
        if closed <= taken:
            rows.append((f"c{number}", "Close", closed))
    events = pd.DataFrame(rows, columns=[CASE_ID, ACTIVITY, START])
    events[START] = ORIGIN + pd.to_timedelta(events[START], unit="s")
    events[END] = events[START]
    cases = pd.DataFrame(index=pd.Index(events[CASE_ID].unique(), name=CASE_ID))
    return EventLog(events.sort_values([CASE_ID, START]).reset_index(drop=True), cases), len(
        starts)


def weekly_rate(log: EventLog) -> tuple[float, ArrivalFitter]:
    fitted = ArrivalFitter().fit(prepare(log))
    return sum(map(sum, fitted.arrivals_.hourly_rate)), fitted


def test_a_log_of_finished_cases_only_still_gives_the_true_arrival_rate():
    """70 cases a week for 200 days, each open for a lognormal time (median 20 days): kept
    only if closed by the end, a sixth of the cases are missing, nearly all from the last
    months. Counted naively that is 15% too few arrivals and a falling trend; the thinning
    is recognised and the rate comes out right (within 4 standard errors of a Poisson count,
    about 9%), without a trend."""
    log, arrived = two_step_log(10.0, 200.0, 20.0, 0.8, keep="finished", seed=3)
    assert log.n_cases < 0.9 * arrived
    rate, fitted = weekly_rate(log)
    counted = arrived * (fitted.thinning_.count_until / DAY) / 200.0 if fitted.thinning_ else 0
    assert fitted.thinning_ is not None
    assert fitted.trend_ == 0.0
    assert abs(rate / 70.0 - 1) < 4 / np.sqrt(counted)


def test_a_full_export_is_not_taken_for_a_thinned_one():
    """The same process exported with its open cases: nothing is missing, no correction."""
    log, arrived = two_step_log(10.0, 200.0, 20.0, 0.8, keep="all", seed=3)
    rate, fitted = weekly_rate(log)
    assert fitted.thinning_ is None
    assert abs(rate / 70.0 - 1) < 4 / np.sqrt(arrived)


def test_a_shrinking_business_that_keeps_its_open_cases_is_not_taken_for_a_thinned_log():
    """Ten new cases a day for 300 days, then one a day for 100: the last months look like
    a finished-only export's, but the log keeps its open cases (an 'Open' not yet closed),
    so its arrivals are read as they are."""
    rng = np.random.default_rng(2)
    starts = np.r_[np.sort(rng.uniform(0, 300, 3000)), np.sort(rng.uniform(300, 400, 100))]
    closes = starts + rng.lognormal(np.log(20.0), 0.8, len(starts))
    rows = [(f"c{k}", "Open", opened * DAY) for k, opened in enumerate(starts)]
    rows += [(f"c{k}", "Close", closed * DAY) for k, closed in enumerate(closes) if closed <= 400]
    events = pd.DataFrame(rows, columns=[CASE_ID, ACTIVITY, START])
    events[START] = ORIGIN + pd.to_timedelta(events[START], unit="s")
    events[END] = events[START]
    cases = pd.DataFrame(index=pd.Index(events[CASE_ID].unique(), name=CASE_ID))
    _, fitted = weekly_rate(EventLog(events.sort_values([CASE_ID, START]).reset_index(
        drop=True), cases))
    assert fitted.thinning_ is None


def test_a_step_is_judged_only_once_the_log_ran_long_enough_after_it():
    """After 'Open' the log saw 192 waits of a day and 8 of a month, and 60 cases have been
    waiting 20 days and are still open. Only the waits seen, 95% of them take a day; with
    the ones still running, more than a fifth take 20 days or more. So an 'Open' of 5 days
    ago has not yet shown what follows it (its quick 'Close' one hour later would teach that
    closing is quick), while one of 40 days ago has."""
    rows = [(f"a{k}", "Open", k * 0.1) for k in range(200)]
    rows += [(f"a{k}", "Close", k * 0.1 + (30 if k < 8 else 1)) for k in range(200)]
    rows += [(f"w{k}", "Open", 40.0 + k * 0.01) for k in range(60)]
    rows += [(f"q{k}", "Open", 55.0 + k * 0.01) for k in range(10)]
    rows += [(f"q{k}", "Close", 55.0 + k * 0.01 + 1 / 24) for k in range(10)]
    rows += [(f"r{k}", "Open", 20.0 + k * 0.01) for k in range(10)]
    rows += [(f"r{k}", "Close", 20.0 + k * 0.01 + 1) for k in range(10)]
    rows += [("z", "Open", 60.0)]
    events = pd.DataFrame(rows, columns=[CASE_ID, ACTIVITY, START])
    events[START] = ORIGIN + pd.to_timedelta(events[START], unit="D")
    events[END] = events[START]
    cases = pd.DataFrame(index=pd.Index(events[CASE_ID].unique(), name=CASE_ID))
    prepared = prepare(EventLog(events.sort_values([CASE_ID, START]).reset_index(drop=True),
                                cases))
    opened = pd.Series(prepared.settled, index=prepared.events[CASE_ID].to_numpy())[
        prepared.activity == prepared.activities.index("Open")]
    assert not opened[[f"q{k}" for k in range(10)]].any()  # 5 days before the end
    assert opened[[f"r{k}" for k in range(10)]].all()  # 40 days before the end


def test_staffed_waits_are_in_working_time_also_where_no_member_is_named():
    """'Approve' is done by a team on weekdays 09:00-17:00, the morning after 'Request'
    (16:30): about two working hours, sixteen on the clock. Where the log names no approver
    the wait is the same, so the learned wait must not change when a third of the
    approvals lose their approver's name (within 10% at the median and the 90th
    percentile)."""
    rng = np.random.default_rng(2)
    rows = []
    for number in range(300):
        day = ORIGIN + pd.Timedelta(days=7 * (number // 5) + number % 4)  # Mon-Thu
        asked = day + pd.Timedelta(hours=16.5)
        approved = day + pd.Timedelta(days=1, hours=9 + rng.uniform(0, 3))
        member = f"approver {number % 4}"
        rows += [(f"c{number}", "Request", asked, asked, None),
                 (f"c{number}", "Approve", approved, approved + pd.Timedelta(hours=1), member),
                 (f"c{number}", "File", approved + pd.Timedelta(hours=2, minutes=30),
                  approved + pd.Timedelta(hours=4), member)]
    events = pd.DataFrame(rows, columns=[CASE_ID, ACTIVITY, START, END, RESOURCE])
    cases = pd.DataFrame(index=pd.Index(events[CASE_ID].unique(), name=CASE_ID))
    named = calibrate(EventLog(events, cases)).model.activities["Approve"].delay
    unnamed = events.copy()
    unnamed.loc[unnamed.index[unnamed[ACTIVITY] == "Approve"][::3], RESOURCE] = None
    partly = calibrate(EventLog(unnamed, cases)).model.activities["Approve"].delay
    for q in (0.5, 0.9):
        assert abs(partly.quantile(q) / named.quantile(q) - 1) < 0.1, (q, partly.quantile(q))
