"""The charts of a comparison report as Plotly figures, one colour per study member.

Each function takes the ``charts`` data a study keeps (member name -> cycle-time quantiles,
funnel, waiting, cash per month, utilisation; with ``ui.chart_bands`` also the 95% interval
across replications and the months only partly inside the run) and returns a figure, or
``None`` when no member has data for it. The baseline is drawn last and dashed, so a
scenario that changes nothing does not hide it. Words on a figure come from ``words``
(English by default; the app passes its language). Every text a user or a log supplied
(scenario, activity, pool and stage names) is HTML-escaped: Plotly renders labels as a
small subset of HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.chart_data import Charts, Interval
from sim.kpis import catalogue
from ui.report_format import esc

if TYPE_CHECKING:
    from sim.segments import SegmentRow

FONT = ('-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
        '"Noto Sans", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif')
TEXT, MUTED, GRID = "#1f2937", "#6b7280", "#e5e7eb"
BASELINE_COLOUR = "#111827"
PALETTE = ("#2563eb", "#f59e0b", "#10b981", "#e11d48", "#8b5cf6", "#06b6d4", "#f97316",
           "#84cc16", "#db2777", "#64748b", "#0d9488", "#a16207")
QUANTILE_GRID = tuple(i / 20 for i in range(21))
MAX_ACTIVITIES = 12
OUTCOME_STAGES = ("opportunity_won", "opportunity_lost")  # how a case ends, not a stage
WORDS = {"days": "days", "done_within": "done within", "cycle_axis": "cases done within",
         "stages": "Stages", "outcomes": "Outcomes",
         "funnel_axis": "closed cases reaching the stage",
         "month": "month", "cash_axis": "cash received", "partial": "partial month",
         "waiting_axis": "median wait before the activity (days)",
         "utilisation_axis": "busy share of working time", "busy": "busy",
         "interval": "95% interval", "week": "week", "history": "History",
         "ot_wip": "cases in progress", "ot_queue": "cases waiting for {pool}",
         "ot_utilisation": "busy share of {pool}",
         "segment_axis": "difference against the baseline", "unit_days": "days",
         "unit_share": "pp", "unit_per_month": "per month", "unit_cases": "cases",
         "unit_money_per_month": "per month", "unit_count": "times"}

def colours(members: list[str], baseline: str) -> dict[str, str]:
    """The baseline in near-black, the scenarios in palette order."""
    found, index = {}, 0
    for name in members:
        if name == baseline:
            found[name] = BASELINE_COLOUR
        else:
            found[name] = PALETTE[index % len(PALETTE)]
            index += 1
    return found


def _layout(figure: go.Figure, height: int, **extra: object) -> go.Figure:
    figure.update_layout(
        template="plotly_white", height=height, font={"family": FONT, "size": 12, "color": TEXT},
        margin={"l": 64, "r": 16, "t": 36, "b": 48}, paper_bgcolor="white",
        plot_bgcolor="white", hoverlabel={"font": {"family": FONT}},
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top",
                "font": {"size": 12}, "itemwidth": 30, "tracegroupgap": 2}, **extra)
    figure.update_xaxes(gridcolor=GRID, linecolor="#d1d5db", zeroline=False,
                        title_font={"color": MUTED})
    figure.update_yaxes(gridcolor=GRID, linecolor="#d1d5db", zeroline=False,
                        title_font={"color": MUTED})
    return figure


def _line(member: str, baseline: str, colour: str) -> dict[str, object]:
    """The baseline dashed and a little wider: visible when a scenario lies on top of it."""
    if member == baseline:
        return {"color": colour, "width": 2.5, "dash": "dash"}
    return {"color": colour, "width": 2.0}


def _baseline_last(members: list[str], baseline: str) -> list[str]:
    return [m for m in members if m != baseline] + [m for m in members if m == baseline]


def _faint(colour: str, alpha: float = 0.16) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _words(words: Mapping[str, str] | None) -> dict[str, str]:
    return WORDS | dict(words or {})


def cycle_time_figure(charts: Charts, baseline: str, labels: Mapping[str, str],
                      words: Mapping[str, str] | None = None) -> go.Figure | None:
    """Cumulative distributions (share of cases done within x days), one panel per KPI, each
    curve in its band: the 95% interval of the days across replications at each share."""
    said = _words(words)
    members = _baseline_last(list(charts), baseline)
    kpis = [k for k in catalogue.cycle_charted()
            if any((charts[m].get("cycle_times") or {}).get(k) for m in members)]
    if not kpis:
        return None
    figure = make_subplots(rows=1, cols=len(kpis), horizontal_spacing=0.06,
                           subplot_titles=[esc(labels.get(k, k.replace("_", " ").capitalize()))
                                           for k in kpis])
    palette = colours(list(charts), baseline)
    shown: set[str] = set()
    for column, kpi in enumerate(kpis, start=1):
        right = 0.0
        for member in members:
            curve = (charts[member].get("cycle_times") or {}).get(kpi)
            if not curve:
                continue
            days = [float(v) for v in curve]
            shares = list(QUANTILE_GRID) if len(days) == len(QUANTILE_GRID) else [
                i / (len(days) - 1) for i in range(len(days))]
            right = max(right, days[-2] if len(days) > 2 else days[-1])
            band = (charts[member].get("cycle_band") or {}).get(kpi)
            if band and len(band[0]) == len(shares):
                low, high = band
                figure.add_trace(go.Scatter(
                    x=[*low, *reversed(high)], y=[*shares, *reversed(shares)], fill="toself",
                    fillcolor=_faint(palette[member]), line={"width": 0}, hoverinfo="skip",
                    name=esc(f"{member}: {said['interval']}"), legendgroup=esc(member),
                    showlegend=False), row=1, col=column)
            figure.add_trace(go.Scatter(
                x=days, y=shares, mode="lines", name=esc(member), legendgroup=esc(member),
                showlegend=member not in shown,
                line={**_line(member, baseline, palette[member]), "shape": "spline",
                      "smoothing": 0.4},
                hovertemplate=f"{esc(member)}<br>%{{y:.0%}} {esc(said['done_within'])} "
                              f"%{{x:.1f}} {esc(said['days'])}<extra></extra>"),
                row=1, col=column)
            shown.add(member)
        figure.update_xaxes(title_text=esc(said["days"]), range=[0, right * 1.08 or 1], row=1,
                            col=column)
    figure.update_yaxes(tickformat=".0%", range=[0, 1.02])
    figure.update_yaxes(title_text=esc(said["cycle_axis"]), row=1, col=1)
    _layout(figure, 380)
    figure.update_annotations(font={"size": 13, "color": TEXT})
    return figure


Bars = Mapping[str, tuple[Mapping[str, float], Mapping[str, Interval]]]  # member -> values, CIs


def _bars(figure: go.Figure, bars: Bars, baseline: str, items: list[str],
          names: Mapping[str, str], horizontal: bool, hover: str, column: int | None = None,
          ) -> None:
    """One bar per member and item, with the 95% interval as an error bar where known."""
    palette = colours(list(bars), baseline)
    for member, (values, bounds) in bars.items():
        shown = [esc(names.get(i, i)) for i in items]
        numbers = [values.get(i) for i in items]
        plus = [bounds[i][1] - v if i in bounds and v is not None else 0.0
                for i, v in zip(items, numbers, strict=True)]
        minus = [v - bounds[i][0] if i in bounds and v is not None else 0.0
                 for i, v in zip(items, numbers, strict=True)]
        error = ({"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
                  "color": "#374151", "thickness": 1.2, "width": 3} if bounds else None)
        bar = (go.Bar(y=shown, x=numbers, orientation="h", error_x=error) if horizontal
               else go.Bar(x=shown, y=numbers, error_y=error))
        bar.update(name=esc(member), marker={"color": palette[member]}, legendgroup=esc(member),
                   showlegend=column in (None, 1),
                   hovertemplate=f"{esc(member)}<br>%{{{'y' if horizontal else 'x'}}}: "
                                 f"{hover}<extra></extra>")
        if column is None:
            figure.add_trace(bar)
        else:
            figure.add_trace(bar, row=1, col=column)


def funnel_figure(charts: Charts, baseline: str, stage_names: Mapping[str, str],
                  words: Mapping[str, str] | None = None) -> go.Figure | None:
    """Grouped bars: the share of closed cases reaching each stage; the outcomes (won,
    lost) in a panel of their own, since a case ends there rather than passing through."""
    said = _words(words)
    found = list(dict.fromkeys(s for m in charts.values() for s in m.get("funnel") or {}))
    if not found:
        return None
    stages = [s for s in found if s not in OUTCOME_STAGES]
    outcomes = [s for s in OUTCOME_STAGES if s in found]
    panels = [(said["stages"], stages), (said["outcomes"], outcomes)]
    panels = [(title, items) for title, items in panels if items]
    bars = {m: (c.get("funnel") or {}, c.get("funnel_ci") or {}) for m, c in charts.items()}
    figure = make_subplots(rows=1, cols=len(panels), shared_yaxes=True,
                           horizontal_spacing=0.04,
                           column_widths=[max(len(items), 1) for _, items in panels],
                           subplot_titles=[esc(title) for title, _ in panels])
    for column, (_, items) in enumerate(panels, start=1):
        _bars(figure, bars, baseline, items, stage_names, False, "%{y:.1%}", column)
    _layout(figure, 420, barmode="group", bargap=0.18, bargroupgap=0.04)
    figure.update_yaxes(tickformat=".0%", rangemode="tozero")
    figure.update_yaxes(title_text=esc(said["funnel_axis"]), row=1, col=1)
    figure.update_xaxes(tickangle=-35)
    figure.update_annotations(font={"size": 13, "color": TEXT})
    return figure


def cash_figure(charts: Charts, baseline: str, words: Mapping[str, str] | None = None
                ) -> go.Figure | None:
    """Cash received per month, one line per member (months without cash count as zero) in
    its band, the 95% interval across replications; months only partly inside the run are
    shaded and their points hollow, so the short first and last months do not read as a
    collapse."""
    said = _words(words)
    months = sorted({m for member in charts.values() for m in member.get("cash") or {}})
    if not months:
        return None
    partial = {m for member in charts.values() for m in member.get("partial_months") or []}
    palette = colours(list(charts), baseline)
    figure = go.Figure()
    for month in (m for m in months if m in partial):
        at = months.index(month)
        figure.add_vrect(x0=at - 0.5, x1=at + 0.5, fillcolor="#e5e7eb", opacity=0.6,
                         line_width=0, layer="below", annotation_text=esc(said["partial"]),
                         annotation_position="top", annotation_font_color=MUTED)
    for member in _baseline_last(list(charts), baseline):
        cash = charts[member].get("cash") or {}
        band = charts[member].get("cash_ci") or {}
        if band:  # a month this member has no cash in: zero, without spread
            low = [float(band[m][0]) if m in band else 0.0 for m in months]
            high = [float(band[m][1]) if m in band else 0.0 for m in months]
            figure.add_trace(go.Scatter(
                x=[*months, *reversed(months)], y=[*low, *reversed(high)], fill="toself",
                fillcolor=_faint(palette[member]), line={"width": 0}, hoverinfo="skip",
                name=esc(f"{member}: {said['interval']}"), legendgroup=esc(member),
                showlegend=False))
        figure.add_trace(go.Scatter(
            x=months, y=[float(cash.get(m, 0.0)) for m in months],
            mode="lines+markers", name=esc(member), legendgroup=esc(member),
            line=_line(member, baseline, palette[member]),
            marker={"size": 6, "symbol": ["circle-open" if m in partial else "circle"
                                          for m in months]},
            hovertemplate=f"{esc(member)}<br>%{{x}}: %{{y:,.0f}}<extra></extra>"))
    _layout(figure, 360)
    figure.update_xaxes(type="category", title_text=esc(said["month"]))
    figure.update_yaxes(tickformat=",.0f", title_text=esc(said["cash_axis"]), rangemode="tozero")
    return figure


def waiting_figure(charts: Charts, baseline: str, words: Mapping[str, str] | None = None
                   ) -> tuple[go.Figure | None, int, int]:
    """Horizontal grouped bars of the median wait before each activity: the activities with
    the longest waits (in any member) first. Returns the figure, activities shown, in all."""
    waits: dict[str, float] = {}
    for member in charts.values():
        for activity, days in (member.get("waiting") or {}).items():
            if days is not None:
                waits[activity] = max(waits.get(activity, 0.0), float(days))
    if not waits:
        return None, 0, 0
    said = _words(words)
    chosen = sorted(waits, key=lambda a: -waits[a])[:MAX_ACTIVITIES]
    figure = go.Figure()
    bars = {m: (c.get("waiting") or {}, c.get("waiting_ci") or {}) for m, c in charts.items()}
    _bars(figure, bars, baseline, chosen, {}, True,
          f"%{{x:.1f}} {esc(said['days'])}")
    per_group = len(charts) * 7 + 16
    _layout(figure, 110 + len(chosen) * per_group, barmode="group", bargap=0.22,
            bargroupgap=0.0)
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title_text=esc(said["waiting_axis"]), rangemode="tozero")
    return figure, len(chosen), len(waits)


def utilisation_figure(charts: Charts, baseline: str, words: Mapping[str, str] | None = None
                       ) -> go.Figure | None:
    """Grouped bars: the busy share of each resource pool, with its 95% interval across
    replications as an error bar."""
    pools = sorted({p for m in charts.values() for p in m.get("utilisation") or {}})
    if not pools:
        return None
    said = _words(words)
    figure = go.Figure()
    bars = {m: (c.get("utilisation") or {}, c.get("utilisation_ci") or {})
            for m, c in charts.items()}
    _bars(figure, bars, baseline, pools, {}, False,
          f"%{{y:.1%}} {esc(said['busy'])}")
    _layout(figure, 340, barmode="group", bargap=0.25, bargroupgap=0.04)
    figure.update_yaxes(tickformat=".0%", title_text=esc(said["utilisation_axis"]),
                        rangemode="tozero")
    return figure


def over_time_series(charts: Charts, baseline: str) -> list[str]:
    """The series every member's weekly behaviour has: 'wip', then each pool's queue and
    utilisation (``sim.over_time.series_key``)."""
    found = {k for m in charts.values() for k in m.get("over_time") or {}}
    order = {"wip": 0, "queue": 1, "utilisation": 2}
    return sorted(found, key=lambda k: (k.partition(":")[2], order.get(k.partition(":")[0], 3)))


def series_title(key: str, words: Mapping[str, str] | None = None) -> str:
    """'cases waiting for Approvers' for 'queue:Approvers', in the words given."""
    measure, _, pool = key.partition(":")
    return _words(words).get(f"ot_{measure}", measure).format(pool=pool)


def over_time_figure(charts: Charts, baseline: str, key: str,
                     words: Mapping[str, str] | None = None) -> go.Figure | None:
    """One series week by week (work in progress, a pool's queue or its busy share): one
    line per member in its band, the 95% interval across replications, and the history's
    weeks in grey where the baseline has them."""
    said = _words(words)
    palette = colours(list(charts), baseline)
    figure = go.Figure()
    share = key.startswith("utilisation")
    shown = ".1%" if share else ",.1f"
    history = (charts.get(baseline, {}).get("over_time_history") or {}).get(key)
    if history and history.get("mean"):
        weeks = sorted(history["mean"])
        figure.add_trace(go.Scatter(
            x=weeks, y=[float(history["mean"][w]) for w in weeks], mode="lines",
            name=esc(said["history"]), line={"color": "#9ca3af", "width": 1.5},
            hovertemplate=f"{esc(said['history'])}<br>%{{x}}: %{{y:{shown}}}<extra></extra>"))
    drawn = False
    for member in _baseline_last(list(charts), baseline):
        series = (charts[member].get("over_time") or {}).get(key)
        if not series or not series.get("mean"):
            continue
        mean, band = series["mean"], series.get("ci") or {}
        weeks = sorted(mean)
        banded = [w for w in weeks if w in band]
        if banded:
            figure.add_trace(go.Scatter(
                x=[*banded, *reversed(banded)],
                y=[*(band[w][0] for w in banded), *(band[w][1] for w in reversed(banded))],
                fill="toself", fillcolor=_faint(palette[member]), line={"width": 0},
                hoverinfo="skip", name=esc(f"{member}: {said['interval']}"),
                legendgroup=esc(member), showlegend=False))
        figure.add_trace(go.Scatter(
            x=weeks, y=[float(mean[w]) for w in weeks], mode="lines", name=esc(member),
            legendgroup=esc(member), line=_line(member, baseline, palette[member]),
            hovertemplate=f"{esc(member)}<br>%{{x}}: %{{y:{shown}}}<extra></extra>"))
        drawn = True
    if not drawn:
        return None
    _layout(figure, 360)
    figure.update_xaxes(title_text=esc(said["week"]))
    figure.update_yaxes(title_text=esc(series_title(key, said)), rangemode="tozero",
                        tickformat=".0%" if share else ",.0f")
    return figure


def segment_figure(rows: Sequence[SegmentRow], kpi: str, baseline: str,
                   words: Mapping[str, str] | None = None) -> go.Figure | None:
    """One KPI's difference against the baseline segment by segment (``sim.segments``), a
    dot per scenario with its 95% interval: where a change helps and where it does not."""
    chosen = [r for r in rows if r.kpi == kpi and r.diff is not None]
    if not chosen:
        return None
    said = _words(words)
    scenarios = list(dict.fromkeys(r.scenario for r in chosen))
    segments = list(dict.fromkeys(r.segment for r in chosen))
    palette = colours([baseline, *scenarios], baseline)
    figure = go.Figure()
    unit = chosen[0].unit
    scale = 100.0 if unit == "share" else 1.0  # a rate's difference in percentage points
    for scenario in scenarios:
        mine = [r for r in chosen if r.scenario == scenario]
        diffs = [(r.diff or 0.0) * scale for r in mine]  # every chosen row has its difference
        low = [d - r.ci_low * scale if r.ci_low is not None else 0.0
               for d, r in zip(diffs, mine, strict=True)]
        high = [r.ci_high * scale - d if r.ci_high is not None else 0.0
                for d, r in zip(diffs, mine, strict=True)]
        figure.add_trace(go.Scatter(
            x=diffs, y=[esc(r.segment) for r in mine], mode="markers", name=esc(scenario),
            marker={"color": palette[scenario], "size": 10},
            error_x={"type": "data", "symmetric": False, "array": high, "arrayminus": low,
                     "color": palette[scenario], "thickness": 1.5},
            hovertemplate=f"{esc(scenario)}<br>%{{y}}: %{{x:+,.2f}}<extra></extra>"))
    _layout(figure, 120 + 34 * len(segments))
    axis = f"{said['segment_axis']} ({said.get('unit_' + unit, unit)})" if unit else (
        said["segment_axis"])
    figure.update_xaxes(title_text=esc(axis), zeroline=True, zerolinecolor="#6b7280")
    figure.update_yaxes(automargin=True, autorange="reversed")
    return figure
