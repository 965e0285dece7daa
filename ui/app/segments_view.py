"""The Compare page's results by segment: pick a case attribute (lead source, region, deal
size band) and see each headline KPI of each group, baseline against scenario, with the
paired difference and its 95% interval (``sim.segments``), as ``l2c kpis --by`` groups a
log. The same replications and seed as the comparison, in a background job of its own."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import streamlit as st

from scenarios.apply import apply_scenario
from scenarios.comparison import Comparison
from sim.kpis.groups import DEAL_SIZE
from sim.segments import SegmentRow, segment_study
from sim.study import BASELINE
from ui import report_format as fmt
from ui.app import cache, named, shared, state
from ui.app.i18n import kpi_name, t, units
from ui.app.jobs import Progress
from ui.app.safety import guarded

JOB = "segments.job"
SKIPPED = ("account", "owner", "amount", "discount")  # one group per deal or per number


def attributes(comparison: Comparison) -> list[str]:
    """The case attributes to group by: the model's named ones, and the deal size band."""
    columns = comparison.baseline.model.attributes.columns
    found = [c for c in columns if c not in SKIPPED]
    return [*found, DEAL_SIZE] if "amount" in columns and DEAL_SIZE not in found else found


def _attribute(name: str) -> str:
    """An attribute as the data names it; the deal size band in the page's language."""
    return t("seg.deal_size") if name == DEAL_SIZE else name


def show(comparison: Comparison) -> None:
    """The attribute choice, the button, and the table once measured."""
    options = attributes(comparison)
    if not options:
        return
    st.subheader(t("seg.title"))
    st.caption(t("seg.help"))
    cells = st.columns([3, 1], vertical_alignment="bottom")
    with cells[0]:
        by = state.kept(st.selectbox, t("seg.by"), key="seg.by",
                        default="lead_source" if "lead_source" in options else options[0],
                        options=options, format_func=_attribute)
    with cells[1]:
        clicked = st.button(t("seg.run"), key="seg.run", icon=":material/splitscreen:")
    if clicked and by in options:
        _start(comparison, str(by))
    job = shared.finished_job(state.recall(JOB))
    if job is not None:
        rows: list[SegmentRow] = job.result  # type: ignore[assignment]
        _table(rows, str(job.label))


def _start(comparison: Comparison, by: str) -> None:
    study = comparison.study
    with guarded("start segments"):
        model = comparison.baseline.model
        members = [(BASELINE, model), *((s.name, apply_scenario(model, s)[0])
                                        for s in comparison.scenarios)]
        key = "segments:" + hashlib.sha256(json.dumps(
            [model.provenance.fingerprint, model.name, [s.text for s in comparison.scenarios],
             study.replications, study.seed, str(study.run), by],
            ensure_ascii=False).encode()).hexdigest()
        n_jobs = state.n_jobs()

        def work(progress: Progress) -> list[SegmentRow]:
            return segment_study(members, by, study.replications, study.seed,
                                 dict(study.run), n_jobs, progress)

        cache.runner().submit(key, t("seg.job", by=_attribute(by)), work)
        state.remember(JOB, key)


def _table(rows: list[SegmentRow], label: str) -> None:
    """One table per scenario: each segment's headline KPIs."""
    st.markdown(f"**{label}**")
    for scenario in dict.fromkeys(row.scenario for row in rows):
        st.markdown(f"#### {named.scenario(scenario)}")
        st.dataframe(pd.DataFrame([{
            t("seg.segment"): row.segment, t("compare.col_kpi"): kpi_name(row.kpi, row.label),
            t("compare.col_baseline"): units(fmt.value_text(row.unit, row.baseline)),
            t("compare.col_scenario"): units(fmt.value_text(row.unit, row.value)),
            t("compare.col_diff"): units(fmt.diff_text(row.unit, row.diff)),
            t("compare.col_interval"): units(fmt.ci_text(row.unit, row.ci_low, row.ci_high))}
            for row in rows if row.scenario == scenario]), hide_index=True)
