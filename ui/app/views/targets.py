"""Targets: "what must change, and by how much, to reach the goal?" — the answer in one
sentence, the evidence (lever ranking, goal seeks, the proposed mix) below it."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import streamlit as st

from scenarios.comparison import costs_yaml
from scenarios.costs_file import parse_costs_text
from scenarios.target import STATS, TargetReport, find_target, generate_levers
from scenarios.target.decide import MAXIMUM as TARGET_MAXIMUM
from scenarios.target.decide import target_replications
from scenarios.target.keep import to_saved
from scenarios.target.levers import COSTS, Lever
from scenarios.target.money import HORIZON
from scenarios.target.run import COMBINATION
from sim.costs import Costs
from sim.errors import PlannerError
from sim.kpi_roles import in_effect
from sim.kpis.catalogue import kpi_id
from sim.kpis.catalogue import targets as target_kpis
from sim.saved import SavedStore
from ui import report_format as fmt
from ui.app import (
    business_case_view,
    cache,
    charts,
    nav,
    plot_config,
    quantity,
    runs,
    shared,
    state,
)
from ui.app.i18n import counted, kpi_name, language, lever_change, lever_label, t
from ui.app.jobs import Progress
from ui.app.safety import guarded

JOB = "targets.job"
RANK, SEEK = "rank", "seek"
RUN_KEYS = ("tg.reps", "tg.seed", "tg.length", "tg.cases")
AGAIN = "tg.again"  # set by "run again with more replications": start at the next draw
DEFAULT_KPI = "sales_cycle"


@st.cache_data(max_entries=4, show_spinner=False)
def _levers(model_key: str, _model_json: str, lang: str) -> list[tuple[str, str, bool]]:
    """Lever ids, names and whether they are the process owner's by default, cached per
    model and language (names are translated)."""
    catalogue = generate_levers(cache.model_of(_model_json))
    return [(lever.id, lever_label(lever), lever.controllable) for lever in catalogue.levers]


def render() -> None:
    st.title(t("targets.title"))
    st.caption(t("targets.intro"))
    fitted = state.model()
    if fitted is None:
        st.info(t("compare.need_model"))
        nav.link("data")
        return
    _question(fitted)
    job = shared.finished_job(state.recall(JOB))
    if job is not None:
        report = job.result_as(TargetReport)
        _answer(report)
        _save(fitted, report)


def _question(fitted: state.LoadedModel) -> None:
    model = cache.model_of(fitted.model_json)
    present = model.activity_roles().resolve(model.activities)
    kpis = {k: kpi_name(k, k) for k in target_kpis(present)}
    kpis |= {kpi_id("custom", k.id): k.name for k in model.kpis}  # yours, as you named them
    stats = {s: t(f"targets.stat_{s}") for s in STATS}
    modes = {m: t(f"targets.mode_{m}") for m in (RANK, SEEK)}
    with st.container(border=True):
        cells = st.columns([3, 2, 2])
        with cells[0]:
            kpi = state.kept_choice(st.selectbox, t("targets.kpi"), key="tg.kpi",
                             default=DEFAULT_KPI if DEFAULT_KPI in kpis else next(iter(kpis)),
                             options=list(kpis), format_func=kpis.__getitem__,
                             help=quantity.definitions_help((k, k) for k in kpis))
        with cells[1]:
            change = state.kept(st.slider, t("targets.change"), key="tg.change", default=-25,
                                min_value=-60, max_value=60, step=5, format="%+d%%",
                                help=t("targets.change_help"))
        with cells[2]:
            stat = state.kept_choice(st.radio, t("targets.stat"), key="tg.stat", default="median",
                              options=list(STATS), horizontal=True,
                              format_func=stats.__getitem__, help=t("targets.stat_help"))
        mode = state.kept(st.radio, t("targets.mode"), key="tg.mode", default=RANK,
                          options=[RANK, SEEK], format_func=modes.__getitem__,
                          horizontal=True)
        chosen: list[str] = []
        found = _levers(fitted.key, fitted.model_json, language())
        levers = {i: label for i, label, _ in found}
        if mode == SEEK:
            chosen = state.kept(st.multiselect, t("targets.levers"), key="tg.levers",
                                default=[], options=list(levers),
                                placeholder=t("targets.levers_pick"),
                                format_func=lambda i: levers.get(i, i))
        theirs = [i for i, _, yours in found if not yours]
        allowed: list[str] = []
        if mode == RANK and theirs:
            allowed = state.kept(st.multiselect, t("targets.theirs"), key="tg.theirs",
                                 default=[], options=theirs, help=t("targets.theirs_help"),
                                 placeholder=t("targets.theirs_pick"),
                                 format_func=lambda i: levers.get(i, i))
        costs = _costs()
        run, auto = _run_settings()
        clicked = st.button(t("targets.run"), type="primary", icon=":material/search:",
                            disabled=change == 0 or (mode == SEEK and not chosen),
                            key="tg.run")
    if clicked or st.session_state.pop(AGAIN, False):
        _start(fitted, kpi, change / 100, stat, chosen, run, costs,
               [i for i in allowed if i in theirs], auto)


def _costs() -> tuple[str, Costs] | None:
    """The Compare page's costs, when given and wanted: what prices levers in money."""
    text = str(state.kept_value(business_case_view.TEXT_KEY, "") or "")
    if not text.strip():
        st.caption(t("targets.no_costs"))
        return None
    try:
        costs = parse_costs_text(text, t("bc.costs_file"))
    except PlannerError:
        st.caption(t("targets.bad_costs"))
        return None
    money = state.kept(st.checkbox, t("targets.in_money"), key="tg.money", default=True)
    return (text, costs) if money else None


