"""The Compare page's results by segment: pick a case attribute (lead source, region, deal
size band) and see each headline KPI of each group, baseline against scenario, with the
paired difference and its 95% interval (``sim.segments``), as ``l2c kpis --by`` groups a
log, in a table and a chart. The same replications and seed as the comparison, in a
background job of its own; saving the comparison keeps them, and the Saved page shows them
again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pandas as pd
import streamlit as st

from scenarios.by_segment import comparison_segments, segment_attributes
from scenarios.comparison import Comparison
from sim.segments import SegmentResults, most_changed
from sim.study import BASELINE
from ui import report_charts
from ui import report_format as fmt
from ui.app import cache, named, plot_config, shared, state
from ui.app.i18n import kpi_name, language, t
from ui.app.jobs import Progress
from ui.app.safety import guarded

JOB = "segments.job"


def show(comparison: Comparison) -> None:
    """The attribute choice, the button, and the table once measured."""
    options = segment_attributes(comparison.baseline.model)
    if not options:
        return
    st.subheader(t("seg.title"))
    st.caption(t("seg.help"))
    cells = st.columns([3, 1], vertical_alignment="bottom")
    with cells[0]:
        by = state.kept(st.selectbox, t("seg.by"), key="seg.by",
                        default="lead_source" if "lead_source" in options else options[0],
                        options=options, format_func=named.attribute)
    with cells[1]:
        clicked = st.button(t("seg.run"), key="seg.run", icon=":material/splitscreen:")
    if clicked and by in options:
        _start(comparison, str(by))
    shared.finished_job(state.recall(JOB))  # its progress while it runs, or its message
    found = current(comparison)
    if found is not None:
        _table(found, key="seg")


def _key(comparison: Comparison, by: str) -> str:
    """The job of this comparison's segments by ``by``: everything that decides them."""
    study = comparison.study
    model = comparison.baseline.model
    return "segments:" + hashlib.sha256(json.dumps(
        [model.provenance.fingerprint, model.name, [s.text for s in comparison.scenarios],
         study.replications, study.seed, str(study.run), by],
        ensure_ascii=False).encode()).hexdigest()


def current(comparison: Comparison) -> SegmentResults | None:
    """The segments measured for this comparison, once the job is done; None for none, or
    for those of another comparison."""
    key = state.recall(JOB)
    job = cache.runner().get(key)
    if job is None or not job.finished or job.error is not None or not isinstance(
            job.result, SegmentResults):
        return None
    found = job.result
    return found if key == _key(comparison, found.by) else None


def show_saved(segments: SegmentResults | None, key: str) -> None:
    """A saved comparison's segments, as they were measured."""
    if segments is not None and segments.rows:
        st.subheader(t("seg.title"))
        _table(segments, key)


def _start(comparison: Comparison, by: str) -> None:
    with guarded("start segments"):
        key = _key(comparison, by)
        n_jobs = state.n_jobs()

        def work(progress: Progress) -> SegmentResults:
            return comparison_segments(comparison, by, n_jobs, progress)

        cache.runner().submit(key, t("seg.job", by=named.attribute(by)), work)
        state.remember(JOB, key)


def _table(segments: SegmentResults, key: str) -> None:
    """One table per scenario (each segment's headline KPIs), then one KPI's difference
    segment by segment as a chart."""
    rows = segments.rows
    st.markdown(f"**{t('seg.job', by=named.attribute(segments.by))}**")
    lang = language()
    for scenario in dict.fromkeys(row.scenario for row in rows):
        st.markdown(f"#### {named.scenario(scenario)}")
        st.dataframe(pd.DataFrame([{
            t("seg.segment"): row.segment,
            t("compare.col_kpi"): kpi_name(row.kpi, row.label),
            t("compare.col_baseline"): fmt.value_text(row.unit, row.baseline, lang=lang),
            t("compare.col_scenario"): fmt.value_text(row.unit, row.value, lang=lang),
            t("compare.col_diff"): fmt.diff_text(row.unit, row.diff, lang=lang),
            t("compare.col_interval"): fmt.ci_text(row.unit, row.ci_low, row.ci_high,
                                                   lang=lang)}
            for row in rows if row.scenario == scenario]), hide_index=True)
    kpis = {r.kpi: kpi_name(r.kpi, r.label) for r in rows if r.diff is not None}
    if not kpis:
        return
    kpi = st.selectbox(t("seg.chart_kpi"), list(kpis), key=f"{key}.chart_kpi",
                       index=list(kpis).index(most_changed(rows)[0]),
                       format_func=kpis.__getitem__)
    words = {"segment_axis": t("seg.axis"), "unit_days": t("unit.days"),
             "unit_share": t("seg.unit_share"), "unit_per_month": t("seg.unit_per_month"),
             "unit_money_per_month": t("seg.unit_per_month"), "unit_cases": t("seg.unit_cases"),
             "unit_count": t("seg.unit_count")}
    figure = report_charts.segment_figure(
        [replace(r, scenario=named.scenario(r.scenario)) for r in rows], str(kpi),
        named.scenario(BASELINE), words)
    if figure is not None:
        st.caption(t("seg.chart_help"))
        st.plotly_chart(figure, config=plot_config.config(), key=f"{key}.chart")
