"""The cache of measured replications: reused only for the very same model, seed, run
length and code; a damaged entry is a miss; a study reads it to the same numbers."""

from __future__ import annotations

import pytest

from sim.materiality import Thresholds
from sim.measured import measure_replication
from sim.replication_cache import CACHE_ENV, ReplicationCache, default_folder, study_key
from sim.study import run_study
from tests.engine_models import delay_chain, routing_model

RUN = {"days": 30.0}


def test_the_key_changes_with_the_model_the_seed_and_the_run():
    model = routing_model()
    key = study_key(model, 1, RUN)
    assert key == study_key(routing_model(), 1, dict(RUN))
    assert len({key, study_key(routing_model(per_hour=6.0), 1, RUN),
                study_key(model, 2, RUN), study_key(model, 1, {"days": 31.0})}) == 4


def test_an_entry_comes_back_and_a_damaged_one_is_a_miss(tmp_path):
    cache = ReplicationCache(tmp_path)
    model = delay_chain()
    key = study_key(model, 1, RUN)
    measured = measure_replication(model, 1, 0, RUN)
    assert cache.get(key, 0) is None
    cache.put(key, 0, measured)
    found = cache.get(key, 0)
    assert found is not None and repr(found.kpis) == repr(measured.kpis)  # NaN != NaN
    assert cache.hits == 1
    assert cache.get(key, 1) is None and cache.get(study_key(model, 2, RUN), 0) is None
    cache._path(key, 0).write_bytes(b"not a pickle")
    assert cache.get(key, 0) is None
    assert (tmp_path.stat().st_mode & 0o777) == 0o700


def test_the_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    assert default_folder() == tmp_path / "replications"
    monkeypatch.setenv(CACHE_ENV, "off")
    assert default_folder() is None
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_folder() == tmp_path / "xdg" / "l2c" / "replications"


def test_a_study_read_from_the_cache_gives_the_same_numbers(tmp_path):
    model, faster = routing_model(), routing_model(per_hour=6.0)
    cache = ReplicationCache(tmp_path)
    first = run_study(model, [("More", faster)], 4, seed=3, n_jobs=1, cache=cache, run=RUN)
    assert first.reused == 0
    again = run_study(model, [("More", faster)], 4, seed=3, n_jobs=1, cache=cache, run=RUN)
    assert again.reused == 8 and again.differences == first.differences
    # the baseline is shared with another scenario; a new scenario is simulated
    other = run_study(model, [("Fewer", routing_model(per_hour=4.0))], 4, seed=3, n_jobs=1,
                      cache=cache, run=RUN)
    assert other.reused == 4
    uncached = run_study(model, [("More", faster)], 4, seed=3, n_jobs=1,
                         cache=ReplicationCache(None), run=RUN)
    assert uncached.differences == first.differences


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_parallel_and_serial_studies_agree(n_jobs, tmp_path):
    model, faster = routing_model(), routing_model(per_hour=6.0)
    study = run_study(model, [("More", faster)], 3, seed=5, n_jobs=n_jobs,
                      cache=ReplicationCache(None), thresholds=Thresholds(), run=RUN)
    serial = run_study(model, [("More", faster)], 3, seed=5, n_jobs=1,
                       cache=ReplicationCache(None), run=RUN)
    assert study.differences == serial.differences


def test_a_target_search_reads_the_baseline_a_comparison_ran(tmp_path):
    from scenarios.target import Evaluator, generate_levers
    from tests.test_target import chain

    model, cache, run = chain(random=True), ReplicationCache(tmp_path), {"cases": 30}
    study = run_study(model, [], 3, seed=2, n_jobs=1, cache=cache, run=run)
    evaluator = Evaluator(model, generate_levers(model).by_id, "lead_to_cash", "median", 3, 2,
                          n_jobs=1, run=run, store=cache)
    before = cache.hits
    values = evaluator.baseline.values
    assert cache.hits == before + 3  # nothing simulated again
    summary = next(r for r in study.summaries["Baseline"] if r.id == "lead_to_cash")
    assert sum(values) / 3 == pytest.approx(summary.value)


def test_entries_unused_for_a_month_are_pruned(tmp_path):
    import os
    import time

    cache = ReplicationCache(tmp_path)
    model = delay_chain()
    key = study_key(model, 1, RUN)
    measured = measure_replication(model, 1, 0, RUN)
    for r in range(3):
        cache.put(key, r, measured)
    old = time.time() - 31 * 86_400
    os.utime(cache._path(key, 0), (old, old))
    os.utime(cache._path(key, 1), (old, old))
    assert cache.get(key, 1) is not None  # read now: no longer old
    assert cache.prune() == 1
    assert cache.get(key, 0) is None and cache.get(key, 2) is not None
