"""Pieces more than one page draws: a running job's progress and the KPI comparison (table,
headline sentences, charts)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from sim.chart_data import Charts
from sim.compare import Difference
from sim.kpis import catalogue
from sim.kpis.observed import unmapped_roles
from ui import report_charts
from ui import report_format as fmt
from ui.app import cache, map_parts, named, plot_config, quantity, thresholds, wording
from ui.app.i18n import effect_text, kpi_name, language, role_name, t
from ui.app.jobs import Job
from ui.app.safety import show_unexpected
from ui.app.table_widths import column_widths
from ui.process_map_dot import process_map_dot

POLL_SECONDS = 0.5
EFFECT_COLOURS = {fmt.BETTER: "#dcfce7", fmt.WORSE: "#fee2e2", fmt.CHANGED: "#fef9c3"}


# --- jobs -----------------------------------------------------------------------------------

def finished_job(key: str | None) -> Job | None:
    """The job's result when it succeeded; while it runs, its progress bar (polled, so the
    page stays usable); when it failed, its message."""
    job = cache.runner().get(key)
    if job is None:
        return None
    if not job.finished:
        _progress(job.key)
        return None
    if job.cancelled:
        st.info(t("run.cancelled"), icon=":material/stop_circle:")
    elif job.error is not None:
        if job.unexpected:
            show_unexpected(job.error)
        else:
            st.error(wording.for_app(job.error), icon=":material/error:")
    return job if job.ok else None


@st.fragment(run_every=POLL_SECONDS)
def _progress(key: str) -> None:
    job = cache.runner().get(key)
    if job is None:
        return
    if job.finished:
        st.rerun(scope="app")
    st.progress(*progress_bar(job, time.monotonic()))
    if st.button(t("run.stop"), icon=":material/stop:", key=f"stop.{key}"):
        job.stop.set()


def progress_bar(job: Job, now: float) -> tuple[float, str]:
    """The bar's fill and its words: runs done, time taken, and the time left."""
    fill = job.meter.shown(now, job.finished)
    if not job.done:
        return fill, t("run.starting", label=job.label, seconds=f"{job.seconds:.0f}")
    text = t("run.progress", label=job.label, done=job.done, total=job.total,
             seconds=f"{job.seconds:.0f}")
    left = job.meter.seconds_left(now)
    if left is not None:
        text += " " + (t("run.left_seconds", n=f"{max(left, 1):.0f}") if left < 90
                       else t("run.left_minutes", n=f"{left / 60:.0f}"))
    return fill, text


# --- comparison results ---------------------------------------------------------------------

def _by_scenario(rows: Sequence[Difference]) -> dict[str, list[Difference]]:
    found: dict[str, list[Difference]] = {}
    for row in fmt.order_rows(rows):
        found.setdefault(row.scenario, []).append(row)
    return found


def headline_sentences(rows: Sequence[Difference], limit: int = 4) -> list[str]:
    """The changes that matter (those with a verdict) of one scenario's headline KPIs, in
    words: end-to-end KPIs first, then the largest relative changes."""
    changed = [r for r in rows if catalogue.is_headline(r.kpi) and fmt.has_verdict(r)
               and r.group is None and r.pct_change is not None]
    changed.sort(key=lambda r: (catalogue.sentence_rank(r.kpi), -abs(r.pct_change or 0.0)))
    sentences = []
    for row in changed[:limit]:
        unit = row.unit
        sentences.append(t(
            "compare.sentence", kpi=kpi_name(row.kpi, row.label),
            before=quantity.value(unit, row.baseline), after=quantity.value(unit, row.value),
            diff=quantity.diff(unit, row.diff),
            low_high=quantity.interval(unit, row.ci_low, row.ci_high),
            effect=effect_text(fmt.effect(row))))
    return sentences


def _unmapped(row: Difference) -> tuple[str, ...]:
    """The roles no activity plays that keep this KPI from being measured at all."""
    return unmapped_roles(row.note) if row.value is None else ()


def _listed(row: Difference, everything: bool) -> bool:
    return row.group is None and (everything or catalogue.is_headline(row.kpi))


