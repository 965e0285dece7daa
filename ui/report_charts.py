"""The charts of a comparison report as Plotly figures, one colour per study member.

Each function takes the ``charts`` data a study keeps (member name -> cycle-time quantiles,
funnel, waiting, cash per month, utilisation) and returns a figure, or ``None`` when no
member has data for it. Every text a user or a log supplied (scenario, activity, pool and
stage names) is HTML-escaped: Plotly renders labels as a small subset of HTML.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import plotly.graph_objects as go
from plotly.subplots import make_subplots

FONT = ('-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
        '"Noto Sans", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif')
TEXT, MUTED, GRID = "#1f2937", "#6b7280", "#e5e7eb"
BASELINE_COLOUR = "#111827"
PALETTE = ("#2563eb", "#f59e0b", "#10b981", "#e11d48", "#8b5cf6", "#06b6d4", "#f97316",
           "#84cc16", "#db2777", "#64748b", "#0d9488", "#a16207")
CYCLE_KPIS = ("sales_cycle", "order_to_cash", "lead_to_cash")
QUANTILE_GRID = tuple(i / 20 for i in range(21))
MAX_ACTIVITIES = 12

Charts = Mapping[str, Mapping[str, object]]


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


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


def _section(charts: Charts, member: str, key: str) -> dict[str, object]:
    value = charts.get(member, {}).get(key) or {}
    return dict(value) if isinstance(value, Mapping) else {}


def _width(member: str, baseline: str) -> float:
    return 3.0 if member == baseline else 2.0


def cycle_time_figure(charts: Charts, baseline: str, labels: Mapping[str, str]
                      ) -> go.Figure | None:
    """Cumulative distributions (share of cases done within x days), one panel per KPI."""
    members = list(charts)
    kpis = [k for k in CYCLE_KPIS if any(_section(charts, m, "cycle_times").get(k)
                                         for m in members)]
    if not kpis:
        return None
    figure = make_subplots(rows=1, cols=len(kpis), horizontal_spacing=0.06,
                           subplot_titles=[esc(labels.get(k, k.replace("_", " ").capitalize()))
                                           for k in kpis])
    palette = colours(members, baseline)
    shown: set[str] = set()
    for column, kpi in enumerate(kpis, start=1):
        right = 0.0
        for member in members:
            curve = _section(charts, member, "cycle_times").get(kpi)
            if not curve:
                continue
            days = [float(v) for v in curve]  # type: ignore[union-attr]
            shares = list(QUANTILE_GRID) if len(days) == len(QUANTILE_GRID) else [
                i / (len(days) - 1) for i in range(len(days))]
            right = max(right, days[-2] if len(days) > 2 else days[-1])
            figure.add_trace(go.Scatter(
                x=days, y=shares, mode="lines", name=esc(member), legendgroup=esc(member),
                showlegend=member not in shown,
                line={"color": palette[member], "width": _width(member, baseline),
                      "shape": "spline", "smoothing": 0.4},
                hovertemplate=f"{esc(member)}<br>%{{y:.0%}} done within %{{x:.1f}} days"
                              "<extra></extra>"), row=1, col=column)
            shown.add(member)
        figure.update_xaxes(title_text="days", range=[0, right * 1.08 or 1], row=1, col=column)
    figure.update_yaxes(tickformat=".0%", range=[0, 1.02])
    figure.update_yaxes(title_text="cases done within", row=1, col=1)
    _layout(figure, 380)
    figure.update_annotations(font={"size": 13, "color": TEXT})
    return figure


def _bars(figure: go.Figure, charts: Charts, baseline: str, key: str, items: list[str],
          names: Mapping[str, str], horizontal: bool, hover: str) -> None:
    palette = colours(list(charts), baseline)
    for member in charts:
        values = _section(charts, member, key)
        shown = [esc(names.get(i, i)) for i in items]
        numbers = [values.get(i) for i in items]
        bar = (go.Bar(y=shown, x=numbers, orientation="h") if horizontal
               else go.Bar(x=shown, y=numbers))
        bar.update(name=esc(member), marker={"color": palette[member]},
                   hovertemplate=f"{esc(member)}<br>%{{{'y' if horizontal else 'x'}}}: "
                                 f"{hover}<extra></extra>")
        figure.add_trace(bar)


def funnel_figure(charts: Charts, baseline: str, stage_names: Mapping[str, str]
                  ) -> go.Figure | None:
    """Grouped bars: the share of closed cases reaching each stage, losses last."""
    stages = list(dict.fromkeys(s for m in charts for s in _section(charts, m, "funnel")))
    if not stages:
        return None
    stages = [s for s in stages if "lost" not in s] + [s for s in stages if "lost" in s]
    figure = go.Figure()
    _bars(figure, charts, baseline, "funnel", stages, stage_names, False, "%{y:.1%}")
    _layout(figure, 420, barmode="group", bargap=0.18, bargroupgap=0.04)
    figure.update_yaxes(tickformat=".0%", title_text="closed cases reaching the stage")
    figure.update_xaxes(tickangle=-35)
    return figure


def cash_figure(charts: Charts, baseline: str) -> go.Figure | None:
    """Cash received per month, one line per member (months without cash count as zero)."""
    months = sorted({m for member in charts for m in _section(charts, member, "cash")})
    if not months:
        return None
    palette = colours(list(charts), baseline)
    figure = go.Figure()
    for member in charts:
        cash = _section(charts, member, "cash")
        figure.add_trace(go.Scatter(
            x=months, y=[float(cash.get(m, 0.0)) for m in months],  # type: ignore[arg-type]
            mode="lines+markers", name=esc(member),
            line={"color": palette[member], "width": _width(member, baseline)},
            marker={"size": 5},
            hovertemplate=f"{esc(member)}<br>%{{x}}: %{{y:,.0f}}<extra></extra>"))
    _layout(figure, 360)
    figure.update_xaxes(type="category", title_text="month")
    figure.update_yaxes(tickformat=",.0f", title_text="cash received", rangemode="tozero")
    return figure


def waiting_figure(charts: Charts, baseline: str) -> tuple[go.Figure | None, int, int]:
    """Horizontal grouped bars of the median wait before each activity: the activities with
    the longest waits (in any member) first. Returns the figure, activities shown, in all."""
    waits: dict[str, float] = {}
    for member in charts:
        for activity, days in _section(charts, member, "waiting").items():
            if days is not None:
                waits[activity] = max(waits.get(activity, 0.0), float(days))  # type: ignore[arg-type]
    if not waits:
        return None, 0, 0
    chosen = sorted(waits, key=lambda a: -waits[a])[:MAX_ACTIVITIES]
    figure = go.Figure()
    _bars(figure, charts, baseline, "waiting", chosen, {}, True, "%{x:.1f} days")
    per_group = len(charts) * 7 + 16
    _layout(figure, 110 + len(chosen) * per_group, barmode="group", bargap=0.22,
            bargroupgap=0.0)
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title_text="median wait before the activity (days)", rangemode="tozero")
    return figure, len(chosen), len(waits)


def utilisation_figure(charts: Charts, baseline: str) -> go.Figure | None:
    """Grouped bars: the busy share of each resource pool."""
    pools = sorted({p for m in charts for p in _section(charts, m, "utilisation")})
    if not pools:
        return None
    figure = go.Figure()
    _bars(figure, charts, baseline, "utilisation", pools, {}, False, "%{y:.1%} busy")
    _layout(figure, 340, barmode="group", bargap=0.25, bargroupgap=0.04)
    figure.update_yaxes(tickformat=".0%", title_text="busy share of working time",
                        rangemode="tozero")
    return figure
