"""One duration formatter for the model, the maps, the findings, the terminal and the app."""

from __future__ import annotations

import pytest

from sim.duration_text import days_text, duration_text


@pytest.mark.parametrize(("seconds", "english", "japanese"), [
    (3.14 * 86400, "3.1 d", "3.1 日"), (5400, "1.5 h", "1.5 時間"), (600, "10 min", "10 分"),
    (12, "12 s", "12 秒"), (0, "0 s", "0 秒"), (-2 * 3600, "-2.0 h", "-2.0 時間"),
    (None, "—", "—"), (float("nan"), "—", "—"),
])
def test_a_duration_reads_in_the_largest_unit_it_reaches(seconds, english, japanese) -> None:
    assert duration_text(seconds) == english
    assert duration_text(seconds, "ja") == japanese


def test_days_are_the_same_duration() -> None:
    assert days_text(2 / 24) == duration_text(7200) == "2.0 h"
    assert days_text(None) == "—"
