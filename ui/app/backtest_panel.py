"""The backtest panel of the Model page, next to the holdout test: the user picks a change
(the one calibration detected, or a date) and the scenario that describes it (derived from
the log, or one of theirs), and ``calibration.evaluate.backtest`` runs as a background job
with its progress; the result is shown with ``backtest_view`` and can be saved with the
comparisons.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import streamlit as st

from calibration.evaluate.backtest import Backtest, backtest, detected_change
from calibration.evaluate.split import case_starts
from scenarios import load_scenario
from sim.errors import PlannerError
from sim.eventlog import EventLog
from sim.kpi_roles import ActivityRoles, in_effect
from sim.saved import SavedComparison, SavedScenario, SavedStore
from ui.app import backtest_view, cache, nav, shared, state
from ui.app.i18n import t
from ui.app.jobs import Progress
from ui.app.safety import guarded
from ui.app.state import LoadedData, LoadedModel
from ui.app.views.scenarios import choice_label, choices

JOB = "model.backtest_job"
RESULT = "model.backtest"  # the last backtest's result, as Backtest.to_dict() wrote it
DETECTED, GIVEN = "detected", "given"
DERIVED = ""  # the scenario choice: derived from the log
DEFAULT_REPS = 5


@st.cache_data(max_entries=4, show_spinner=False)
def _detected(data_key: str, _log: EventLog) -> str | None:
    """The date of the change calibration detects in the data with this key, if any."""
    try:
        found, _ = detected_change(_log)
    except PlannerError:
        return None
    return f"{found:%Y-%m-%d}"


@st.cache_data(max_entries=4, show_spinner=False)
def _span(data_key: str, _log: EventLog) -> tuple[date, date]:
    """The first and the last day a case of the data with this key begins."""
    starts = case_starts(_log)
    return starts.min().date(), starts.max().date()


def render(fitted: LoadedModel) -> None:
    st.subheader(t("bt.title"))
    st.caption(t("bt.help"))
    loaded = state.data()
    if loaded is None or loaded.result.log is None or loaded.key != fitted.data_key:
        st.info(t("model.no_history"))
        return
    _controls(loaded, fitted)
    job = shared.finished_job(state.recall(JOB))
    if job is not None and job.result is not None:
        state.remember(RESULT, job.result)
    found = state.recall(RESULT)
    if found is not None:
        result = Backtest.from_dict(found)
        st.caption(backtest_view.about(result))
        backtest_view.show(result, key="model.bt")
        _save(result)


def _controls(loaded: LoadedData, fitted: LoadedModel) -> None:
    log = loaded.result.log
    assert log is not None
    detected = _detected(loaded.key, log)
    first, last = _span(loaded.key, log)
    ways = {DETECTED: t("bt.detected", date=detected), GIVEN: t("bt.given")} if detected \
        else {GIVEN: t("bt.given")}
    options = {str(c.path): choice_label(c) for c in choices(fitted)}
    options = {DERIVED: t("bt.derived"), **options}
    _forget_stale(ways, options, first, last)
    with st.container(border=True):
        cells = st.columns([2, 2, 3])
        with cells[0]:
            way = state.kept(st.radio, t("bt.change"), key="model.bt_way",
                             default=next(iter(ways)), options=list(ways),
                             format_func=ways.__getitem__)
            if not detected:
                st.caption(t("bt.none_detected"))
        with cells[1]:
            middle = first + (last - first) / 2
            picked = state.kept(st.date_input, t("bt.date"), key="model.bt_date",
                                default=middle, min_value=first, max_value=last,
                                disabled=way != GIVEN)
        with cells[2]:
            scenario = state.kept(st.selectbox, t("bt.scenario"), key="model.bt_scenario",
                                  default=DERIVED, options=list(options),
                                  format_func=lambda p: options.get(p, p),
                                  help=t("bt.scenario_help"))
        run_cells = st.columns(3)
        with run_cells[0]:
            reps = state.kept(st.number_input, t("run.replications"), key="model.bt_reps",
                              default=DEFAULT_REPS, min_value=2, max_value=50, step=1,
                              help=t("run.replications_help"))
        with run_cells[1]:
            seed = state.kept(st.number_input, t("run.seed"), key="model.bt_seed", default=1,
                              min_value=0, step=1, help=t("run.seed_help"))
        clicked = st.button(t("bt.run"), icon=":material/history:", key="model.bt_run")
    if clicked:
        change = None if way == DETECTED else f"{picked:%Y-%m-%d}"  # None: the detected one
        _start(log, loaded.key, change, scenario or None, int(reps), int(seed))


def _forget_stale(ways: dict[str, str], options: dict[str, str], first: date, last: date
                  ) -> None:
    """Choices kept from other data (a change it had, a date outside this log, a scenario
    file gone) are dropped: the controls start again from their defaults."""
    for key, kept in (("model.bt_way", ways), ("model.bt_scenario", options)):
        if state.kept_value(key, None) not in (None, *kept):
            state.forget(key)
    picked = state.kept_value("model.bt_date", None)
    if picked is not None and not first <= picked <= last:
        state.forget("model.bt_date")


def _start(log: EventLog, data_key: str, change: str | None, scenario_path: str | None,
           reps: int, seed: int) -> None:
    """Submit the backtest, keyed by everything that decides its numbers (no change date:
    the change calibration detects)."""
    with guarded("start backtest"):
        text = Path(scenario_path).read_text(encoding="utf-8") if scenario_path else ""
        key = "backtest:" + hashlib.sha256(json.dumps(
            [data_key, change, text, reps, seed]).encode()).hexdigest()
        n_jobs = state.n_jobs()

        def work(progress: Progress) -> dict[str, object]:
            scenario = load_scenario(scenario_path) if scenario_path else None
            with in_effect(log.roles or ActivityRoles.default()):  # this job's thread
                found = backtest(log, scenario, change, reps=reps, seed=seed, n_jobs=n_jobs,
                                 progress=progress)
            return found.to_dict()

        cache.runner().submit(key, t("bt.job"), work)
        state.remember(JOB, key)


def _save(result: Backtest) -> None:
    """Save the backtest with the comparisons (the Saved page shows it), or download it."""
    fitted = state.model()
    assert fitted is not None
    cells = st.columns([3, 1, 1], vertical_alignment="bottom")
    with cells[0]:
        name = st.text_input(t("bt.save_name"), key="model.bt_save_name",
                             value=t("bt.default_name", date=result.change_date))
    with cells[1]:
        clicked = st.button(t("bt.save"), icon=":material/save:", key="model.bt_save")
    with cells[2]:
        st.download_button(t("bt.export_csv"), backtest_view.csv_bytes(result),
                           file_name=f"backtest_{result.change_date}.csv", mime="text/csv",
                           icon=":material/download:", key="model.bt_csv")
    if clicked:
        with guarded("save backtest"):
            model = cache.model_of(fitted.model_json)
            saved = SavedStore(state.saved_db_path()).save(SavedComparison(
                name=name, model_name=model.name,
                model_fingerprint=model.provenance.fingerprint, model_json=fitted.model_json,
                scenarios=[SavedScenario(result.scenario, "derived" if result.derived
                                         else "file", result.scenario_text)],
                seed=result.seed, replications=result.reps,
                run={}, results=[],  # its change date and periods are in its table
                backtest=result.to_dict()))
            st.success(t("bt.saved", name=saved.name), icon=":material/check_circle:")
            nav.link("saved", t("compare.go_saved"))
