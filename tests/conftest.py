"""Shared fixtures: small event-log files written into tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

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