def unmapped_line(rows: Sequence[Difference], everything: bool = False) -> str | None:
    """One line, instead of a row per KPI, for the KPIs no activity of the log can measure
    (a log that is not lead-to-cash): which they are, and which roles to choose where."""
    missing = {row_name(row.kpi, row.label): _unmapped(row)
               for row in rows if _listed(row, everything) and _unmapped(row)}
    if not missing:
        return None
    roles = dict.fromkeys(role for needed in missing.values() for role in needed)
    return t("compare.unmapped", kpis=", ".join(missing),
             roles=", ".join(role_name(r) for r in roles))


def row_name(kpi: str, label: str) -> str:
    """A KPI as a table row names it: a KPI per activity or resource under its section
    ("Waiting before: Quote Approved"), any other by its name."""
    section = catalogue.ref(kpi).block
    if section:
        return f"{t(f'section.{section}')}: {fmt.item_name(kpi, label)}"
    return kpi_name(kpi, label)


def kpi_frame(rows: Sequence[Difference], everything: bool = False) -> pd.DataFrame:
    """One scenario's KPI table as the page shows it: numbers with units, the interval,
    and the verdict."""
    records = []
    for row in rows:
        if not _listed(row, everything) or _unmapped(row):
            continue
        unit = row.unit
        records.append({
            t("compare.col_kpi"): row_name(row.kpi, row.label),
            t("compare.col_baseline"): quantity.value(unit, row.baseline, compact=True),
            t("compare.col_scenario"): quantity.value(unit, row.value, compact=True),
            t("compare.col_diff"): _difference(row),
            t("compare.col_interval"): quantity.interval(unit, row.ci_low, row.ci_high,
                                                         compact=True),
            t("compare.col_effect"): effect_text(fmt.effect(row)) or row.note,
            "_effect": fmt.effect(row),
            "_kpi": (row.kpi, row.label),
        })
    return pd.DataFrame(records)


def _difference(row: Difference) -> str:
    """'−5.9 days (−25.4%)': the change and, where it means something, the relative one."""
    text = quantity.diff(row.unit, row.diff, compact=True)
    if row.unit != "share" and row.pct_change is not None and text != fmt.MISSING:
        text += f" ({fmt.pct_text(row.pct_change)})"
    return text


def kpi_table(rows: Sequence[Difference], everything: bool, key: str) -> None:
    frame = kpi_frame(rows, everything)
    unmapped = unmapped_line(rows, everything)
    if frame.empty:
        st.caption(unmapped or t("compare.no_rows"))
        return
    effects = frame.pop("_effect")
    kpis = frame.pop("_kpi")
    verdict = t("compare.col_effect")

    def colour(column: pd.Series) -> list[str]:
        return [f"background-color: {EFFECT_COLOURS.get(e, 'transparent')}" for e in effects]

    styled = frame.style.apply(colour, subset=[verdict])
    st.caption(t("compare.statistics"))
    widths = column_widths(frame)
    helps = {t("compare.col_kpi"): quantity.definitions_help(kpis),
             t("compare.col_baseline"): t("compare.statistics")}
    st.dataframe(styled, hide_index=True, key=key, height=min(38 + 35 * len(frame), 640),
                 width="stretch", column_config={
                     column: st.column_config.TextColumn(width=width, help=helps.get(column))
                     for column, width in widths.items()})
    if unmapped:
        st.caption(unmapped)


def comparison_results(rows: Sequence[Difference],
                       charts: Charts, key: str,
                       baseline: str = "Baseline") -> None:
    """Headline sentences and KPI table per scenario, judged with the thresholds the user
    set, then the charts."""
    everything = st.toggle(t("compare.every_kpi"), key=f"{key}.every")
    rows = thresholds.applied(rows, thresholds.control())
    for scenario, scenario_rows in _by_scenario(rows).items():
        st.markdown(f"#### {named.scenario(scenario)}")
        sentences = headline_sentences(scenario_rows)
        if sentences:
            st.markdown("\n".join(f"- {s}" for s in sentences))
        else:
            st.caption(t("compare.nothing_material"))
        kpi_table(scenario_rows, everything, key=f"{key}.table.{scenario}")
    comparison_charts(rows, charts, baseline, key)


def _labels(rows: Sequence[Difference]) -> tuple[dict[str, str], dict[str, str]]:
    labels: dict[str, str] = {}
    stages: dict[str, str] = {}
    for row in rows:
        kpi, label = row.kpi, row.label
        labels.setdefault(kpi, kpi_name(kpi, label))
        found = catalogue.ref(kpi)
        if found.kind == "funnel" and found.item is not None:
            stages.setdefault(found.item, fmt.item_name(kpi, label))
    return labels, stages


