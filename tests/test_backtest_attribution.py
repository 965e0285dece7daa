"""Where a backtest's error comes from: the parts add up to the error, and on changes whose
cause is known (a step added after the change; a scenario that describes the injected
change too weakly) the largest part names that cause."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from calibration.evaluate.attribution import SPANS, middle, step_sums
from calibration.evaluate.backtest import Backtest, backtest
from calibration.sample import truth
from calibration.sample.generator import ChangedDelay, generate
from scenarios.load import parse_scenario
from sim.eventlog import ACTIVITY, CASE_ID, END, START, EventLog
from sim.kpi_roles import ActivityRoles
from sim.kpis.catalogue import BY_KIND
from sim.kpis.compute import measure
from sim.kpis.durations import case_bounds, span_bounds
from sim.kpis.observed import observe
from tests.test_backtest import CHANGE, FASTER, approvals
from ui.cli import app
from ui.export_backtest import table
from ui.render_backtest import html_report

CHECK_DAYS = 1.0  # the new step's mean wait (exponential)
WEAKER = ("name: Signature a little faster\nchanges:\n"
          "  - delay: {activity: Contract Signed, scale: 0.9}\n")


def with_legal_check(seed: int = 5) -> tuple[EventLog, int]:
    """``approvals()`` where every case begun after the change also waits for a new
    'Legal check' (exponential, a day on average) between 'Approve' and 'Close', and the
    number of such cases."""
    log = approvals()
    events = log.events.copy()
    rng = np.random.default_rng(seed)
    first = events.groupby(CASE_ID)[START].transform("min")
    later = sorted(events.loc[first >= pd.Timestamp(CHANGE), CASE_ID].unique())
    waits = pd.to_timedelta(rng.exponential(CHECK_DAYS, len(later)), unit="D")
    wait_of = dict(zip(later, waits, strict=True))
    approved = events[events[CASE_ID].isin(later) & (events[ACTIVITY] == "Approve")]
    checks = approved.assign(**{ACTIVITY: "Legal check", "resource": None})
    checks[START] = checks[END] + checks[CASE_ID].map(wait_of)
    checks[END] = checks[START]
    closing = events[CASE_ID].isin(later) & (events[ACTIVITY] == "Close")
    shift = events.loc[closing, CASE_ID].map(wait_of)
    events.loc[closing, START] += shift
    events.loc[closing, END] += shift
    both = pd.concat([events, checks], ignore_index=True)
    return EventLog(both, log.cases, name="approvals"), len(later)


@pytest.fixture(scope="module")
def legal() -> tuple[Backtest, int]:
    log, later = with_legal_check()
    return backtest(log, parse_scenario(FASTER), CHANGE, reps=3, n_jobs=1), later


def test_the_steps_add_up_to_each_duration_and_frequency(sample_log: EventLog) -> None:
    """Per duration KPI, the waits and work of its steps sum to the mean of the spans
    about its median (its central tenth, 100 at least), parallel work counted once; per
    activity, the transitions into it sum to its occurrences per case."""
    obs = observe(sample_log.events, sample_log.cases,
                  sample_log.roles or ActivityRoles.default())
    kpis = {r.id: r for r in measure(obs) if r.group is None and r.available}
    sums = step_sums(obs)
    spans = {kind: span_bounds(obs, BY_KIND[kind]) for kind in SPANS if kind in kpis}
    bounds = {"case_duration": case_bounds(obs)} | {
        kind: found for kind, found in spans.items() if not isinstance(found, str)}
    assert "contract_time" in bounds and len(bounds) > 5
    for kpi, (since, until, observed) in bounds.items():
        length = (until - since)[observed]
        low, high = np.quantile(length, middle(len(length)))
        central = length[(length >= low) & (length <= high)]
        total = sum(v for (k, _, q), v in sums.time.items() if k == kpi and q != "n")
        assert total == pytest.approx(central.mean(), rel=1e-9), kpi
        assert low <= kpis[kpi].value <= high  # the median among them
    for kpi, result in kpis.items():
        if kpi.startswith("frequency:") and result.item is not None:
            target = "to:" + result.item
            into = sum(v for key, v in sums.into.items() if key[1] == target)
            assert into == pytest.approx(result.value, rel=1e-9), kpi


def test_a_step_the_model_does_not_have_is_named_with_what_it_adds(legal) -> None:
    """A day's legal check added after the change, which a scenario cannot add: the case
    duration is missed, its parts add up to the error, and the largest part is that step,
    four fifths of the error at least (the model has the other steps right; the cases
    about the median differ a little between the two sides), and more than
    half a day short (the cases about the median wait about the median of the check's
    wait, ln 2 = 0.69 days, plus the other steps' few hours)."""
    result, _ = legal
    row = next(r for r in result.rows if r.kpi == "case_duration")
    assert row.missed and row.attribution is not None
    parts = row.attribution.parts
    assert sum(p.value for p in parts) == pytest.approx(row.attribution.error, abs=1e-9)
    top = parts[0]
    assert (top.cause, top.activity) == ("missing_step", "Legal check"), parts
    assert top.value < -0.5 * CHECK_DAYS, top
    assert abs(top.value - row.attribution.error) < 0.2 * abs(row.attribution.error)
    assert all(r.attribution is None for r in result.rows if not r.missed)


def test_a_scenario_too_weak_for_the_injected_change_is_missed_on_its_own_step() -> None:
    """The sample with e-signature from month 12 (the wait for the signature 60% shorter),
    backtested with a scenario that shortens it by only 10%: contract time is missed, and
    most of its error is the signature's own wait, predicted too long."""
    change = ChangedDelay("Contract Signed", day=365, scale=0.4)
    date = pd.Timestamp(truth.LOG_START) + pd.Timedelta(days=change.day)
    result = backtest(generate(change=change), parse_scenario(WEAKER), date, reps=3,
                      n_jobs=1)
    row = next(r for r in result.rows if r.kpi == "contract_time")
    assert row.missed and row.attribution is not None
    found = row.attribution
    top = found.parts[0]
    assert (top.cause, top.activity) == ("own_step", "Contract Signed"), found.parts
    assert top.value > 0.5 * found.error > 0
    assert sum(p.value for p in found.parts) == pytest.approx(found.error, abs=1e-9)


def test_every_report_says_where_the_error_comes_from(legal, tmp_path) -> None:
    """JSON (a key of its own beside the others), the table, HTML in English and Japanese,
    the saved form and its export."""
    result, _ = legal
    assert Backtest.from_dict(json.loads(json.dumps(result.to_dict()))) == result
    english, japanese = html_report(result), html_report(result, "ja")
    assert "Where the error comes from" in english and "Legal check" in english
    assert "a step the model does not have" in english
    assert "誤差の出どころ" in japanese and "モデルにないステップ" in japanese
    assert "a step the model does not have" not in japanese
    sheet = table(result).set_index("kpi")
    assert "a step the model does not have" in sheet.loc["case_duration", "error_from"]
    log, _ = with_legal_check()
    path = tmp_path / "legal.csv"
    log.events.to_csv(path, index=False)
    scenario = tmp_path / "faster.yaml"
    scenario.write_text(FASTER, encoding="utf-8")
    runner = CliRunner()
    args = ["backtest", str(path), "--scenario", str(scenario), "--change-date", CHANGE,
            "--reps", "2", "--jobs", "1"]
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert "Where the error comes from" in shown.output
    assert "a step the model does not have" in shown.output
    done = runner.invoke(app, [*args, "--format", "json"])
    rows = json.loads(done.stdout[done.stdout.index("{"):])["rows"]
    duration = next(r for r in rows if r["kpi"] == "case_duration")
    assert duration["attribution"]["parts"][0]["cause"] == "missing_step"
    assert {"kpi", "before", "after", "explained", "missed"} <= set(duration)