def _run_settings() -> tuple[runs.Run, bool]:
    """Replications (until decided, at most so many, or a fixed count), seed and run
    length, with a way to take Compare's run (then the baseline figures of both pages are
    the same numbers)."""
    run, auto, _ = runs.run_controls(runs.Controls(
        "tg", runs.CASES, max_reps=50, default_reps=TARGET_MAXIMUM, max_cases=50_000,
        auto_help="targets.auto_help", cases_help="targets.cases_help"))
    compared = runs.last_run("compare")
    if compared is not None and compared != run:
        st.info(t("targets.other_run", run=compared.describe()), icon=":material/info:")
        st.button(t("targets.same_run"), key="tg.same_run", on_click=_take_run,
                  args=(compared,), icon=":material/sync:")
    return run, bool(auto)


def _take_run(run: runs.Run) -> None:
    """Set the run controls to ``run`` (before they are drawn again)."""
    values = (run.reps, run.seed, runs.HISTORY if run.cases is None else runs.CASES,
              run.cases or state.kept_value("tg.cases", 1000))
    for key, value in zip(RUN_KEYS, values, strict=True):
        st.session_state[key] = st.session_state[f"_kept.{key}"] = value


def _again(reps: int) -> None:
    """Ask the same question with ``reps`` replications (before the controls are drawn)."""
    st.session_state["tg.reps"] = st.session_state["_kept.tg.reps"] = reps
    st.session_state["tg.auto"] = st.session_state["_kept.tg.auto"] = False
    st.session_state[AGAIN] = True


def _start(fitted: state.LoadedModel, kpi: str, change: float, stat: str, levers: list[str],
           run: runs.Run, costs: tuple[str, Costs] | None = None,
           allowed: list[str] | None = None, auto: bool = False) -> None:
    with guarded("start target"):
        model = cache.model_of(fitted.model_json)
        key = "target:" + hashlib.sha256(json.dumps(
            [fitted.key, kpi, change, stat, sorted(levers), run.reps, run.seed, run.cases,
             costs[0] if costs else "", sorted(allowed or []), auto]
        ).encode()).hexdigest()
        plan = target_replications(run.reps) if auto else run.reps
        n_jobs = state.n_jobs()
        settings = run.settings(model)

        def work(progress: Progress) -> TargetReport:
            progress(0, run.reps)  # the baseline first; the search adds what it tries
            with in_effect(model.activity_roles()):  # this job's thread
                return find_target(model, kpi, change, stat=stat, levers=levers or None,
                                   replications=plan, seed=run.seed, n_jobs=n_jobs,
                                   run=settings, progress=lambda done, expected, _what:
                                   progress(done, expected),
                                   costs=costs[1] if costs else None,
                                   costs_source=t("bc.costs_file"), controllable=allowed)

        cache.runner().submit(key, t("targets.job", kpi=kpi_name(kpi, kpi)), work)
        state.remember(JOB, key)


def _value(unit: str, value: object) -> str:
    return quantity.value(unit, value)


def cost_text(report: TargetReport, value: float) -> str:
    """'1,250 EUR per month' given costs, else '3 units'."""
    if report.money is None:
        return t("targets.cost_units", amount=f"{value:g}")
    if value < 0:  # the simulation measured less work than the levers' prices add
        return t("targets.cost_saving", amount=f"{-value:,.0f}", currency=_currency(report))
    return t("targets.cost_money", amount=f"{value:,.0f}", currency=_currency(report))


def _currency(report: TargetReport) -> str:
    return (report.money.currency if report.money else None) or quantity.currency()


def _lever_cost(report: TargetReport, lever: Lever, amount: float) -> str:
    return _cost_cell(report, lever.cost(amount, report.pricing))


