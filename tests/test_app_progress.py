"""Progress bars move with the work done, never go backwards, and show the time left: a job
reports its runs the way parallel simulations and a target search do (in blocks, with a
total that grows), and the page's bar is read after each report (``streamlit.testing``)."""

from __future__ import annotations

import queue
import threading
import time

from streamlit.testing.v1 import AppTest

from ui.app import cache
from ui.app.jobs import Progress, wait_for

# (runs done, runs expected) as the work reports them: blocks of ten, then a search that
# finds it has more settings to try
REPORTS = [(0, 110), (10, 110), (20, 110), (109, 110), (121, 155), (155, 155)]


def _page() -> None:
    import streamlit as st

    from ui.app import shared

    shared.finished_job(st.session_state["job"])


def _bar(at: AppTest) -> tuple[int, str]:
    bars = at.get("progress")
    assert bars, "a progress bar is shown"
    return int(bars[0].proto.value), str(bars[0].proto.text)


def test_a_bar_moves_with_the_work_never_back_and_says_the_time_left() -> None:
    reports: queue.Queue[tuple[int, int] | None] = queue.Queue()
    reported = threading.Semaphore(0)

    def work(progress: Progress) -> str:
        while (report := reports.get(timeout=30)) is not None:
            progress(*report)
            reported.release()
        return "done"

    key = f"progress-test:{time.monotonic()}"
    job = cache.runner().submit(key, "Simulating", work)
    at = AppTest.from_function(_page, default_timeout=30)
    at.session_state["job"] = key
    seen: list[int] = []

    reports.put(REPORTS[0])
    reported.acquire(timeout=10)
    at.run()
    fill, text = _bar(at)
    assert "starting" in text and "s)" in text, text  # the clock runs before the first run
    seen.append(fill)

    time.sleep(0.2)
    reports.put(REPORTS[1])
    reported.acquire(timeout=10)
    at.run()
    fill, text = _bar(at)
    assert "10 of 110 runs" in text and "left" in text, text
    seen.append(fill)
    time.sleep(0.4)  # nothing reported: the runs in flight still move the bar
    at.run()
    seen.append(_bar(at)[0])
    assert seen[-1] > seen[-2], seen

    for report in REPORTS[2:-1]:
        reports.put(report)
        reported.acquire(timeout=10)
        at.run()
        fill, text = _bar(at)
        seen.append(fill)
        assert "left" in text, text
    assert seen == sorted(seen), f"the bar went backwards: {seen}"
    assert seen[-1] < 100, "full only when the job has ended"

    reports.put(REPORTS[-1])
    reports.put(None)
    assert wait_for(job, 10) and job.ok
    assert job.meter.shown(time.monotonic(), job.finished) == 1.0
