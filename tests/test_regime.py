"""Regime detection: a planted change in the process is found where it was planted, a stable
process (or one that changed too little, or in too few cases to tell) is left whole, and
the real logs' known changes are found.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from calibration.evaluate.run import changed_after
from calibration.fit.calibrate import CalibrationOptions, calibrate
from calibration.fit.prepared import prepare
from calibration.fit.regime import MATERIAL, RegimeChange, find_regime
from calibration.read import read_log
from calibration.sample import sample_path
from sim.eventlog import ACTIVITY, CASE_ID, END, START, EventLog
from ui.cli import app

LOGS = Path(__file__).resolve().parents[2] / "shared" / "logs"
FIRST_MONTH = pd.Timestamp("2023-01-01")
CHECK = "'Check' per case"


def synthetic(months: int = 24, per_month: int = 500, seed: int = 1,
              rework: dict[int, float] | None = None, reject: dict[int, float] | None = None,
              wait: dict[int, float] | None = None, month_spread: float = 0.0) -> EventLog:
    """Cases register, are checked once plus a Poisson number of rework checks, and are
    approved or rejected. ``rework`` (rate), ``reject`` (probability) and ``wait`` (mean
    days between events) map the month each value holds from to the value. ``month_spread``
    gives each month a level of its own (the log-sd of a factor on its rework rate and
    waits); else every case is independent."""
    rng = np.random.default_rng(seed)
    month = np.repeat(np.arange(months), per_month)
    bounds = pd.date_range(FIRST_MONTH, periods=months + 1, freq="MS").to_numpy()
    begin = bounds[month] + (rng.random(month.size) * (bounds[month + 1] - bounds[month]))
    level = rng.lognormal(0.0, month_spread, months)[month]
    checks = 1 + rng.poisson(scheduled(rework or {0: 0.5}, month) * level)
    size = checks + 2
    case = np.repeat(np.arange(month.size), size)
    first = np.r_[0, np.cumsum(size)[:-1]]
    position = np.arange(case.size) - first[case]
    names = np.where(position == 0, "Register", "Check").astype(object)
    rejected = rng.random(month.size) < scheduled(reject or {0: 0.4}, month)
    names[position == size[case] - 1] = np.where(rejected, "Reject", "Approve")
    mean_wait = (scheduled(wait or {0: 2.0}, month) * level)[case]
    gaps = np.where(position == 0, 0.0, rng.exponential(1.0, case.size) * mean_wait)
    elapsed = np.cumsum(gaps)
    elapsed -= elapsed[first][case]
    starts = begin[case] + pd.to_timedelta(elapsed, unit="D").to_numpy()
    events = pd.DataFrame({CASE_ID: [f"C{i}" for i in case], ACTIVITY: names,
                           START: starts, END: starts + np.timedelta64(1, "h")})
    return EventLog(events=events, cases=pd.DataFrame(index=pd.Index(events[CASE_ID].unique())))


def scheduled(values: dict[int, float], month: np.ndarray) -> np.ndarray:
    """Per case, the value in force in the month it began."""
    since = np.array(sorted(values))
    return np.array([values[k] for k in since])[np.searchsorted(since, month, "right") - 1]


def regime_of(log: EventLog) -> RegimeChange | None:
    return find_regime(prepare(log))


def month(k: int) -> pd.Timestamp:
    return FIRST_MONTH + pd.DateOffset(months=k)


def measures(regime: RegimeChange) -> list[str]:
    return [change.measure for change in regime.evidence]


@pytest.fixture(scope="module")
def sample() -> EventLog:
    return read_log(sample_path()).require_log()


def test_stable_sample_is_one_regime(sample):
    # The sample's lead volume grows 1.5% a month, its process does not change.
    assert regime_of(sample) is None


@pytest.mark.parametrize("seed", range(5))
def test_no_drift_no_regime(seed):
    assert regime_of(synthetic(seed=seed)) is None


@pytest.mark.parametrize("seed", range(5))
def test_months_that_differ_by_chance_are_not_regimes(seed):
    # 2,000 cases a month, each month's rework and waits off by ~20% by chance: a test that
    # took cases as independent would call about half of these logs changed.
    assert regime_of(synthetic(per_month=2000, month_spread=0.2, seed=seed)) is None


def test_planted_rework_change_is_found():
    regime = regime_of(synthetic(rework={0: 0.5, 12: 1.0}))
    assert regime is not None
    assert abs((regime.since - month(12)).days) <= 31
    assert measures(regime)[0] == CHECK
    check = regime.evidence[0]
    # 1 check + 0.5 rework, then + 1.0; 0.05 is five standard errors of 6,000 cases' mean.
    # Each case is counted over the same first days, which the slowest cases' last checks
    # outrun (1 case in 20 by the horizon's choice): up to a few percent fewer.
    assert 1.5 * 0.95 - 0.05 <= check.before <= 1.5 + 0.05
    assert 2.0 * 0.95 - 0.05 <= check.after <= 2.0 + 0.05
    assert check.p_value < 1e-6
    assert regime.later is None


def test_planted_slowdown_is_found():
    regime = regime_of(synthetic(wait={0: 2.0, 15: 4.0}))
    assert regime is not None
    assert abs((regime.since - month(15)).days) <= 31
    # slower cases also reach their last step less often within the same first days
    assert measures(regime)[0] == "case duration (median, days)"
    assert set(measures(regime)) <= {"case duration (median, days)", "'Approve' per case",
                                     "'Reject' per case"}
    duration = regime.evidence[0]
    # waits doubled; medians of 4,500-7,500 cases are good to a few percent
    assert duration.after / duration.before == pytest.approx(2.0, rel=0.1)


def test_the_last_of_two_changes_starts_the_regime():
    regime = regime_of(synthetic(rework={0: 0.5, 8: 1.2, 16: 0.5}))
    assert regime is not None
    assert abs((regime.since - month(16)).days) <= 31
    assert CHECK in measures(regime)


def test_a_change_too_recent_to_learn_from_is_reported_not_used():
    # The last change leaves 5 of 36 months (14% of cases): the model learns from the
    # regime before it, and the note can say the process changed again since.
    regime = regime_of(synthetic(months=36, rework={0: 0.5, 12: 1.2, 31: 0.5}))
    assert regime is not None
    assert abs((regime.since - month(12)).days) <= 31
    assert regime.later is not None
    assert abs((regime.later.since - month(31)).days) <= 31
    assert regime.later.evidence[0].measure == CHECK


def test_planted_change_in_the_sample_is_found(sample):
    # From October 2024 every quote is revised once more: each 'Quote Created' is doubled.
    events = sample.events
    begun = events.groupby(CASE_ID)[START].transform("min")
    since = pd.Timestamp("2024-10-01")
    quotes = events[(events[ACTIVITY] == "Quote Created") & (begun >= since)]
    changed = EventLog(events=pd.concat([events, quotes], ignore_index=True),
                       cases=sample.cases)
    regime = regime_of(changed)
    assert regime is not None
    assert abs((regime.since - since).days) <= 31
    assert "'Quote Created' per case" in measures(regime)


def test_material_change_in_a_tiny_log_is_not_significant():
    # A quarter more rejections (40% to 50% of cases), but 30 cases a month cannot tell it
    # from chance; with 30 times the cases the same change is found.
    reject = {0: 0.4, 12: 0.5}
    assert regime_of(synthetic(per_month=30, reject=reject)) is None
    regime = regime_of(synthetic(per_month=900, reject=reject))
    assert regime is not None
    assert measures(regime) == ["'Reject' per case"]


def test_significant_but_immaterial_change_is_not_reported():
    # 3,000 cases a month: checks per case rise 5% (3.0 to 3.15), clearly significant, but
    # far below the change that would matter to a plan.
    log = synthetic(per_month=3000, rework={0: 2.0, 12: 2.15})
    checks = log.events[log.events[ACTIVITY] == "Check"].groupby(CASE_ID).size()
    begun = log.events.groupby(CASE_ID)[START].min().reindex(checks.index)
    after = begun >= month(12)
    test = stats.ttest_ind(checks[after], checks[~after], equal_var=False)
    assert test.pvalue < 1e-9
    assert checks[after].mean() / checks[~after].mean() - 1 < MATERIAL / 2
    assert regime_of(log) is None


def read_events(name: str, columns: dict[str, str]) -> pd.DataFrame:
    """The real log's events in canonical columns, one timestamp meaning start and end
    where there is one (read with pandas: only names and times matter here, and the full
    reader is tested elsewhere)."""
    path = LOGS / name
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    table = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    events = table.rename(columns=columns)
    events[START] = pd.to_datetime(events[START])
    events[END] = pd.to_datetime(events[END]) if END in events else events[START]
    return events[[CASE_ID, ACTIVITY, START, END]]


def as_log(events: pd.DataFrame, begun_before: str | None = None) -> EventLog:
    if begun_before is not None:
        begun = events.groupby(CASE_ID)[START].transform("min")
        events = events[begun < pd.Timestamp(begun_before)]
    return EventLog(events=events, cases=pd.DataFrame(index=pd.Index(events[CASE_ID].unique())))


def test_bpic_2017_validation_halved_from_july_2016():
    # Applications begun from July 2016 are validated ~1.8 times instead of ~2.8, in the
    # whole log and in the cases begun before 2016-09-17.
    events = read_events("BPIC_2017_W.csv.gz", {})
    whole, training = regime_of(as_log(events)), regime_of(as_log(events, "2016-09-17"))
    for regime in (whole, training):
        assert regime is not None
        assert pd.Timestamp("2016-06-01") <= regime.since <= pd.Timestamp("2016-08-01")
        validate = next(c for c in regime.evidence
                        if c.measure == "'W_Validate application' per case")
        assert validate.after < (1 - MATERIAL) * validate.before
    # From mid-November 2016 offers are called after once instead of twice (already within
    # a case's first ten days, so not for want of time): too few cases since to learn from.
    assert training.later is None
    assert whole.later is not None and whole.later.since == pd.Timestamp("2016-11-01")
    assert whole.later.evidence[0].measure == "'W_Call after offers' per case"


def test_road_traffic_fines_shortened_after_the_early_years():
    # Fines issued in 2000-2001 took a median 450-570 days, those issued from 2004 on
    # 130-220 days: the current regime cannot include the early years. (Which later month
    # it begins in is the data's to say: 'Send for Credit Collection' also rises from 2007.)
    events = read_events("Road_Traffic_Fine_Management_Process.parquet",
                         {"case:concept:name": CASE_ID, "concept:name": ACTIVITY,
                          "time:timestamp": START})
    for begun_before in (None, "2008-06-21"):
        regime = regime_of(as_log(events, begun_before))
        assert regime is not None
        assert regime.since >= pd.Timestamp("2002-01-01")


def test_calibration_learns_from_the_current_regime_and_says_so():
    log = synthetic(rework={0: 0.3, 12: 1.5})
    current = calibrate(log)
    assert current.model.provenance.period_start.startswith(f"{month(12):%Y-%m}")
    assert [n.key for n in current.findings][:1] == ["regime"]
    assert "'Check' per case" in current.notes[0]
    whole = calibrate(log, options=CalibrationOptions(since="all"))
    assert whole.model.provenance.period_start.startswith(f"{FIRST_MONTH:%Y-%m}")
    assert not any(n.key == "regime" for n in whole.findings)
    # rework is learned as it is now, not averaged with the old rate
    again = {name: m.routing.branches["Check"].pooled.get("Check", 0.0)
             for name, m in (("current", current.model), ("whole", whole.model))}
    assert again["current"] > again["whole"] + 0.05


def test_since_a_date_keeps_the_cases_begun_from_then():
    log = synthetic(months=12)
    kept = calibrate(log, options=CalibrationOptions(since=f"{month(6):%Y-%m-%d}"))
    assert kept.model.provenance.period_start >= f"{month(6):%Y-%m-%d}"
    assert kept.model.provenance.cases == pytest.approx(log.n_cases / 2, rel=0.05)
    assert kept.findings[0].key == "since"


@pytest.mark.parametrize(("since", "message"), [
    ("2099-01-01", "too few to learn from"), ("soon", "give a date such as")])
def test_bad_since_is_a_plain_error(since, message, tmp_path):
    log_path = tmp_path / "log.csv"
    synthetic(months=3, per_month=50).events.to_csv(log_path, index=False)
    result = CliRunner().invoke(app, ["calibrate", str(log_path), "-o",
                                      str(tmp_path / "m.json"), "--since", since])
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "m.json").exists()


def test_evaluate_says_when_the_process_changed_after_the_split():
    log = synthetic(rework={0: 0.3, 14: 1.5})
    after = changed_after(log, month(10))
    assert len(after) == 1 and after[0].key == "changed_after_split"
    assert f"around {month(14):%Y-%m}" in after[0].text
    assert "'Check' per case" in after[0].text
    assert changed_after(log, month(16)) == []  # the model learned it: no excuse
    assert changed_after(synthetic(), month(10)) == []
