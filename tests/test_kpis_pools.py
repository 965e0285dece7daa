"""Utilisation per pool: a simulated run's busy share of each pool's working time, in the KPI
table of every replication (and so of every comparison)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.kpis.pools import pool_utilisation
from sim.measured import measure_replication


def test_the_mean_busy_share_over_the_days_the_pool_is_open() -> None:
    daily = pd.DataFrame({"pool": ["Approvers"] * 3 + ["Billing"] * 2,
                          "share": [0.2, np.nan, 0.6, 0.5, 0.3]})  # a closed Sunday: no share
    found = {r.id: r for r in pool_utilisation(daily)}
    assert found["pool_utilisation:Approvers"].value == pytest.approx(0.4)
    assert found["pool_utilisation:Approvers"].n == 2
    assert found["pool_utilisation:Approvers"].label == "Utilisation of the pool Approvers"
    assert found["pool_utilisation:Billing"].value == pytest.approx(0.4)


def test_a_replication_measures_each_pool_of_its_model(sample_model) -> None:
    measured = measure_replication(sample_model, seed=1, replication=0, run={"cases": 100})
    pools = {r.item: r.value for r in measured.kpis if r.kind == "pool_utilisation"}
    assert set(pools) == set(sample_model.pools)
    assert pools == pytest.approx(measured.utilisation.to_dict())  # what the chart shows
