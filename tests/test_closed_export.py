"""A log that holds finished cases only (a closed-opportunities export) is told from a
snapshot and from a process that sped up, and the holdout then compares only the simulated
cases that finished by the end of the log, as the export kept only the real ones that had."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from calibration.evaluate import evaluate_log
from calibration.evaluate.closed_export import closed_export
from calibration.evaluate.run import EvaluateOptions, simulate_window
from calibration.evaluate.split import split_log
from calibration.evaluate.window import comparison_window
from calibration.fit.calibrate import CalibrationOptions, calibrate
from sim.eventlog import ACTIVITY, CASE_ID
from sim.model import ProcessModel
from tests.synthetic_logs import event_log

BEGIN = pd.Timestamp("2024-01-01")
DAYS = 200
PER_DAY = 10
MEAN_DAYS = 10.0  # exponential case durations


def cases(seed: int = 5, fast_from: float | None = None) -> list[tuple[str, pd.Timestamp, float]]:
    """(case id, start, duration in days) of every case begun in the period (Poisson
    arrivals, exponential durations; from day ``fast_from`` on, cases take an hour)."""
    rng = np.random.default_rng(seed)
    found = []
    for day in range(DAYS):
        for k in range(int(rng.poisson(PER_DAY))):
            offset = day + float(rng.uniform(0, 1))
            days = (1 / 24 if fast_from is not None and offset >= fast_from
                    else float(rng.exponential(MEAN_DAYS)))
            found.append((f"{day}-{k}", BEGIN + pd.Timedelta(days=offset), days))
    return found


def export(found: list[tuple[str, pd.Timestamp, float]], closed_only: bool):
    """The log taken at the end of the period: an open case shows its first step only; a
    closed-cases export leaves it out."""
    end = BEGIN + pd.Timedelta(days=DAYS)
    rows = []
    for case, start, days in found:
        close = start + pd.Timedelta(days=days)
        if close > end and closed_only:
            continue
        rows.append((case, "Open", start, start + pd.Timedelta(minutes=10)))
        if close <= end:
            rows.append((case, "Close", close, close + pd.Timedelta(minutes=10)))
    return event_log(rows)


def test_a_snapshot_is_not_taken_for_a_closed_export():
    assert closed_export(export(cases(), closed_only=False)) is None


def test_a_log_of_finished_cases_only_is_told():
    found = closed_export(export(cases(), closed_only=True))
    assert found is not None and found.open_cases == 0
    # a snapshot would show about recent x (mean / horizon) open: a third or more here
    assert found.expected_open > found.recent_cases / 4
    assert "finished cases only" in found.note().text


def test_a_process_that_sped_up_is_not_taken_for_a_closed_export():
    """Its latest cases all finished, but as many began as before: nothing was left out."""
    assert closed_export(export(cases(fast_from=DAYS - 40), closed_only=False)) is None


@pytest.fixture(scope="module")
def closed_holdout():
    log = export(cases(), closed_only=True)
    holdout = split_log(log, split=0.7)
    model = calibrate(holdout.train, options=CalibrationOptions()).model
    return holdout, every_case_closes(model)


def every_case_closes(model: ProcessModel) -> ProcessModel:
    """``model`` with 'Close' after every 'Open', as in the log. Learned from the earlier
    70%, it ends 2 of the 1,015 cases it saw after 'Open' there (0.2%: some 2 or 3 of the
    cases two replications compare), and such a case is finished, though without 'Close'
    no log can tell it from one still open: the test below counts the open ones by 'Close'."""
    routing = model.routing
    opened = routing.branches["Open"].model_copy(update={"pooled": {"Close": 1.0}})
    return model.model_copy(update={"routing": routing.model_copy(
        update={"branches": {**routing.branches, "Open": opened}})})


def unfinished(logs) -> int:
    """Simulated cases in ``logs`` that never closed."""
    return sum(int((~log.events.groupby(CASE_ID)[ACTIVITY].agg(
        lambda a: "Close" in set(a))).sum()) for log in logs)


def test_the_holdout_compares_only_finished_simulated_cases(closed_holdout):
    holdout, model = closed_holdout
    window = comparison_window(holdout)
    assert window.closed is not None
    opts = EvaluateOptions(reps=2, seed=1, n_jobs=1)
    kept, _, _ = simulate_window(model, window, opts, False, kpis=False)
    assert unfinished(kept) == 0
    snapshot, _, _ = simulate_window(model, replace(window, closed=None), opts, False,
                                     kpis=False)
    assert unfinished(snapshot) > 0  # without the rule, open cases are compared


def test_the_holdout_report_names_a_closed_export_in_its_context():
    report = evaluate_log(export(cases(), closed_only=True), split=0.7, reps=2, n_jobs=1)
    assert [note.key for note in report.context] == ["closed_export"]
    assert report.context[0].text in report.notes
    assert report.to_dict()["context"][0]["key"] == "closed_export"
    snapshot = evaluate_log(export(cases(), closed_only=False), split=0.7, reps=2, n_jobs=1)
    assert snapshot.context == []