def _cost_cell(report: TargetReport, value: float) -> str:
    """A cost in a table: money to the unit, effort units as they are."""
    return f"{value:,.0f}" if report.money is not None else f"{value:g}"


def _setting(lever: Lever, amount: float) -> str:
    """'Quote Approved waiting 50% shorter'; 'automate Quote Approved' says it all."""
    label = lever_label(lever)
    return label if lever.kind == "automate" else f"{label} {lever_change(lever, amount)}"


def _goal(report: TargetReport) -> str:
    """'the median Sales cycle 25% shorter (23.7 days → 17.8 days)'."""
    target = report.target
    direction = ("shorter" if target.change < 0 else "longer") if target.unit == "days" else (
        "lower" if target.change < 0 else "higher")
    return t("targets.goal", stat=t(f"targets.stat_{target.stat}"),
             kpi=kpi_name(target.kpi, report.label),
             change=t(f"targets.{direction}", pct=f"{abs(target.change):.0%}"),
             baseline=_value(target.unit, target.baseline),
             target=_value(target.unit, target.level))


def answer_sentence(report: TargetReport) -> tuple[bool, str, str]:
    """(reached, the answer in one sentence, the numbers behind it)."""
    unit, goal = report.target.unit, _goal(report)
    if report.seeks:
        answers, details, reached = [], [], False
        for seek in report.seeks:
            found = seek.evaluation
            if seek.reachable:
                reached = True
                answers.append(f"{lever_label(seek.lever)}: "
                               f"{lever_change(seek.lever, seek.amount or 0.0)}")
                low, high = found.interval
                details.append(t("targets.seek_yes", lever=lever_label(seek.lever),
                                 value=_value(unit, found.mean), low=_value(unit, low),
                                 high=_value(unit, high)))
            else:
                answers.append(t("targets.seek_no", lever=lever_label(seek.lever),
                                 best=fmt.pct_text(seek.best_change),
                                 extreme=lever_change(seek.lever, seek.lever.maximum)))
        return reached, t("targets.to_reach", goal=goal, how="; ".join(answers)), " ".join(
            details)
    mix = report.combination
    if mix is None or not mix.settings:
        return False, t("targets.no_levers", goal=goal), ""
    found = mix.evaluation
    levers = "; ".join(_setting(lever, amount) for lever, amount in mix.settings)
    low, high = found.interval
    numbers = t("targets.numbers", value=_value(unit, found.mean), low=_value(unit, low),
                high=_value(unit, high), change=fmt.pct_text(found.pct_change))
    if mix.reachable:
        sure = t("targets.confident") if mix.confident else t("targets.on_average")
        return True, t("targets.to_reach", goal=goal, how=levers), t(
            "targets.mix_details", numbers=numbers, sure=sure,
            cost=cost_text(report, report.cost_of(mix.settings, mix.evaluation)))
    return False, t("targets.cannot", goal=goal), t("targets.mix_no", levers=levers,
                                                   numbers=numbers)