def chart_words() -> dict[str, str]:
    """The words on the comparison charts, in the chosen language."""
    return {"days": t("unit.days"), "month": t("chart.month"),
            "cash_axis": f"{t('chart.cash_axis')} ({quantity.currency()})",
            **{key: t(f"chart.{key}") for key in (
                "done_within", "cycle_axis", "stages", "outcomes", "funnel_axis", "partial",
                "waiting_axis", "utilisation_axis", "busy", "interval", "week", "history")},
            **{key: t(f"chart.{key}") for key in ("ot_wip", "ot_queue", "ot_utilisation")}}


def comparison_charts(rows: Sequence[Difference],
                      charts: Charts, baseline: str,
                      key: str = "cmp.results") -> None:
    if not charts:
        st.caption(t("compare.no_charts"))
        return
    labels, stages = _labels(rows)
    words = chart_words()
    charts, baseline = named.members(charts), named.scenario(baseline)
    tabs = st.tabs([t("chart.cycle"), t("chart.funnel"), t("chart.cash"), t("chart.waiting"),
                    t("chart.utilisation"), t("chart.over_time"), t("chart.map")])
    waiting, shown, total = report_charts.waiting_figure(charts, baseline, words)
    more = " " + t("chart.waiting_more", shown=shown, total=total) if total > shown else ""
    blocks = [(report_charts.cycle_time_figure(charts, baseline, labels, words),
               t("chart.cycle_help")),
              (report_charts.funnel_figure(charts, baseline, stages, words),
               t("chart.funnel_help")),
              (report_charts.cash_figure(charts, baseline, words), t("chart.cash_help")),
              (waiting, t("chart.waiting_help") + more),
              (report_charts.utilisation_figure(charts, baseline, words),
               t("chart.utilisation_help"))]
    for tab, (figure, caption) in zip(tabs[:-2], blocks, strict=True):
        with tab:
            if figure is None:
                st.caption(t("compare.no_chart"))
                continue
            st.caption(caption)
            st.plotly_chart(figure, config=plot_config.config())
    with tabs[-2]:
        _over_time(charts, baseline, words, key)
    with tabs[-1]:
        _process_map(charts, baseline, key)


def _process_map(charts: Charts, baseline: str, key: str) -> None:
    """A member's process map (a scenario first), by frequency or performance, its changes
    against the baseline coloured; of every case or of a part (``map_parts``)."""
    members = [m for m in charts if charts[m].get("process_map")]
    if not members:
        st.caption(t("compare.no_chart"))
        return
    members = [m for m in members if m != baseline] + [m for m in members if m == baseline]
    cells = st.columns([3, 2])
    with cells[0]:
        member = st.selectbox(t("chart.map_member"), members, key=f"{key}.map_member")
    with cells[1]:
        views = {t(f"chart.map_{v}"): v for v in ("performance", "frequency")}
        shown = st.radio(t("chart.map_view"), list(views), key=f"{key}.map_view",
                         horizontal=True)  # the words as options: they follow the language
        view = views.get(str(shown), "performance")
    part = map_parts.choose_part(charts, baseline, key)
    if part is not None:
        drawn, sizes = map_parts.part_charts(charts, part)
        if str(member) not in drawn:
            st.info(t("chart.map_part_none", member=member))
            return
        cases, runs = sizes[str(member)]
        st.caption(t("chart.map_part_cases", cases=f"{cases:.0f}", runs=runs))
        charts = drawn
    dot = process_map_dot(charts, baseline, str(member), str(view), words={
        "start": t("data.map_start"), "end": t("data.map_end")}, lang=language())
    st.caption(t("chart.map_help"))
    if dot is not None:
        st.graphviz_chart(dot)


def _over_time(charts: Charts, baseline: str,
               words: Mapping[str, str], key: str) -> None:
    """One weekly series at a time (work in progress, a pool's queue or busy share)."""
    series = report_charts.over_time_series(charts, baseline)
    if not series:
        st.caption(t("compare.no_chart"))
        return
    chosen = st.selectbox(t("chart.series"), series, key=f"{key}.over_time",
                          format_func=lambda k: report_charts.series_title(k, words))
    figure = report_charts.over_time_figure(charts, baseline, str(chosen), words)
    st.caption(t("chart.over_time_help"))
    if figure is not None:
        st.plotly_chart(figure, config=plot_config.config())
