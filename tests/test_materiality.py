"""Verdicts only on changes that matter: a difference must be significant and larger than
its KPI's practical threshold, and its text must show the difference it is judged on."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sim.compare import Difference, compare
from sim.errors import PlannerError
from sim.kpis.result import KpiResult
from sim.materiality import DEFAULT, Rule, Thresholds, judge, parse_rule, with_rules
from ui import report_format as fmt
from ui.app.shared import headline_sentences

KPIS = {"quote_revisions": ("Quotes per case", "count"), "win_rate": ("Win rate", "share"),
        "sales_cycle": ("Sales cycle", "days"), "quote_approval": ("Quote approval", "days")}


def replication(**values: float) -> list[KpiResult]:
    return [KpiResult(kpi, KPIS[kpi][0], KPIS[kpi][1], 100, value)
            for kpi, value in values.items()]


@pytest.fixture
def rows() -> dict[str, Difference]:
    """Three paired replications: quotes per case and win rate moved by rounding noise or a
    hair (each difference identical in every replication, so its interval excludes zero),
    the sales cycle two days shorter, quote approval 0.03 days (3.5%) shorter."""
    base = [replication(quote_revisions=1.32, win_rate=w, sales_cycle=s, quote_approval=a)
            for w, s, a in ((0.35, 23.0, 0.85), (0.36, 24.0, 0.86), (0.34, 22.5, 0.84))]
    changed = [replication(quote_revisions=1.32 + 4e-16, win_rate=w + 0.0004,
                           sales_cycle=s - 2.0 + 0.1 * i, quote_approval=a - 0.03)
               for i, (w, s, a) in enumerate(((0.35, 23.0, 0.85), (0.36, 24.0, 0.86),
                                              (0.34, 22.5, 0.84)))]
    return {d.kpi: d for d in compare("Scenario", base, changed)}


def test_a_significant_difference_below_its_threshold_gets_no_verdict(rows) -> None:
    for kpi in ("quote_revisions", "win_rate"):
        row = rows[kpi]
        assert row.significant is True, kpi  # noise alone passes the interval test
        assert row.material is False, kpi
        assert fmt.effect(row) == fmt.SAME and not fmt.has_verdict(row), kpi
    assert rows["win_rate"].threshold == pytest.approx(0.01)  # one percentage point
    assert rows["quote_revisions"].threshold == pytest.approx(0.0132)  # 1% of 1.32


def test_a_real_change_still_gets_its_verdict(rows) -> None:
    assert rows["sales_cycle"].material is True
    assert fmt.effect(rows["sales_cycle"]) == fmt.BETTER
    approval = rows["quote_approval"]  # 0.03 days: under half a day, but 3.5% of it
    assert approval.threshold == pytest.approx(0.0085)
    assert fmt.effect(approval) == fmt.BETTER


def test_headlines_pick_only_changes_with_a_verdict(rows) -> None:
    sentences = headline_sentences(list(rows.values()))
    assert any(s.startswith("**Sales cycle**") for s in sentences)
    assert any(s.startswith("**Quote approval**") for s in sentences)
    assert not any("Quotes per case" in s or "Win rate" in s for s in sentences), sentences


def test_a_judged_difference_reads_as_the_change_it_is(rows) -> None:
    approval = rows["quote_approval"]
    assert fmt.diff_text("days", approval.diff) == "−0.03 days"
    assert fmt.ci_text("days", approval.ci_low, approval.ci_high) == (
        "−0.03 to −0.03 days")
    assert fmt.diff_text("count", rows["quote_revisions"].diff) == "0.00"  # noise is zero


def test_thresholds_can_be_set_per_kpi_or_block_in_reading_units(rows) -> None:
    assert parse_rule("win_rate=0.02") == ("win_rate", Rule(absolute=0.02))
    assert parse_rule(" sales_cycle = 5% ") == ("sales_cycle", Rule(relative=0.05))
    strict = with_rules(dict([parse_rule("win_rate=0.02"), parse_rule("sales_cycle=3")]),
                        rows)
    assert judge(rows["win_rate"], strict).material is True  # 0.04 pp > 0.02 pp
    assert judge(rows["sales_cycle"], strict).material is False  # 1.9 days < 3 days
    blocks = Thresholds(kpis={"waiting_time": Rule(absolute=2.0)})
    assert blocks.amount("waiting_time:Quote Approved", "days", 10.0) == 2.0
    assert DEFAULT.amount("waiting_time:Quote Approved", "days", 10.0) == pytest.approx(0.1)
    for bad in ("win_rate", "win_rate=fast", "=2", "win_rate=-1"):
        with pytest.raises(PlannerError, match="KPI=VALUE"):
            parse_rule(bad)
    with pytest.raises(PlannerError, match="Did you mean 'win_rate'"):
        with_rules({"win_rte": Rule(absolute=1.0)}, rows)


def test_rows_saved_before_thresholds_are_judged_with_the_defaults(rows) -> None:
    old = replace(rows["quote_revisions"], threshold=None, material=None)
    assert fmt.effect(old) == fmt.SAME
    old_cycle = replace(rows["sales_cycle"], threshold=None, material=None)
    assert fmt.effect(old_cycle) == fmt.BETTER


def test_the_invoice_lag_is_judged_at_a_quarter_day_or_five_percent() -> None:
    """Its own rule: a three-day lag moved by an hour through the billing clerks' queue is
    no change to act on (1% would call it one); a week-long lag is judged at a quarter day,
    a half-day lag at 5% of it, and --threshold still overrides it."""
    row = Difference.from_dict({"kpi": "invoice_lag", "unit": "days", "baseline": 3.0,
                                "diff": 0.05, "significant": True})
    assert judge(row).threshold == pytest.approx(0.15)
    assert judge(row).material is False
    assert judge(replace(row, kpi="payment_days")).material is True  # durations: 1%
    assert judge(replace(row, baseline=7.0)).threshold == pytest.approx(0.25)
    assert judge(replace(row, baseline=0.5)).threshold == pytest.approx(0.025)
    assert judge(row, with_rules({"invoice_lag": Rule(absolute=0.01)},
                                 ["invoice_lag"])).material is True
    # durations set for every duration (the app's thresholds) reach the invoice lag too
    assert judge(row, Thresholds(durations=Rule(absolute=0.01))).threshold == 0.01


def test_a_difference_measured_too_loosely_to_call_is_unclear_not_unchanged() -> None:
    """Two replications of a cut to zero: -3.2 days, its interval some 6 days either side,
    is not significant, yet it reaches far past its threshold: "unclear", as the
    replications' stopping rule calls it undecided. Known to within the threshold, a
    non-significant difference is no material change."""
    base = [replication(sales_cycle=s) for s in (2.7, 3.7)]
    cut = [replication(sales_cycle=0.0), replication(sales_cycle=0.0)]
    loose = next(d for d in compare("Cut", base, cut) if d.kpi == "sales_cycle")
    assert not loose.significant and loose.ci_low is not None and loose.ci_low < -6
    assert fmt.effect(loose) == fmt.UNCLEAR and not fmt.has_verdict(loose)
    tight = replace(loose, diff=-0.001, ci_low=-0.02, ci_high=0.018)
    assert fmt.effect(tight) == fmt.SAME
