"""Prosimos's own example models: refused by name, or simulated as Prosimos simulates them.

The models belong to the Prosimos project and are not in this repository: they are copied into
``benchmarks/.prosimos-examples`` (or the folder ``$L2C_PROSIMOS_EXAMPLES`` names), one folder
per model, and ``benchmarks/prosimos_examples.py`` records Prosimos's log of each imported
model there. Without that folder (as in CI) the tests are skipped. For each model:

* a refusal must be a ``PlannerError`` that begins with the name of one of the two files and
  names an element id or a section of them;
* an import is simulated with the recorded number of cases and seeds and must pass the
  benchmark's checks against Prosimos's recorded cases (cycle-time KS, median, P90, mean and
  every task's runs per case, on effective sample sizes); where the recording is of an aligned
  copy, the import notes must state every difference the alignment removed.

A negative control: every imported model with its task durations 1.5 times as long fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from calibration.bps import import_bps
from sim.errors import PlannerError
from sim.model import ProcessModel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import prosimos_examples as examples  # noqa: E402 - a benchmark script, found on the path above

FOLDER = Path(os.environ.get("L2C_PROSIMOS_EXAMPLES", examples.EXAMPLES))
PAIRS = examples.find_pairs(FOLDER) if FOLDER.is_dir() else []
ABSENT = (f"no Prosimos example models in {FOLDER}: they are not in the repository; copy them "
          "there (see benchmarks/prosimos_examples.py) or set L2C_PROSIMOS_EXAMPLES")
SLOWER = 1.5
ALL = [pytest.param(p, id=p.name) for p in PAIRS] or [
    pytest.param(None, id="absent", marks=pytest.mark.skip(reason=ABSENT))]
RERUN = "re-run benchmarks/prosimos_examples.py (needs Prosimos) to record it"


def ids(value: object) -> set[str]:
    """The texts under ``id`` or ``..._id`` keys anywhere in a JSON value."""
    if isinstance(value, dict):
        own = {str(v) for k, v in value.items() if k == "id" or k.endswith("_id")}
        return own.union(*(ids(v) for v in value.values()))
    return set().union(*(ids(v) for v in value)) if isinstance(value, list) else set()


def names_in(pair: examples.Pair) -> set[str]:
    """Element ids of the diagram and ids and section names of the parameters."""
    found = set(re.findall(r'\bid="([^"]+)"', pair.bpmn.read_text(encoding="utf-8")))
    params = json.loads(pair.params.read_text(encoding="utf-8"))
    return {n for n in found | set(params) | ids(params) if len(n) > 2}


def recorded(pair: examples.Pair) -> tuple[dict, pd.DataFrame]:
    meta_path = pair.bpmn.parent / examples.META_NAME
    assert meta_path.exists(), f"{pair.name}: no Prosimos log; {RERUN}"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    for path in (pair.bpmn, pair.params):
        assert examples.file_sha256(path) == meta["model_sha256"][path.name], (
            f"{path.name} changed after Prosimos's log was recorded; {RERUN}")
    if "prosimos_error" in meta:
        pytest.skip(f"{pair.name}: Prosimos cannot run it, nothing to compare with "
                    f"({meta['prosimos_error']})")
    log_path = pair.bpmn.parent / examples.LOG_NAME
    assert hashlib.sha256(log_path.read_bytes()).hexdigest() == meta["log_sha256"]
    return meta, pd.read_csv(log_path, compression="gzip", dtype={"case_id": str})


def failures(model: ProcessModel, meta: dict, log: pd.DataFrame) -> list[str]:
    ours = examples.per_case(examples.run_ours(model, meta["cases"], meta["seeds"])[0])
    checks = examples.compare(ours, examples.per_case(log))
    return [f"{c.name}: {c.detail}" for c in checks if not c.passed]


def slower(model: ProcessModel) -> ProcessModel:
    activities = {name: a.model_copy(update={"processing": a.processing.scaled(SLOWER)})
                  if a.processing is not None else a for name, a in model.activities.items()}
    return model.model_copy(update={"activities": activities})


@pytest.mark.parametrize("pair", ALL)
def test_example_is_refused_by_name_or_simulated_as_prosimos_does(pair):
    try:
        imported = import_bps(pair.bpmn, pair.params)
    except PlannerError as error:
        message = str(error)
        assert message.startswith((pair.bpmn.name, pair.params.name)), message
        named = [n for n in names_in(pair) if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])",
                                                        message)]
        assert named, f"the refusal names no element or section of the files: {message}"
        return
    meta, log = recorded(pair)
    for words in meta["stated"]:
        assert any(words in note for note in imported.notes), (
            f"Prosimos ran an aligned copy, but no import note says '{words}'")
    failed = failures(imported.model, meta, log)
    assert not failed, f"{pair.name} ({meta['prosimos_input']}):\n" + "\n".join(failed)


@pytest.mark.parametrize("pair", ALL)
def test_durations_half_as_long_again_fail_the_checks(pair):
    try:
        imported = import_bps(pair.bpmn, pair.params)
    except PlannerError:
        pytest.skip("refused: nothing to simulate")
    meta, log = recorded(pair)
    assert failures(slower(imported.model), meta, log), (
        f"{pair.name}: durations x{SLOWER} still pass every check")
