"""The holdout report says when new cases per week moved after the split date (a model
learned before it cannot know), and stays silent when they did not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calibration.evaluate.split import split_log
from calibration.evaluate.volume_shift import volume_shift
from calibration.evaluate.window import comparison_window
from tests.synthetic_logs import event_log

SPLIT = pd.Timestamp("2024-07-01")


def weekly_log(per_week_after: float, seed: int = 3) -> pd.DataFrame:
    """26 weeks of 100 new cases a week on average (Poisson), then 26 weeks of
    ``per_week_after``; each case two steps an hour apart."""
    rng = np.random.default_rng(seed)
    rows = []
    begin = SPLIT - pd.Timedelta(weeks=26)
    for day in range(7 * 52):
        at = begin + pd.Timedelta(days=day)
        rate = 100.0 if at < SPLIT else per_week_after
        for k in range(int(rng.poisson(rate / 7))):
            start = at + pd.Timedelta(hours=float(rng.uniform(0, 24)))
            case = f"{day}-{k}"
            rows += [(case, "Open", start, start + pd.Timedelta(minutes=10)),
                     (case, "Close", start + pd.Timedelta(hours=1),
                      start + pd.Timedelta(hours=1, minutes=10))]
    return event_log(rows)


@pytest.mark.parametrize(("after", "word"), [(70.0, "fell"), (135.0, "rose")])
def test_a_volume_that_moved_after_the_split_is_named(after: float, word: str):
    holdout = split_log(weekly_log(after), split_date=SPLIT)
    note = volume_shift(holdout, comparison_window(holdout))
    assert note is not None and note.key == f"volume_{word}"
    assert f"New cases per week {word} after the split date" in note.text


def test_a_steady_volume_gets_no_note():
    holdout = split_log(weekly_log(100.0), split_date=SPLIT)
    assert volume_shift(holdout, comparison_window(holdout)) is None