def _answer(report: TargetReport) -> None:
    st.subheader(t("targets.answer"))
    reached, sentence, details = answer_sentence(report)
    (st.success if reached else st.warning)(f"**{sentence}**" + (f"  \n{details}" if details
                                                                 else ""),
                                            icon=":material/flag:")
    unit, target = report.target.unit, report.target
    run = runs.Run(report.replications, report.seed, report.run.get("cases"))
    st.caption(t("targets.settings", baseline=_value(unit, target.baseline),
                 run=run.describe(), runs=report.evaluations))
    if target.stat == "median":  # Compare's figures are the median's
        runs.keep("targets", run, {target.kpi: (target.baseline, unit)})
        runs.other_figure("targets", target.kpi, run, kpi_name(target.kpi, report.label))
    _sureness(report)
    st.subheader(t("targets.evidence"))
    if report.seeks:
        for seek in report.seeks:
            if seek.lever.id in report.cases:
                business_case_view.show(report.cases[seek.lever.id])
            change = (lever_change(seek.lever, seek.amount) if seek.amount is not None else
                      t("targets.seek_no", lever="", best=fmt.pct_text(seek.best_change),
                        extreme=lever_change(seek.lever, seek.lever.maximum)).strip())
            st.markdown(f"**{lever_label(seek.lever)}** — {change}")
            figure = charts.seek_trace(seek.trace, report.target.level,
                                       report.target.baseline,
                                       {"target": t("targets.target_line"),
                                        "amount": t("targets.amount"),
                                        "kpi": kpi_name(report.target.kpi, report.label)})
            if figure is not None:
                st.plotly_chart(figure, config=plot_config.config(),
                                key=f"tg.trace.{seek.lever.id}")
        return
    bars = [charts.TornadoBar(lever_label(r.lever), lever_change(r.lever, r.amount),
                              r.effect, *r.evaluation.diff_interval,
                              report.target.helps(r.effect)) for r in report.rows]
    st.markdown(f"**{t('targets.ranking')}**")
    st.caption(t("targets.ranking_help"))
    lang = language()
    figure = charts.tornado(bars, t("targets.effect_axis",
                                    unit=fmt.unit_suffix(unit, lang=lang).strip() or unit))
    if figure is not None:
        st.plotly_chart(figure, config=plot_config.config())
    table = pd.DataFrame([{
        t("targets.lever"): bar.label, t("targets.step"): bar.step,
        t("compare.col_diff"): fmt.diff_text(unit, bar.diff, lang=lang),
        t("compare.col_pct"): fmt.pct_text(row.evaluation.pct_change),
        t("compare.col_interval"): fmt.ci_text(unit, bar.low, bar.high, lang=lang),
        _cost_column(report): _cost_cell(report, row.lever.cost(row.amount, report.pricing))}
        for row, bar in zip(report.rows, bars, strict=True)])
    st.dataframe(table, hide_index=True)
    if report.combination is not None and report.combination.settings:
        st.markdown(f"**{t('targets.mix')}**")
        st.dataframe(pd.DataFrame([{
            t("targets.lever"): lever_label(lever), t("targets.step"): lever_change(lever, amount),
            _cost_column(report): _lever_cost(report, lever, amount)}
            for lever, amount in report.combination.settings]), hide_index=True)
        _cost_model(report, report.combination.settings)
        if COMBINATION in report.cases:
            business_case_view.show(report.cases[COMBINATION])
    if report.uncontrolled:
        with st.expander(counted("targets.not_levers", len(report.uncontrolled))):
            st.markdown("\n".join(f"- {lever_label(lever)}" for lever in report.uncontrolled))
    if report.outside:
        with st.expander(counted("targets.outside", len(report.outside))):
            st.markdown("\n".join(f"- {lever_label(lever)}" for lever in report.outside))


def _cost_column(report: TargetReport) -> str:
    if report.money is None:
        return t("targets.cost")
    return t("targets.cost_month", currency=_currency(report))


def _cost_model(report: TargetReport, settings: tuple[tuple[Lever, float], ...]) -> None:
    """How cost is counted, and the levers that have no price of their own."""
    if report.money is None:
        st.caption(t("targets.costs", duration=f"{COSTS.per_quarter_faster:g}",
                     rework=f"{COSTS.per_quarter_rework:g}", person=f"{COSTS.per_person:g}",
                     automation=f"{COSTS.automation:g}",
                     payment=f"{COSTS.per_payment_day * 5:g}"))
        return
    st.caption(t("targets.costs_money", currency=_currency(report), horizon=HORIZON))
    unpriced = [lever_label(lever) for lever, amount in settings
                if amount > 0 and not report.money.priced(lever)]
    if unpriced:
        st.caption(t("targets.unpriced", levers=", ".join(unpriced)))


def _sureness(report: TargetReport) -> None:
    """How sure each answer is, and a button to ask again with enough replications."""
    mix = report.combination
    answers = ([(f"{lever_label(s.lever)}: ", s.evaluation) for s in report.seeks
                if s.reachable] if report.seeks else
               [("", mix.evaluation)] if mix is not None and mix.reachable else [])
    wanted = 0
    for prefix, evaluation in answers:
        found = report.sureness(evaluation)
        sure, more = found.confidence, found.more_replications
        if sure is not None:
            st.caption(prefix + t("targets.sure", pct=f"{sure:.0%}",
                                  reps=found.replications_used,
                                  kpi=kpi_name(report.target.kpi, report.label)))
        if more is not None:
            wanted = max(wanted, more)
    if wanted:
        st.button(t("targets.more", n=wanted), key="tg.more", on_click=_again, args=(wanted,),
                  help=t("targets.more_help"), icon=":material/replay:")


def _save(fitted: state.LoadedModel, report: TargetReport) -> None:
    """Keep the answer beside the saved comparisons, to reopen and export it."""
    st.subheader(t("targets.save"))
    cells = st.columns([3, 1], vertical_alignment="bottom")
    with cells[0]:
        name = st.text_input(t("compare.save_name"), key="tg.save_name",
                             value=t("targets.default_name", goal=_goal(report)))
    with cells[1]:
        clicked = st.button(t("compare.save_button"), icon=":material/save:", key="tg.save")
    if clicked:
        with guarded("save target"):
            model = cache.model_of(fitted.model_json)
            costs = costs_yaml(report.money.costs) if report.money is not None else ""
            saved = SavedStore(state.saved_db_path()).save(to_saved(report, name, model,
                                                                    costs))
            st.success(t("compare.saved", name=saved.name), icon=":material/check_circle:")
            nav.link("saved", t("compare.go_saved"))
