"""Compare: pick scenarios, replications and seed (and costs, for a business case); run them
against the baseline with common random numbers; read the KPI table, the business case and
the charts; save the comparison."""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from scenarios.comparison import Baseline, Comparison, against, run_comparison, to_saved
from sim.costs import Costs
from sim.precision import MAXIMUM, Replications
from sim.run_length import RunLength
from sim.saved import SavedStore
from ui import chart_bands
from ui.app import (
    business_case_view,
    cache,
    named,
    nav,
    runs,
    segments_view,
    shared,
    state,
    thresholds,
    trust,
    trust_view,
    wording,
)
from ui.app.i18n import kpi_name, language, t
from ui.app.jobs import Progress
from ui.app.safety import guarded
from ui.app.views.scenarios import choice_label, choices, show_not_applying
from ui.precision_text import precision_summary


def render() -> None:
    st.title(t("compare.title"))
    st.caption(t("compare.intro"))
    fitted = state.model()
    if fitted is None:
        st.info(t("compare.need_model"))
        nav.link("data")
        return
    _setup(fitted)
    job = shared.finished_job(state.recall(state.COMPARISON))
    if job is None:
        return
    _results(job.result_as(Comparison), job.seconds)


def _setup(fitted: state.LoadedModel) -> None:
    options = {str(c.path): c for c in choices(fitted)}
    labels = {path: choice_label(choice) for path, choice in options.items()}
    with st.container(border=True):
        picked = state.kept(st.multiselect, t("compare.scenarios"), key="cmp.scenarios",
                            default=[], options=list(options),
                            format_func=labels.__getitem__,
                            placeholder=t("compare.pick"))
        picked = [p for p in picked if p in options]
        show_not_applying(fitted)
        run, auto, length = runs.run_controls(runs.Controls(
            "cmp", runs.HISTORY, max_reps=200, default_reps=MAXIMUM, max_cases=100_000,
            auto_help="run.auto_help", cases_help="compare.cases_help"))
        if length == runs.HISTORY:
            st.caption(t("compare.history_help"))
        costs_text, costs, costs_ok = business_case_view.costs_input(
            cache.model_of(fitted.model_json))
        clicked = st.button(t("compare.run"), type="primary", icon=":material/play_arrow:",
                            disabled=not picked or not costs_ok, key="cmp.run")
    if clicked:
        plan = Replications(maximum=run.reps) if auto else Replications(fixed=run.reps)
        _start(fitted, [options[p] for p in picked], plan, run, (costs_text, costs))


def _start(fitted: state.LoadedModel, picked: list, plan: Replications, run: runs.Run,
           priced: tuple[str, Costs | None] = ("", None)) -> None:
    """Submit the run as a background job, keyed by everything that decides its numbers
    (the costs too: they decide the business case)."""
    costs_text, costs = priced
    with guarded("start comparison"):
        texts = [(c.name, c.path.read_text(encoding="utf-8")) for c in picked]
        key = "compare:" + hashlib.sha256(json.dumps(
            [fitted.key, texts, plan.describe(), run.seed, run.cases, costs_text],
            ensure_ascii=False).encode()).hexdigest()
        loaded = state.data()
        history = (loaded.result.log if loaded is not None and loaded.key == fitted.data_key
                   else None)
        model = cache.model_of(fitted.model_json)
        paths = [c.path for c in picked]
        n_jobs = state.n_jobs()

        def work(progress: Progress) -> Comparison:
            first = next(iter(plan.batches()))
            progress(0, first * (len(paths) + 1))  # the bar knows its first batch at once
            baseline = Baseline(model, history)
            length: RunLength | None = None if run.cases is None else {"cases": run.cases}
            return chart_bands.enrich(run_comparison(  # parts: the map filter reads them
                baseline, paths, plan, run.seed, length, n_jobs, progress, costs=costs,
                costs_source=t("bc.costs_file"), detail=True, parts=True))

        label = t("compare.job", names=", ".join(c.name for c in picked))
        cache.runner().submit(key, label, work)
        state.remember(state.COMPARISON, key)


def _results(comparison: Comparison, seconds: float) -> None:
    study = comparison.study
    st.subheader(t("compare.results"))
    run = runs.Run(study.replications, study.seed, study.run.get("cases"))
    st.caption(t("compare.settings", run=run.describe(), seconds=f"{seconds:.1f}"))
    reached = precision_summary(study.differences, japanese=language() == "ja")
    if reached:
        st.caption(reached)
    baseline = {d.kpi: (d.baseline, d.unit) for d in study.differences
                if d.group is None and d.baseline is not None}
    runs.keep("compare", run, baseline)
    for kpi in baseline:
        runs.other_figure("compare", kpi, run, kpi_name(kpi, kpi))
    if study.stopped:
        st.warning(t("compare.stopped"))
    for note in comparison.notes:
        st.info(wording.for_app(named.note(note)), icon=":material/info:")
    shared.comparison_results(study.differences, study.charts, key="cmp.results")
    business_case_view.show(comparison.business_case)
    if comparison.fidelity is not None:
        found = trust.keep_replay(comparison.fidelity,
                                  study.replications, study.seed, trust.COMPARE)
        if found.replay is not None:
            with st.expander(t("compare.trust"), icon=trust_view.icon(bool(found.replay.misses()))):
                trust_view.replay(found.replay)
    _against(comparison)
    segments_view.show(comparison)
    _save(comparison)


def _against(comparison: Comparison) -> None:
    """With two scenarios or more, each against one of them instead of the baseline: the
    members ran with the same seeds, so they pair replication by replication."""
    names = comparison.study.names[1:]
    if len(names) < 2:
        return
    st.subheader(t("compare.against_title"))
    st.caption(t("compare.against_help"))
    reference = str(st.selectbox(t("compare.against_ref"), names, key="cmp.against",
                                 format_func=named.scenario))
    rows = thresholds.applied(against(comparison.study, reference), thresholds.current())
    for scenario in dict.fromkeys(row.scenario for row in rows):
        st.markdown(f"#### {named.scenario(scenario)}")
        st.caption(t("compare.against_columns", reference=named.scenario(reference)))
        shared.kpi_table([r for r in rows if r.scenario == scenario], False,
                         key=f"cmp.against.{scenario}")


def _save(comparison: Comparison) -> None:
    st.subheader(t("compare.save"))
    names = " + ".join(named.scenario(s.name) for s in comparison.scenarios)
    cells = st.columns([3, 1], vertical_alignment="bottom")
    with cells[0]:
        name = st.text_input(t("compare.save_name"), value=t("compare.default_name",
                                                             names=names),
                             key="cmp.save_name")
    with cells[1]:
        clicked = st.button(t("compare.save_button"), icon=":material/save:",
                            key="cmp.save")
    if clicked:
        with guarded("save comparison"):
            made = to_saved(comparison, name)
            made.results = thresholds.applied(made.results, thresholds.current())
            made.segments = segments_view.current(comparison)
            saved = SavedStore(state.saved_db_path()).save(made)
            st.success(t("compare.saved", name=saved.name), icon=":material/check_circle:")
            nav.link("saved", t("compare.go_saved"))
