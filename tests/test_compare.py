"""Paired differences: exact zero for identical runs, t-intervals computed by hand."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from sim.compare import compare
from sim.kpis.result import KpiResult


def run(value: float, kpi: str = "sales_cycle", available: bool = True) -> list[KpiResult]:
    return [KpiResult(kpi, "Sales cycle", "days", 10, value if available else math.nan,
                      available=available)]


def test_identical_runs_differ_by_exactly_zero():
    base = [run(v) for v in (20.0, 22.0, 25.0)]
    (result,) = compare("null", base, base)
    assert result.diff == 0 and result.ci_low == 0 and result.ci_high == 0
    assert result.significant is False and result.pct_change == 0


def test_paired_interval_matches_the_t_formula():
    base = [run(v) for v in (20.0, 22.0, 25.0, 21.0)]
    scen = [run(v) for v in (18.0, 19.5, 23.0, 18.0)]
    (result,) = compare("faster", base, scen)
    diffs = [-2.0, -2.5, -2.0, -3.0]
    mean = sum(diffs) / 4
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / 3)
    half = stats.t.ppf(0.975, 3) * sd / 2
    assert result.diff == pytest.approx(mean)
    assert (result.ci_low, result.ci_high) == pytest.approx((mean - half, mean + half))
    assert result.significant is True
    assert result.pct_change == pytest.approx((78.5 / 4) / (88 / 4) - 1)
    assert result.to_dict()["scenario"] == "faster"


def test_one_replication_has_no_interval_and_missing_kpis_say_so():
    (result,) = compare("x", [run(20.0)], [run(18.0)])
    assert result.ci_low is None and result.significant is None and result.diff == -2.0
    (missing,) = compare("x", [run(0, available=False)], [run(0, available=False)])
    assert missing.value is None and missing.replications == 0 and missing.note
    with pytest.raises(ValueError, match="same replications"):
        compare("x", [run(1.0)], [])
