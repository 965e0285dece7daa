"""Behaviour over time (``sim.over_time``): exact on a hand-made log, equal to the engine's own
busy time on a simulated one, and Little's law with Erlang C for the queue of an M/M/c."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.engine import simulate
from sim.kpi_roles import ActivityRoles
from sim.kpis.observed import observe
from sim.measured import Measured
from sim.model import ProcessModel
from sim.over_time import QUEUE, UTILISATION, WIP, log_behaviour, summarise
from sim.run_length import RunLength
from tests.engine_models import calendar_model, erlang_c_wait, mmc_model


def _weekly(found: pd.DataFrame, measure: str, pool: str = "") -> pd.Series:
    rows = found[(found["measure"] == measure) & (found["pool"] == pool)]
    return rows.set_index("week")["value"]


def _measured(events: pd.DataFrame, model: ProcessModel,
              outcome: dict[str, str | None] | None = None) -> pd.DataFrame:
    ids = sorted(events["case_id"].unique())
    cases = pd.DataFrame({"outcome": [(outcome or {}).get(i) for i in ids]},
                         index=pd.Index(ids, name="case_id"), dtype=object)
    obs = observe(events, cases, ActivityRoles.default())
    return log_behaviour(events, obs, model)


def test_a_hand_made_log_gives_the_exact_weekly_values() -> None:
    """From Monday 2024-01-01 to the 9th; 'Serve' is the pool Servers' (2, always open).
    Cases a and b are won, c is open: in progress until the log's end."""
    t = pd.Timestamp
    events = pd.DataFrame({
        "case_id": ["a", "a", "b", "b", "c"],
        "activity": ["Arrive", "Serve", "Arrive", "Serve", "Arrive"],
        "start_time": [t("2024-01-01"), t("2024-01-02"), t("2024-01-03"), t("2024-01-08"),
                       t("2024-01-07 12:00")],
        "end_time": [t("2024-01-01"), t("2024-01-02 12:00"), t("2024-01-03"),
                     t("2024-01-09"), t("2024-01-07 12:00")]})
    found = _measured(events, mmc_model(servers=2), {"a": "Won", "b": "Won"})
    wip = _weekly(found, WIP)
    # week 1: a for 1.5 days, b for 5, c for its last half day; week 2 (one day long):
    # b and c for the whole day
    assert wip["2024-01-01"] == pytest.approx((1.5 + 5.0 + 0.5) / 7)
    assert wip["2024-01-08"] == pytest.approx(2.0)
    queue = _weekly(found, QUEUE, "Servers")
    assert queue["2024-01-01"] == pytest.approx((1.0 + 5.0) / 7)  # a waits a day, b 5 days
    assert queue["2024-01-08"] == 0.0
    busy = _weekly(found, UTILISATION, "Servers")
    assert busy["2024-01-01"] == pytest.approx(0.5 / (7 * 2))  # half a day of two servers'
    assert busy["2024-01-08"] == pytest.approx(1.0 / 2)


@pytest.mark.parametrize("zone", [None, "Europe/Berlin", "+09:00"])
def test_utilisation_from_the_log_equals_the_engines_busy_time(zone: str | None) -> None:
    """Office hours (Mon-Fri 9-17), no warm-up: every task of the run is in the log, so the
    working time its events took equals the busy time the engine counted, week by week; in
    a zone with summer time too (the run crosses the last Sunday of March)."""
    model = calendar_model().model_copy(update={"timezone": zone})
    result = simulate(model, days=35, start="2024-03-11", seed=3)
    found = _measured(result.log.events, model)
    daily = result.utilisation
    dates = daily["date"].dt.tz_localize(None) if zone else daily["date"]
    week = dates.dt.to_period("W-SUN").dt.start_time.dt.strftime("%Y-%m-%d")
    engine = daily.groupby(week)[["busy_seconds", "available_seconds"]].sum()
    mine = _weekly(found, UTILISATION, "Office")
    inner = mine.index[1:-1]  # the first week starts, the last ends with the log, not the run
    assert len(inner) >= 3
    expected = engine["busy_seconds"] / engine["available_seconds"]
    # the log keeps whole seconds: each task's two ends move by half a second at most
    tasks = int(result.log.events["activity"].isin(["Prepare", "Review"]).sum())
    rounding = tasks / engine["available_seconds"][inner].min()
    assert np.allclose(mine[inner], expected[inner], rtol=0.0, atol=rounding)
    assert rounding < 1e-3


def test_the_queue_of_an_mmc_follows_littles_law_and_erlang_c() -> None:
    """Cases wait for 'Serve' only in the queue: its weekly mean is lambda x Wq, and the
    servers' busy share is rho; within 4 standard errors of the weekly means."""
    servers, rho = 2, 0.7
    model = mmc_model(servers, rho, 1.0)
    result = simulate(model, days=280, warmup_days=14, seed=5)
    found = _measured(result.log.events, model)
    queue = _weekly(found, QUEUE, "Servers").iloc[1:-1]  # whole weeks after the first
    theory = rho * servers * erlang_c_wait(servers, rho, 1.0)  # arrivals/hour x Wq hours
    error = queue.std(ddof=1) / math.sqrt(len(queue))
    assert abs(queue.mean() - theory) < 4 * error
    busy = _weekly(found, UTILISATION, "Servers").iloc[1:-1]
    assert abs(busy.mean() - rho) < 4 * busy.std(ddof=1) / math.sqrt(len(busy))


