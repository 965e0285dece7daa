"""The process map as numbers (``sim.process_map``) and as a map of a scenario against the
baseline (``ui.process_map_dot``): exact on a hand-made log, paired differences coloured
only when their interval excludes zero."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from sim.chart_data import MemberCharts
from sim.kpi_roles import ActivityRoles
from sim.kpis.observed import observe
from sim.process_map import ARC, END, NODE, START, differences, process_map, summarise
from ui.process_map_dot import FILL, LONGER, SAME, SHORTER, process_map_dot


def _map(waits_hours: tuple[float, float]) -> pd.DataFrame:
    """Two cases A -> B, B taking 2 h of work; B waits the given hours after A."""
    t = pd.Timestamp("2024-01-01 09:00")
    hour = pd.Timedelta(hours=1)
    rows = []
    for case, wait in zip(("x", "y"), waits_hours, strict=True):
        rows += [(case, "A", t, t), (case, "B", t + wait * hour, t + (wait + 2) * hour)]
    events = pd.DataFrame(rows, columns=["case_id", "activity", "start_time", "end_time"])
    cases = pd.DataFrame(index=pd.Index(["x", "y"], name="case_id"))
    return process_map(observe(events, cases, ActivityRoles.default()))


def _number(value: float | None) -> float:
    """A bound of a map's difference, which here is measured."""
    assert value is not None
    return value


def test_a_hand_made_log_gives_counts_and_medians() -> None:
    found = _map((1.0, 3.0)).set_index(["kind", "source", "target"])
    assert found.loc[(NODE, "B", ""), "count"] == 2
    assert found.loc[(NODE, "B", ""), "median"] == pytest.approx(2 / 24)  # days of work
    assert found.loc[(ARC, "A", "B"), "median"] == pytest.approx(2 / 24)  # 1 h and 3 h
    assert found.loc[(ARC, START, "A"), "count"] == 2
    assert found.loc[(ARC, "B", END), "count"] == 2
    assert pd.isna(found.loc[(ARC, START, "A"), "median"])


def test_runs_summarise_and_pair_and_the_map_colours_only_clear_changes() -> None:
    base = [_map((1.0, 3.0)), _map((2.0, 4.0)), _map((1.5, 3.5))]
    faster = [_map((0.0, 1.0)), _map((0.5, 1.5)), _map((0.0, 1.0))]
    kept = {r.key: r for r in summarise(faster)}
    assert kept[(ARC, "A", "B")].count == 2.0
    assert kept[(ARC, "A", "B")].median == pytest.approx((0.5 + 1.0 + 0.5) / 3 / 24)
    diffs = {d.key: d for d in differences(base, faster)}
    wait = diffs[(ARC, "A", "B")]
    assert wait.diff == pytest.approx(((0.5 - 2) + (1 - 3) + (0.5 - 2.5)) / 3 / 24)
    assert wait.ci_high is not None and wait.ci_high < 0
    work = diffs[(NODE, "B", "")]
    assert work.diff == pytest.approx(0.0, abs=1e-12)  # the same work: rounding only
    faster_charts: MemberCharts = {"process_map": summarise(faster),
                                   "process_map_diff": differences(base, faster)}
    charts = {"Baseline": MemberCharts(process_map=summarise(base)), "Faster": faster_charts}
    dot = process_map_dot(charts, "Baseline", "Faster")
    assert dot is not None
    arc = next(line for line in dot.splitlines() if '"A" -> "B"' in line)
    assert f'color="{SHORTER}"' in arc and "2.5 h → 40 min" in arc
    node = next(line for line in dot.splitlines() if line.strip().startswith('"B" ['))
    assert "2.0 h" in node and "→" not in node, "work unchanged: one figure"
    assert f'fillcolor="{FILL}"' in node, "a rounding-sized difference is no change"
    slower = process_map_dot({**charts, "Faster": {**faster_charts, "process_map_diff": [
        replace(d, ci_low=-_number(d.ci_high), ci_high=-_number(d.ci_low))
        for d in faster_charts["process_map_diff"]]}}, "Baseline", "Faster")
    assert slower is not None and f'color="{LONGER}"' in next(
        line for line in slower.splitlines() if '"A" -> "B"' in line)
    frequency = process_map_dot(charts, "Baseline", "Baseline", "frequency")
    assert frequency is not None and f'color="{SAME}"' in frequency
    assert process_map_dot(charts, "Baseline", "Other") is None


def test_one_logs_performance_map_is_coloured_by_its_own_times() -> None:
    """Without a baseline to differ from, the longest wait is the reddest and a step
    without a wait keeps the plain colour."""
    rows = summarise([_map((1.0, 3.0))])
    dot = process_map_dot({"History": {"process_map": rows}}, "History", "History")
    assert dot is not None
    arc = next(line for line in dot.splitlines() if '"A" -> "B"' in line)
    assert f'color="{LONGER}"' in arc and "→" not in arc
    start = next(line for line in dot.splitlines() if f"{START} -> " in line)
    assert f'color="{SAME}"' in start
