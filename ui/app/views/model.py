"""Model: what calibration learned, explained, and how far the model can be trusted."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from calibration import model_view
from calibration.evaluate import HEADLINE_REPS, evaluate_log
from calibration.evaluate.report import EvaluationReport
from calibration.evaluate.tuning import trial_lines
from calibration.fidelity import FidelityRow, baseline_fidelity
from sim.distributions import Distribution, Fixed
from sim.duration_text import duration_text
from sim.kpi_roles import ActivityRoles, in_effect
from sim.model import (
    AROUND,
    END,
    HISTORY,
    NEXT,
    PREVIOUS,
    VISIT,
    AttributeDelays,
    ProcessModel,
    Tuning,
)
from ui.app import (
    backtest_panel,
    cache,
    charts,
    named,
    nav,
    plot_config,
    shared,
    state,
    trust,
    trust_view,
    wording,
)
from ui.app.i18n import day_names, language, note_text, t
from ui.app.jobs import Progress
from ui.app.state import LoadedModel
from ui.app.views.data import calibrate_button

FIDELITY_KEY = "model.fidelity_job"
HOLDOUT_JOB = "model.holdout_job"
PLACE = "model.top"  # where a calibration started here is reported
HOLDOUT_STEPS = 6
DELAY_FACTORS = (PREVIOUS, NEXT, AROUND, VISIT)  # worded in the app; any other is an attribute


class Replayed(NamedTuple):
    """The check against the history a background job hands back: its rows and how run."""

    rows: list[FidelityRow]
    reps: int
    seed: int


def render() -> None:
    st.title(t("model.title"))
    just = state.take_flash(PLACE)
    if just is not None:
        st.success(just[1], icon=":material/check_circle:")
    fitted = state.model()
    if fitted is None:
        st.info(t("model.none"))
        loaded = state.data()
        if loaded is not None and loaded.result.log is not None:
            calibrate_button(loaded, place=PLACE)
        else:
            nav.link("data")
        return
    model = cache.model_of(fitted.model_json)
    _summary(model, fitted)
    tabs = st.tabs([t("model.activities"), t("model.routing"), t("model.pools"),
                    t("model.arrivals"), t("model.trust"), t("model.file")])
    with tabs[0]:
        _activities(model, fitted)
    with tabs[1]:
        _routing(model)
    with tabs[2]:
        _pools(model)
    with tabs[3]:
        _arrivals(model)
    with tabs[4]:
        _trust(model, fitted)
        _holdout(fitted)
        backtest_panel.render(fitted)
    with tabs[5]:
        _file(model, fitted)


def _summary(model: ProcessModel, fitted: LoadedModel) -> None:
    p = model.provenance
    weekly = float(model.arrivals.week_profile().sum())
    cells = st.columns(5)
    cells[0].metric(t("data.cases"), f"{p.cases:,}")
    cells[1].metric(t("data.activities"), f"{len(model.activities):,}")
    cells[2].metric(t("model.pools_count"), f"{len(model.pools):,}")
    cells[3].metric(t("model.new_per_week"), f"{weekly:,.1f}")
    cells[4].metric(t("model.trend"), f"{np.expm1(model.arrivals.trend_per_month):+.1%}")
    st.caption(t("model.source", source=p.source, start=p.period_start[:10],
                 end=p.period_end[:10]))
    trust_view.header(trust.summary())
    if fitted.notes:
        with st.expander(t("model.notes", n=len(fitted.notes)), expanded=True,
                         icon=":material/lightbulb:"):
            st.markdown("\n".join(f"- {wording.for_app(note_text(key, values))}"
                                   for key, values in fitted.notes))
    if p.tuning is not None:
        _tuning(p.tuning)


def _tuning(tuning: Tuning) -> None:
    """Every structure tried on the log, by what it changed, its score, and the one kept."""
    with st.expander(t("model.tuning", n=len(tuning.trials)), icon=":material/tune:"):
        st.caption(t("model.tuning_caption", learned=f"{tuning.learned_cases:,}",
                     date=tuning.split_date[:10], validation=f"{tuning.validation_cases:,}",
                     reps=tuning.replications))
        rows = [{"structure": "; ".join(line.changes) or t("model.tuning_default"),
                 "score": line.score, "kept": line.kept}
                for line in trial_lines(tuning, language() == "ja")]
        st.dataframe(pd.DataFrame(rows), hide_index=True, column_config={
            "structure": st.column_config.TextColumn(t("model.tuning_structure"),
                                                     width="large"),
            "score": st.column_config.NumberColumn(t("model.tuning_score"), format="%.2f"),
            "kept": st.column_config.CheckboxColumn(t("model.tuning_kept"))})


def _unit_labels() -> dict[str, str]:
    return {"observed": t("model.observed"), "fitted": t("model.fitted"),
            "share": t("model.share_of_cases"), "days": t("unit.days"),
            "hours": t("unit.hours"), "minutes": t("unit.minutes")}


def _activities(model: ProcessModel, fitted: LoadedModel) -> None:
    rows, lang = model_view.activity_rows(model), language()
    table = pd.DataFrame({
        t("data.activity"): rows["activity"],
        t("model.count"): rows["count"],
        t("model.kind"): [t(f"kind.{k}") for k in rows["kind"]],
        t("model.pool"): rows["pool"],
        t("model.work"): [f"{duration_text(m, lang)} / {duration_text(p, lang)}" if pd.notna(m)
                          else "—"
                          for m, p in zip(rows["work_median"], rows["work_p90"], strict=True)],
        t("model.delay"): [
            f"{duration_text(m, lang)} / {duration_text(p, lang)}" if pd.isna(every)
            else t("model.batch", every=f"{every:.0f}", age=f"{age:.0f}")
            for m, p, every, age in zip(rows["delay_median"], rows["delay_p90"],
                                        rows["batch_every_days"], rows["batch_min_age_days"],
                                        strict=True)],
        t("model.depends_on"): [_depends_on(model.activities[name].delay_by)
                                for name in rows["activity"]],
    })
    st.caption(t("model.activities_help"))
    st.dataframe(table, hide_index=True, column_config={
        t("model.count"): st.column_config.NumberColumn(format="localized")})
    names = list(rows["activity"])
    chosen = state.kept(st.selectbox, t("model.pick_activity"), key="model.activity",
                        default=_most_work(model) or (names[0] if names else None),
                        options=names)
    if chosen is None:
        return
    activity = model.activities[chosen]
    loaded = state.data()
    observed = None
    if loaded is not None and loaded.result.log is not None and loaded.key == fitted.data_key:
        observed = cache.observed(loaded.key, fitted.key, loaded.result.log,
                                  model).get(chosen)
    labels = _unit_labels()
    left, right = st.columns(2)
    with left:
        if activity.processing is not None:
            data = observed.processing if observed is not None else None
            _duration_chart(data, activity.processing, t("model.work_title", activity=chosen),
                            labels)
            st.caption(t("model.fit", text=named.distribution(activity.processing)))
        else:
            st.info(t("model.no_work", kind=t(f"kind.{activity.kind}")))
    with right:
        delay, sample = activity.delay, observed.delay if observed is not None else None
        if activity.delay_by is not None:
            values = list(activity.delay_by.values)
            level = st.selectbox(t("model.delay_for",
                                   attribute=_depends_on(activity.delay_by)),
                                 values, key=f"model.delay_level.{chosen}")
            delay = activity.delay_by.values[level]
            if observed is not None:
                sample = observed.delay_groups.get(level, np.array([]))
        _duration_chart(sample, delay, t("model.delay_title", activity=chosen), labels)
        st.caption(t("model.fit", text=named.distribution(delay)) + " "
                   + (t("model.delay_working") if activity.delay_clock == "working"
                      else t("model.delay_calendar")))


def _most_work(model: ProcessModel) -> str | None:
    """The activity to show first: the staffed one with the longest typical work."""
    staffed = {name: float(a.processing.quantile(0.5)) for name, a in model.activities.items()
               if a.processing is not None}
    return max(staffed, key=staffed.__getitem__) if staffed else None


def _duration_chart(observed: np.ndarray | None, dist: Distribution, title: str,
                    labels: dict[str, str]) -> None:
    """Histogram and fitted curve; a fixed duration is said in words (nothing to draw)."""
    if isinstance(dist, Fixed):
        st.markdown(f"**{title}**")
        st.info(t("model.fixed", value=duration_text(dist.value, language())))
        return
    st.plotly_chart(charts.histogram_with_fit(
        observed if observed is not None else np.array([]), dist, title, labels),
        config=plot_config.config())


def _routing(model: ProcessModel) -> None:
    st.caption(t("model.routing_help"))
    start = {(t("model.end") if k == END else k): v for k, v in model.routing.start.items()}
    st.markdown(f"**{t('model.first_activity')}**")
    st.plotly_chart(charts.branch_bars(start, t("model.probability")),
                    config=plot_config.config())
    sources = [name for name, branch in model.routing.branches.items()
               if len(branch.pooled) > 1]
    if not sources:
        return
    richest = max(sources, key=lambda s: (len(model.routing.branches[s].pooled),
                                          model.routing.branches[s].observations))
    chosen = state.kept(st.selectbox, t("model.after"), key="model.branch", default=richest,
                        options=sources)
    if chosen is None:  # a select box with options always has one chosen
        return
    branch = model.routing.branches[chosen]
    shares = {(t("model.end") if k == END else k): v for k, v in branch.pooled.items()}
    st.plotly_chart(charts.branch_bars(shares, t("model.probability")),
                    config=plot_config.config())
    st.caption(t("model.observations", n=f"{branch.observations:,}"))
    if branch.conditioned_on:
        factor = {VISIT: t("model.visit"), PREVIOUS: t("model.previous"),
                  HISTORY: t("model.history")}.get(branch.conditioned_on, branch.conditioned_on)
        st.markdown(t("model.depends", factor=factor))
        table = model_view.branch_rows(model, chosen, t("model.end"))
        table = table.rename(columns={"next": t("model.next"),
                                      "probability": t("model.overall")})
        number_columns = [c for c in table.columns if c != t("model.next")]
        st.dataframe(table, hide_index=True, column_config={
            c: st.column_config.NumberColumn(c, format="percent") for c in number_columns})
    if model.routing.parallel:
        st.markdown(f"**{t('model.parallel')}**")
        for lead, companions in model.routing.parallel.items():
            st.markdown(f"- {lead} ∥ {', '.join(companions)}")


def _pools(model: ProcessModel) -> None:
    st.caption(t("model.pools_help"))
    days = day_names()
    for name, pool in model.pools.items():
        with st.container(border=True):
            st.markdown(f"#### {name}")
            cells = st.columns([1, 2, 2])
            cells[0].metric(t("model.size"), pool.size)
            hours = named.calendar(pool.calendar)
            cells[1].markdown(f"**{t('model.calendar')}**  \n{hours}")
            cells[2].markdown(f"**{t('model.assignment')}**  \n"
                              + t(f"model.assign_{pool.assignment}"))
            st.plotly_chart(charts.calendar_grid(pool.calendar.grid(), days),
                            config=plot_config.config(), key=f"model.calendar.{name}")
            work = [a for a, act in model.activities.items() if act.pool == name]
            st.caption(t("model.pool_work", activities=", ".join(work)))
            speeds = pd.DataFrame({t("model.member"): list(pool.members),
                                   t("model.speed"): [pool.speed.get(m, 1.0)
                                                      for m in pool.members]})
            with st.expander(t("model.members", n=len(pool.members))):
                st.caption(t("model.speed_help"))
                st.dataframe(speeds, hide_index=True, column_config={
                    t("model.speed"): st.column_config.NumberColumn(format="%.2f ×")})


def _arrivals(model: ProcessModel) -> None:
    arrivals = model.arrivals
    weekly = float(arrivals.week_profile().sum())
    st.markdown(t("model.arrivals_text", weekly=f"{weekly:,.1f}",
                  trend=f"{np.expm1(arrivals.trend_per_month):+.1%}",
                  reference=arrivals.reference[:10]))
    st.plotly_chart(charts.week_heatmap(model_view.week_matrix(arrivals.week_profile()),
                                        t("model.per_hour"), days=day_names()),
                    config=plot_config.config())
    if arrivals.monthly_counts:
        st.markdown(f"**{t('model.monthly')}**")
        st.plotly_chart(charts.monthly_bars(arrivals.monthly_counts, t("model.new_cases")),
                        config=plot_config.config())
        st.caption(t("model.monthly_help"))


def _trust(model: ProcessModel, fitted: LoadedModel) -> None:
    st.caption(t("model.trust_help"))
    found = trust.summary().replay
    if found is not None:
        trust_view.replay(found)
        return
    loaded = state.data()
    if loaded is None or loaded.result.log is None or loaded.key != fitted.data_key:
        st.info(t("model.no_history"))
        return
    cells = st.columns(3)
    with cells[0]:
        reps = state.kept(st.number_input, t("run.replications"), key="model.fid_reps",
                          default=5, min_value=2, max_value=50, step=1,
                          help=t("run.replications_help"))
    with cells[1]:
        seed = state.kept(st.number_input, t("run.seed"), key="model.fid_seed", default=1,
                          min_value=0, step=1, help=t("run.seed_help"))
    key = f"fidelity:{fitted.key}:{reps}:{seed}"
    if st.button(t("model.check"), type="primary", icon=":material/fact_check:",
                 key="model.check"):
        log, n_jobs = loaded.result.log, state.n_jobs()
        reps_, seed_ = int(reps), int(seed)

        def work(progress: Progress) -> Replayed:
            progress(0, reps_)
            with in_effect(model.activity_roles()):  # this job's thread
                found = baseline_fidelity(log, model, reps_, seed_, n_jobs,
                                          progress=lambda done: progress(done, reps_))
            return Replayed(found, reps_, seed_)

        cache.runner().submit(key, t("model.check_label"), work)
        state.remember(FIDELITY_KEY, key)
    job = shared.finished_job(state.recall(FIDELITY_KEY))
    if job is not None:
        replayed = job.result_as(Replayed)
        trust.keep_replay(replayed.rows, replayed.reps, replayed.seed, trust.CHECK)
        st.rerun()


def _holdout(fitted: LoadedModel) -> None:
    """The holdout test: learn from the earlier cases only, predict the rest."""
    st.subheader(t("model.holdout"))
    st.caption(t("model.holdout_help"))
    found = trust.summary().holdout
    if found is not None:
        trust_view.holdout(found)
        return
    loaded = state.data()
    if loaded is None or loaded.result.log is None or loaded.key != fitted.data_key:
        st.info(t("model.no_history"))
        return
    key = f"holdout:{loaded.key}"
    if st.button(t("model.holdout_run"), icon=":material/science:", key="model.holdout_run"):
        log, n_jobs = loaded.result.log, state.n_jobs()

        def work(progress: Progress) -> EvaluationReport:
            steps = iter(range(1, HOLDOUT_STEPS + 1))  # its messages, counted as steps
            progress(0, HOLDOUT_STEPS)
            with in_effect(log.roles or ActivityRoles.default()):  # this job's thread
                return evaluate_log(log, reps=HEADLINE_REPS, n_jobs=n_jobs,
                                    progress=lambda _: progress(next(steps, HOLDOUT_STEPS),
                                                                HOLDOUT_STEPS))

        cache.runner().submit(key, t("model.holdout"), work)
        state.remember(HOLDOUT_JOB, key)
    job = shared.finished_job(state.recall(HOLDOUT_JOB))
    if job is not None:
        trust.keep_holdout(job.result_as(EvaluationReport))
        st.rerun()


def _file(model: ProcessModel, fitted: LoadedModel) -> None:
    st.caption(t("model.file_help", fingerprint=model.provenance.fingerprint))
    st.download_button(t("model.download"), fitted.model_json.encode("utf-8"),
                       file_name="model.json", mime="application/json",
                       icon=":material/download:", key="model.download")


def _depends_on(delay_by: AttributeDelays | None) -> str:
    """What a wait depends on, in the user's words: the steps around it, the visit, or a
    case attribute by its own name."""
    if delay_by is None:
        return ""
    return " + ".join(t(f"model.factor.{factor}") if factor in DELAY_FACTORS else factor
                      for factor in delay_by.factors)
