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
HISTORY, CASES = "history", "cases"  # run lengths: the log's period, or a number of cases


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


@dataclass(frozen=True)
class Controls:
    """How one page draws its run controls: its state keys' prefix and its defaults."""

    prefix: str
    length: str  # HISTORY or CASES
    max_reps: int
    default_reps: int
    max_cases: int
    auto_help: str  # i18n keys
    cases_help: str


def run_controls(controls: Controls) -> tuple[Run, bool, str]:
    """Replications (until decided, at most so many; or a fixed count), seed, run length
    and cases in four columns, as Compare and Targets both ask them: the run, whether it
    runs until decided, and the length chosen."""
    key = controls.prefix
    lengths = {v: t(f"compare.length_{v}") for v in (HISTORY, CASES)}
    cells = st.columns(4)
    with cells[0]:
        auto = state.kept(st.toggle, t("run.auto"), key=f"{key}.auto", default=True,
                          help=t(controls.auto_help))
        reps = state.kept(st.number_input,
                          t("run.max_replications" if auto else "run.replications"),
                          key=f"{key}.reps", default=controls.default_reps, min_value=2,
                          max_value=controls.max_reps, step=1,
                          help=t("run.replications_help"))
    with cells[1]:
        seed = state.kept(st.number_input, t("run.seed"), key=f"{key}.seed", default=1,
                          min_value=0, step=1, help=t("run.seed_help"))
    with cells[2]:
        length = state.kept(st.radio, t("compare.length"), key=f"{key}.length",
                            default=controls.length, options=[HISTORY, CASES],
                            format_func=lengths.__getitem__)
    with cells[3]:
        cases = state.kept(st.number_input, t("compare.cases"), key=f"{key}.cases",
                           default=1000, min_value=50, max_value=controls.max_cases, step=50,
                           help=t(controls.cases_help), disabled=length != CASES)
    run = Run(int(reps), int(seed), int(cases) if length == CASES else None)
    return run, bool(auto), str(length)


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
