"""The browser walks wait for a run's answer as long as its progress bar moves: a run
slowed by a busy machine is not failed for taking long, one whose bar stands still is."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, cast

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import wait_while_moving

POLL_S = 0.002  # the stub's poll, instead of the walk's two seconds


class Run:
    """A page whose answer comes after ``polls`` polls, with its bar at ``fills``."""

    def __init__(self, fills: Iterator[float], polls: int) -> None:
        self.fills, self.left = fills, polls

    def evaluate(self, _script: str) -> float:
        return next(self.fills)

    def wait_for(self, timeout: float) -> None:
        time.sleep(POLL_S)
        self.left -= 1
        if self.left > 0:
            raise PlaywrightTimeout("not yet")


def wait(run: Run, still_s: float, cap_s: float = 60.0) -> None:
    wait_while_moving(cast(Any, run), cast(Any, run), still_s=still_s, cap_s=cap_s)


def test_a_slow_run_whose_bar_moves_is_waited_for() -> None:
    """200 polls, ten times longer than the bar may stand still: the bar moves on each."""
    wait(Run((k / 1000 for k in range(10_000)), polls=200), still_s=40 * POLL_S)


def test_a_run_whose_bar_stands_still_fails_and_so_does_one_that_never_ends() -> None:
    with pytest.raises(AssertionError, match=r"stood still at 0\.3"):
        wait(Run(iter(lambda: 0.3, None), polls=10_000), still_s=20 * POLL_S)
    with pytest.raises(AssertionError, match="no answer after"):
        wait(Run((k / 1000 for k in range(10_000)), polls=10_000), still_s=1.0,
             cap_s=50 * POLL_S)
