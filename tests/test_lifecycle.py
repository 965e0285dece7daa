"""Lifecycle pairing: k-th start with k-th complete, unpaired events kept and counted."""

from __future__ import annotations

import pandas as pd

from calibration.lifecycle import SOURCE_ROW, TIME, pair_lifecycle


def _events(rows: list[tuple[str, str, str, str]]) -> tuple[pd.DataFrame, pd.Series]:
    frame = pd.DataFrame(rows, columns=["case_id", "activity", "transition", TIME])
    frame[TIME] = pd.to_datetime(frame[TIME])
    frame[SOURCE_ROW] = range(2, 2 + len(frame))
    return frame.drop(columns="transition"), frame["transition"]


def test_starts_pair_with_completes_in_order():
    events, lifecycle = _events([
        ("c", "A", "start", "2024-01-01 09:00"), ("c", "A", "start", "2024-01-01 09:30"),
        ("c", "A", "complete", "2024-01-01 10:00"), ("c", "A", "complete", "2024-01-01 11:00"),
    ])
    instances, counts = pair_lifecycle(events, lifecycle)
    assert counts.paired == 2 and counts.unpaired_starts == counts.unpaired_completes == 0
    spans = sorted(zip(instances["start_time"].dt.hour * 60 + instances["start_time"].dt.minute,
                       instances["end_time"].dt.hour, strict=True))
    assert spans == [(540, 10), (570, 11)]


def test_unpaired_and_other_transitions_are_counted():
    events, lifecycle = _events([
        ("c", "A", "start", "2024-01-01 09:00"),
        ("c", "B", "start", "2024-01-01 09:00"), ("c", "B", "complete", "2024-01-01 09:30"),
        ("c", "B", "complete", "2024-01-01 12:00"),
        ("c", "C", "complete", "2024-01-01 13:00"),
        ("c", "D", "suspend", "2024-01-01 13:00"),
    ])
    instances, counts = pair_lifecycle(events, lifecycle)
    assert counts.paired == 1
    assert counts.unpaired_starts == 1  # A
    assert counts.unpaired_completes == 1  # the second B
    assert counts.atomic == 1  # C is never started: an instant activity, not an error
    assert counts.set_aside == {"suspend": 1}
    assert len(instances) == 4
    lone = instances[instances["activity"] == "A"].iloc[0]
    assert lone["start_time"] == lone["end_time"]


def test_complete_before_its_start_is_not_paired():
    events, lifecycle = _events([
        ("c", "A", "complete", "2024-01-01 08:00"), ("c", "A", "start", "2024-01-01 09:00"),
    ])
    instances, counts = pair_lifecycle(events, lifecycle)
    assert counts.paired == 0
    assert (instances["end_time"] >= instances["start_time"]).all()