def test_replications_are_summarised_week_by_week_with_their_interval() -> None:
    runs = [pd.DataFrame({"measure": ["wip", "utilisation"], "pool": ["", "P"],
                          "week": ["2024-01-01"] * 2, "value": [v, u]})
            for v, u in ((10.0, 0.9), (14.0, 1.0), (12.0, 0.98))]
    found = summarise(runs)
    wip, busy = found["wip"], found["utilisation:P"]
    assert wip["mean"]["2024-01-01"] == pytest.approx(12.0)
    low, high = wip["ci"]["2024-01-01"]
    half = 4.303 * 2.0 / math.sqrt(3)  # t(2) x sd / sqrt(n)
    assert (low, high) == pytest.approx((12.0 - half, 12.0 + half), abs=1e-3)
    assert busy["ci"]["2024-01-01"][1] == 1.0, "a busy share's interval stops at 100%"


def test_the_historys_weekly_work_in_progress_averages_to_its_wip_kpi(sample_log,
                                                                      sample_model) -> None:
    """Weighted by the days each week covers, the weekly series is the log's mean WIP."""
    from sim.kpis.compute import compute_kpis
    from sim.over_time import history_series, week_edges

    found = history_series(sample_log, sample_model)
    series = found["wip"]["mean"]
    assert {f"queue:{p}" for p in sample_model.pools} <= set(found)
    obs = observe(sample_log.events, sample_log.cases, ActivityRoles.default())
    edges, weeks = week_edges(pd.Timestamp(sample_log.events["start_time"].min()),
                              obs.period_days)
    covered = dict(zip(weeks, np.diff(edges), strict=True))
    weighted = sum(series[w] * covered[w] for w in series) / obs.period_days
    kpi = next(r for r in compute_kpis(sample_log) if r.id == "wip" and r.group is None)
    assert weighted == pytest.approx(kpi.value, rel=1e-9)


def test_compare_over_time_in_the_terminal_and_in_json(tmp_path, sample_model) -> None:
    """30% more leads over the same weeks: more cases in progress than the baseline."""
    import json

    from typer.testing import CliRunner

    from scenarios import LIBRARY
    from ui.cli import app

    model = sample_model.save(tmp_path / "model.json")
    command = ["compare", str(model), str(LIBRARY / "more_leads.yaml"), "--reps", "3",
               "--cases", "300", "--over-time"]
    shown = CliRunner().invoke(app, [*command, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    found = json.loads(shown.stdout)["over_time"]
    assert set(found) == {"Baseline", "30% more leads"}
    base, more = found["Baseline"], found["30% more leads"]
    assert {"wip", *(f"{m}:{p}" for m in ("queue", "utilisation")
                     for p in sample_model.pools)} == set(base)
    for series in base.values():
        assert all(low <= series["mean"][w] + 1e-9 and series["mean"][w] <= high + 1e-9
                   for w, (low, high) in series["ci"].items())
    weeks = sorted(set(base["wip"]["mean"]) & set(more["wip"]["mean"]))
    assert sum(more["wip"]["mean"][w] for w in weeks) > sum(base["wip"]["mean"][w]
                                                           for w in weeks)
    table = CliRunner().invoke(app, command, env={"COLUMNS": "140"})  # the cache serves it
    assert table.exit_code == 0, table.output
    assert "Behaviour over time" in table.stdout and "Busiest week" in table.stdout
    assert "cases waiting for" in table.stdout


def test_the_weekly_series_are_exported_week_by_week_in_english_and_japanese() -> None:
    from sim.saved import SavedComparison
    from ui import export_ja
    from ui.export import charts_frame

    runs = [pd.DataFrame({"measure": ["wip", "queue"], "pool": ["", "Sales"],
                          "week": ["2024-01-01"] * 2, "value": [v, q]})
            for v, q in ((10.0, 2.0), (14.0, 4.0))]
    saved = SavedComparison(name="weeks", model_name="m", model_fingerprint="f",
                            model_json="{}", scenarios=[], seed=1, replications=2, run={},
                            results=[], charts={"Baseline": {"over_time": summarise(runs)}})
    frame = charts_frame(saved).set_index(["chart", "item"])["value"]
    assert frame[("over_time:wip", "2024-01-01")] == pytest.approx(12.0)
    assert frame[("over_time:queue:Sales", "2024-01-01")] == pytest.approx(3.0)
    half = 12.706 * math.sqrt(2.0) / math.sqrt(2)  # t(1) x sd / sqrt(n)
    assert frame[("over_time:queue:Sales_ci_high", "2024-01-01")] == pytest.approx(
        3.0 + half, abs=1e-3)
    assert export_ja.chart("over_time:queue:Sales_ci_low") == (
        "週ごと: Sales の待ち案件数の 95% 区間（下限）")


def test_a_search_skips_the_weeks_and_a_comparison_never_reads_a_run_kept_without(tmp_path
                                                                                   ) -> None:
    """A target search measures no weeks or map; a comparison asking for them simulates a
    replication kept without them again, and a search is served by one kept with them."""
    from sim.measure_many import MeasureQueue, measure_all
    from sim.replication_cache import ReplicationCache

    cache, model = ReplicationCache(tmp_path), calendar_model()
    run: RunLength = {"days": 14.0}

    def measured(detail: bool) -> Measured:
        queue: MeasureQueue[str] = MeasureQueue(1, run, 1, cache, detail=detail)
        queue.add("m", model)
        return measure_all(queue, [("m", 0)])[("m", 0)]

    bare = measured(detail=False)
    assert bare.over_time is None and bare.process_map is None
    full = measured(detail=True)
    assert cache.hits == 0, "kept without weeks: simulated again"
    assert full.over_time is not None and full.process_map is not None
    assert [k.value for k in full.kpis] == [k.value for k in bare.kpis]
    again = measured(detail=False)
    assert cache.hits == 1 and again.over_time is not None
