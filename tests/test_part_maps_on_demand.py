"""The map of each part of the cases (the map filter of the Compare and Saved pages), and
the weeks and maps of the charts, are measured only when asked for: a comparison without
them computes none and answers with the very same KPIs; the cache never serves a
replication kept without part maps to a study that needs them, and one kept with them
serves both; ``l2c compare`` measures what its output shows."""

from __future__ import annotations

import json
import pickle

import pytest
from typer.testing import CliRunner

import sim.measured
from scenarios import LIBRARY
from sim.chart_data import to_json
from sim.replication_cache import CACHE_ENV, FOLDER, ReplicationCache
from sim.run_length import RunLength
from sim.saved import SavedStore
from sim.study import Study, run_study
from tests.engine_models import routing_model
from ui.cli import app

RUN: RunLength = {"days": 30.0}


def _study(cache: ReplicationCache, parts: bool = False, detail: bool = True) -> Study:
    model, faster = routing_model(), routing_model(per_hour=6.0)
    return run_study(model, [("More", faster)], 3, seed=3, n_jobs=1, cache=cache,
                     detail=detail, parts=parts, run=RUN)


def _charts_without_parts(study: Study) -> str:
    return json.dumps({name: {k: v for k, v in charts.items() if k != "process_map_parts"}
                       for name, charts in to_json(study.charts).items()}, sort_keys=True)


def _parts(study: Study) -> str:
    return json.dumps({name: charts["process_map_parts"]
                       for name, charts in to_json(study.charts).items()}, sort_keys=True)


@pytest.fixture
def part_map_calls(monkeypatch) -> list[int]:
    """Each call of ``sim.measured.part_maps`` in this process (the studies run on one)."""
    calls: list[int] = []
    measure = sim.measured.part_maps

    def counted(*args, **kwargs):
        calls.append(1)
        return measure(*args, **kwargs)

    monkeypatch.setattr(sim.measured, "part_maps", counted)
    return calls


def test_a_comparison_without_the_map_filter_maps_no_parts(part_map_calls, tmp_path) -> None:
    plain = _study(ReplicationCache(tmp_path / "plain"))
    assert part_map_calls == []
    assert all(charts["process_map_parts"] == [] for charts in plain.charts.values())
    mapped = _study(ReplicationCache(tmp_path / "mapped"), parts=True)
    assert len(part_map_calls) == 6  # 3 replications of 2 models
    assert all(charts["process_map_parts"] for charts in mapped.charts.values())
    assert mapped.differences == plain.differences
    assert repr(mapped.per_rep) == repr(plain.per_rep)  # every KPI of every run (NaN != NaN)
    assert _charts_without_parts(mapped) == _charts_without_parts(plain)


def test_the_cache_serves_part_maps_only_from_a_run_kept_with_them(part_map_calls,
                                                                    tmp_path) -> None:
    cache = ReplicationCache(tmp_path)
    plain = _study(cache)
    mapped = _study(cache, parts=True)
    assert mapped.reused == 0 and len(part_map_calls) == 6, "kept without parts: run again"
    fresh = _study(ReplicationCache(None), parts=True)
    assert _parts(mapped) == _parts(fresh)
    again = _study(cache, parts=True)
    assert again.reused == 6 and _parts(again) == _parts(fresh)
    without = _study(cache)  # served by the runs kept with parts, and shows none
    assert without.reused == 6 and len(part_map_calls) == 12
    assert _parts(without) == _parts(plain) and _charts_without_parts(without) == (
        _charts_without_parts(plain))


def test_a_study_without_detail_has_the_same_numbers_and_no_weeks_or_maps(tmp_path) -> None:
    bare = _study(ReplicationCache(tmp_path), detail=False, parts=True)
    full = _study(ReplicationCache(None), parts=True)
    assert repr(bare.per_rep) == repr(full.per_rep) and bare.differences == full.differences
    for charts in bare.charts.values():
        assert not charts["over_time"] and not charts["process_map"]
        assert not charts["process_map_parts"] and not charts.get("process_map_diff")
    assert all(charts["over_time"] and charts["process_map"] for charts in full.charts.values())
    assert _study(ReplicationCache(tmp_path)).reused == 0, "kept without weeks: run again"


def test_the_command_line_measures_what_its_output_shows(monkeypatch, tmp_path,
                                                         sample_model) -> None:
    """``l2c compare``'s json leaves out the weeks, maps and part maps; with ``--save`` the
    Saved page's charts and map filter have them."""
    model = sample_model.save(tmp_path / "model.json")
    scenario = str(LIBRARY / "automated_invoicing.yaml")
    args = ["compare", str(model), scenario, "--reps", "2", "--cases", "200", "--jobs", "1",
            "--format", "json"]
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    shown = CliRunner().invoke(app, args)
    assert shown.exit_code == 0, shown.output
    kept = [pickle.loads(p.read_bytes())
            for p in (tmp_path / "cache" / FOLDER).glob("*/*.pickle")]
    assert len(kept) == 4
    assert all(m.over_time is m.process_map is m.process_map_parts is None for m in kept)
    db = tmp_path / "saved.sqlite"
    saved = CliRunner().invoke(app, [*args, "--save", "invoicing", "--db", str(db)])
    assert saved.exit_code == 0, saved.output
    assert json.loads(saved.stdout) == json.loads(shown.stdout)
    charts = SavedStore(db).load("invoicing").charts["Automated invoicing"]
    assert charts["process_map_parts"] and charts["process_map"] and charts["over_time"]
