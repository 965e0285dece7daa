"""The bundled sample: deterministic, realistic, shipped in three styles that all map."""

from __future__ import annotations

import gzip
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from calibration.read import read_log
from calibration.sample import FILES, sample_path, true_params, truth
from calibration.sample.build import d365_table, oracle_table
from calibration.sample.generator import generate
from calibration.writers import csv_bytes
from sim.calendar import WeekCalendar
from sim.eventlog import ACTIVITY, CASE_ID, END, LEAD_SOURCE, OUTCOME, RESOURCE, START
from ui.cli import app


@pytest.fixture(scope="module")
def sample():
    return generate()


def test_same_seed_same_log_other_seed_other_log(sample):
    again = generate()
    pd.testing.assert_frame_equal(sample.events, again.events)
    pd.testing.assert_frame_equal(sample.cases, again.cases)
    other = generate(seed=7)
    assert len(other.events) != len(sample.events) or not other.events.equals(sample.events)


def test_bundled_files_are_what_the_generator_makes(sample):
    d365 = gzip.decompress(sample_path("d365").read_bytes())
    oracle = gzip.decompress(sample_path("oracle").read_bytes())
    assert d365 == csv_bytes(d365_table(sample))
    assert oracle == csv_bytes(oracle_table(sample))
    assert true_params() == json.loads(json.dumps(truth.as_dict()))


def test_size_period_and_every_activity(sample):
    assert 2500 <= sample.n_cases <= 3500
    assert set(sample.events[ACTIVITY]) == set(truth.ACTIVITIES)
    start, end = sample.events[START].min(), sample.events[END].max()
    assert (end - start).days >= 540
    # Cases started before the log window (no Lead Created) and cases still open at its end.
    first = sample.events.groupby(CASE_ID)[ACTIVITY].first()
    assert (first != "Lead Created").sum() > 20
    assert sample.cases[OUTCOME].isna().sum() > 20


def test_the_readme_counts_the_sample_as_the_planner_reads_it(sample_log):
    """The README's figures for the bundled sample are the ones `l2c inspect` and the app
    show for it."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    found = re.search(r"([\d,]+) opportunities \(([\d,]+) activity instances", readme)
    assert found is not None
    cases, events = (int(group.replace(",", "")) for group in found.groups())
    assert (cases, events) == (sample_log.n_cases, sample_log.n_events)


def test_quote_revision_loops_and_losses_at_every_stage(sample):
    quotes = sample.events[sample.events[ACTIVITY] == "Quote Created"].groupby(CASE_ID).size()
    assert (quotes >= 2).sum() > 100 and (quotes >= 3).sum() > 10
    events = sample.events
    before_loss = events.groupby(CASE_ID)[ACTIVITY].shift()[events[ACTIVITY] == truth.LOST]
    expected = {"Lead Created", "Opportunity Created", "First Customer Contact",
                "Solution Proposed", "Quote Created", "Quote Approved", "Quote Accepted"}
    assert expected <= set(before_loss.dropna())
    lost = sample.cases[sample.cases[OUTCOME] == "Lost"]
    assert lost["lost_reason"].notna().all() and lost["lost_reason"].nunique() >= 5


def _share_ci(successes: int, n: int) -> tuple[float, float]:
    p = successes / n
    half = 1.96 * math.sqrt(p * (1 - p) / n)
    return p - half, p + half


def test_lead_sources_win_at_different_rates(sample):
    closed = sample.cases[sample.cases[OUTCOME].notna()]
    won = closed[OUTCOME].eq("Won").groupby(closed[LEAD_SOURCE]).agg(["sum", "count"])
    referral = _share_ci(int(won.loc["Referral", "sum"]), int(won.loc["Referral", "count"]))
    web = _share_ci(int(won.loc["Web", "sum"]), int(won.loc["Web", "count"]))
    assert referral[0] > web[1]  # non-overlapping 95% intervals


def test_staff_work_inside_their_calendars_and_reps_differ(sample):
    events = sample.events
    for pool, members in truth.POOLS.items():
        spec = truth.CALENDARS[pool]
        clock = WeekCalendar.weekdays(spec["start_hour"], spec["end_hour"], spec["days"]).clock
        staffed = [a for a, spec in truth.ACTIVITIES.items() if spec.get("pool") == pool]
        work = events[events[RESOURCE].isin(members) & events[ACTIVITY].isin(staffed)]
        assert len(work) > 500
        origin = pd.Timestamp(truth.LOG_START)
        start = (work[START] - origin).dt.total_seconds().to_numpy()
        end = (work[END] - origin).dt.total_seconds().to_numpy()
        # start inside the calendar: the working clock moves on right after it
        assert np.all(clock.between(start, start + 1) > 0), pool
        # end inside, or at closing time (timestamps are rounded to the second)
        assert np.all(clock.between(end - 1, end + 1) > 0), pool
    processing = (events[END] - events[START]).dt.total_seconds()
    quotes = events[ACTIVITY] == "Quote Created"
    by_rep = processing[quotes].groupby(events.loc[quotes, RESOURCE]).median()
    assert by_rep.max() / by_rep.min() > 1.5


def test_approvers_are_busy_and_payments_are_sometimes_late(sample):
    events = sample.events.copy()
    events["waited"] = (events[START] - events.groupby(CASE_ID)[END].shift()).dt.total_seconds()
    approvals = events[events[ACTIVITY] == "Quote Approved"]
    work = (approvals[END] - approvals[START]).dt.total_seconds()
    # with two approvers some quotes wait longer than an approval takes
    assert (approvals["waited"] > 8 * 3600).mean() > 0.05
    assert work.median() > 3600
    paid = events[events[ACTIVITY] == "Payment Received"].join(sample.cases, on=CASE_ID)
    term_days = np.where(paid["payment_terms"] == "Net 60", 60, 30)
    late = paid["waited"] / 86400 > term_days
    assert 0.2 < late.mean() < 0.5
    assert set(paid["payment_terms"]) == {"Net 30", "Net 60"}


@pytest.mark.parametrize("style", list(FILES))
def test_every_style_maps_automatically_to_the_same_log(style, sample):
    result = read_log(sample_path(style))
    log = result.require_log()
    assert not result.report.errors
    assert log.n_cases == sample.n_cases
    counts = log.events[ACTIVITY].value_counts().sort_index()
    expected = sample.events[ACTIVITY].value_counts().sort_index()
    pd.testing.assert_series_equal(counts, expected, check_names=False)
    assert set(result.mapping) >= {CASE_ID, ACTIVITY, RESOURCE, OUTCOME, LEAD_SOURCE}
    outcomes = log.cases[OUTCOME].value_counts().sort_index()
    pd.testing.assert_series_equal(
        outcomes, sample.cases[OUTCOME].value_counts().sort_index(), check_names=False)


@pytest.mark.parametrize(("style", "name"), [("d365", "s.csv"), ("oracle", "s.csv.gz"),
                                             ("xes", "s.xes.gz")])
def test_cli_sample_writes_a_readable_log(tmp_path, style, name):
    target = tmp_path / name
    result = CliRunner().invoke(app, ["sample", "-o", str(target), "--style", style])
    assert result.exit_code == 0, result.output
    assert read_log(target).require_log().n_cases > 2500
