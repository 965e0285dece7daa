"""Which simulation run a baseline figure comes from, so one model shows one number.

Compare and Targets simulate the same baseline with common random numbers: the same
replications, seed and run length give the very same figures on both pages. Each page
keeps the baseline figures of its last run here, with the run's settings; a page that
shows a baseline figure says which run it comes from, and when the other page shows the
same KPI from another run it says so, with both numbers, and offers to use the same run.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from calibration.fidelity import history_run
from sim.model import ProcessModel
from sim.run_length import RunLength
from ui.app import quantity, state
from ui.app.i18n import t

SLOT = "baselines"  # state slot: page -> (Run, {kpi: (value, unit)})


@dataclass(frozen=True)
class Run:
    """A simulation run's settings; ``cases`` None replays the log's period."""

    reps: int
    seed: int
    cases: int | None = None

    def settings(self, model: ProcessModel) -> RunLength:
        """What ``simulate`` takes for this run."""
        return history_run(model) if self.cases is None else {"cases": self.cases}

    def describe(self) -> str:
        length = (t("runs.history") if self.cases is None
                  else t("runs.cases", cases=f"{self.cases:,}"))
        return t("runs.describe", reps=self.reps, seed=self.seed, length=length)


def keep(page: str, run: Run, figures: dict[str, tuple[float, str]]) -> None:
    """Remember the baseline figures ``page`` showed, with the run they come from."""
    kept = dict(state.recall(SLOT) or {})
    kept[page] = (run, figures)
    state.remember(SLOT, kept)


def elsewhere(page: str, kpi: str) -> tuple[str, Run, float, str] | None:
    """The same KPI's baseline figure on another page, from its last run: (page, run,
    value, unit)."""
    for other, (run, figures) in (state.recall(SLOT) or {}).items():
        if other != page and kpi in figures:
            value, unit = figures[kpi]
            return other, run, value, unit
    return None


def last_run(page: str) -> Run | None:
    found = (state.recall(SLOT) or {}).get(page)
    return found[0] if found else None


def other_figure(page: str, kpi: str, run: Run, label: str) -> None:
    """Say so when another page shows this KPI's baseline from a different run."""
    found = elsewhere(page, kpi)
    if found is None or found[1] == run:
        return
    other, other_run, value, unit = found
    st.info(t("runs.other", page=t(f"page.{other}"), kpi=label,
              value=quantity.value(unit, value), run=other_run.describe()),
            icon=":material/info:")
