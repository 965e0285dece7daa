"""The bundled sample and the model calibrated from it, read and calibrated once per test
run: the fixtures of ``tests/conftest.py`` and plain functions that build on them (such as
the saved comparison of ``test_report``) share the one copy. The real public logs in the
shared data folder next to the repository are read once too. All are shared: do not change
them."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from calibration.fit.calibrate import calibrate
from calibration.read import read_log
from calibration.sample import sample_path
from sim.eventlog import EventLog
from sim.model import ProcessModel

LOGS = Path(__file__).resolve().parents[2] / "shared" / "logs"


@functools.cache
def sample_log() -> EventLog:
    """The bundled Dynamics 365 sample log."""
    return read_log(sample_path("d365")).require_log()


@functools.cache
def sample_model() -> ProcessModel:
    """The model calibrated from the bundled sample."""
    return calibrate(sample_log(), sample_path("d365")).model


def real_log_path(name: str) -> Path:
    """The real log's path; the test is skipped where the shared data folder lacks it."""
    path = LOGS / name
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    return path


@functools.cache
def real_log(name: str) -> EventLog:
    """A real log of the shared data folder, read by the planner's reader."""
    return read_log(real_log_path(name)).require_log()
