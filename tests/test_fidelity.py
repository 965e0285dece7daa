"""The simulated baseline of the bundled sample looks like the sample itself.

Each KPI's real value must lie in the 95% interval of the simulated one (10 replications)
or within 10% of it: cycle-time medians and P90s, win rate, and how often each activity is
done per case.
"""

from __future__ import annotations

import pytest

from calibration.fidelity import baseline_fidelity

CYCLE_TIMES = ("lead_to_opportunity", "sales_cycle", "quote_approval", "quote_to_order",
               "contract_time", "fulfilment_time", "invoice_lag", "payment_days",
               "order_to_cash", "lead_to_cash")


@pytest.fixture(scope="module")
def rows(sample_log, sample_model):
    return {row.kpi: row for row in baseline_fidelity(sample_log, sample_model,
                                                       replications=10, seed=3)}


@pytest.mark.parametrize("kpi", [*CYCLE_TIMES, *(f"{k}.p90" for k in CYCLE_TIMES),
                                 "win_rate", "quote_revisions", "rework_rate", "throughput"])
def test_headline_kpis_are_reproduced(rows, kpi):
    row = rows[kpi]
    assert row.reproduced, (f"{kpi}: real {row.real:.3f}, simulated {row.simulated:.3f} "
                            f"[{row.ci_low:.3f}, {row.ci_high:.3f}]")


def test_every_activity_is_done_as_often(rows):
    frequencies = [row for kpi, row in rows.items() if kpi.startswith("frequency:")]
    assert len(frequencies) == 16
    missed = [(r.kpi, r.real, r.simulated) for r in frequencies if not r.reproduced]
    assert missed == []
