"""The bundled sample and the model calibrated from it, read and calibrated once per test
run: the fixtures of ``tests/conftest.py`` and plain functions that build on them (such as
the saved comparison of ``test_report``) share the one copy. Both are frozen: do not change
them."""

from __future__ import annotations

import functools

from calibration.fit.calibrate import calibrate
from calibration.read import read_log
from calibration.sample import sample_path
from sim.eventlog import EventLog
from sim.model import ProcessModel


@functools.cache
def sample_log() -> EventLog:
    """The bundled Dynamics 365 sample log."""
    return read_log(sample_path("d365")).require_log()


@functools.cache
def sample_model() -> ProcessModel:
    """The model calibrated from the bundled sample."""
    return calibrate(sample_log(), sample_path("d365")).model
