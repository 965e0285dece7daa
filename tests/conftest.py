"""Shared fixtures: small event-log files written into tmp_path, and the bundled sample
with its model, read and calibrated once per test session (the model is frozen, so every
test may share it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from calibration.fit.calibrate import calibrate
from calibration.read import read_log
from calibration.sample import sample_path
from sim.eventlog import EventLog
from sim.model import ProcessModel

GOOD_CSV = """case_id,activity,start_time,end_time,resource,outcome,amount
C1,Lead Created,2024-01-01 09:00,2024-01-01 09:00,System,Won,1000
C1,Quote Created,2024-01-02 10:00,2024-01-02 11:00,Ann,Won,1000
C1,Payment Received,2024-01-05 12:00,2024-01-05 12:00,Customer,Won,1000
C2,Lead Created,2024-01-03 09:00,2024-01-03 09:00,System,Lost,500
C2,Quote Created,2024-01-04 10:00,2024-01-04 10:30,Bob,Lost,500
C2,Opportunity Lost,2024-01-06 12:00,2024-01-06 12:00,Bob,Lost,500
C3,Lead Created,2024-01-04 09:00,2024-01-04 09:00,System,,700
C3,Quote Created,2024-01-05 10:00,2024-01-05 10:45,Ann,,700
"""


@pytest.fixture
def write_file(tmp_path: Path):
    """Write text (or bytes) to a file in tmp_path and return its path."""

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode(encoding))
        return path

    return write


@pytest.fixture(scope="session")
def sample_log() -> EventLog:
    """The bundled Dynamics 365 sample log (shared: do not change it)."""
    return read_log(sample_path("d365")).require_log()


@pytest.fixture(scope="session")
def sample_model(sample_log: EventLog) -> ProcessModel:
    """The model calibrated from the bundled sample."""
    return calibrate(sample_log, sample_path("d365")).model


@pytest.fixture(autouse=True, scope="session")
def _replication_cache(tmp_path_factory) -> None:
    """Measured replications are kept in a folder of the session's, never the user's."""
    import os

    os.environ["L2C_CACHE_DIR"] = str(tmp_path_factory.mktemp("replication-cache"))
