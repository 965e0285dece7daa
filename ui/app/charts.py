"""Plotly figures of the Model, Targets and fidelity views (the comparison charts are
``ui.report_charts``, shared with the HTML report). Pure functions: data in, figure out.

Every name a log supplied (activities, pools, members) is HTML-escaped, since Plotly reads
labels as a little HTML; the font list puts Japanese faces early so Japanese names render.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from calibration import model_view
from sim.calendar import DAY_NAMES
from sim.distributions import Distribution
from sim.fidelity_row import FidelityRow
from sim.materiality import finite_number
from ui.report_format import esc

FONT = ('-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Noto Sans CJK JP", '
        '"Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, Arial, sans-serif')
TEXT, MUTED, GRID = "#1f2937", "#6b7280", "#e5e7eb"
OBSERVED, FITTED, GOOD, BAD = "#93c5fd", "#1d4ed8", "#16a34a", "#dc2626"


def layout(figure: go.Figure, height: int = 320, **extra: object) -> go.Figure:
    settings: dict[str, object] = {
        "template": "plotly_white", "height": height,
        "font": {"family": FONT, "size": 12, "color": TEXT},
        "margin": {"l": 60, "r": 16, "t": 40, "b": 48}, "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}}
    figure.update_layout(**(settings | extra))
    figure.update_xaxes(gridcolor=GRID, zeroline=False, title_font={"color": MUTED})
    figure.update_yaxes(gridcolor=GRID, zeroline=False, title_font={"color": MUTED})
    return figure


def histogram_with_fit(observed: np.ndarray, dist: Distribution | None, title: str,
                       labels: Mapping[str, str]) -> go.Figure:
    """Observed durations as bars, the fitted distribution as a line over the same bins
    (both as shares of observations), in the unit that reads best."""
    edges = model_view.histogram_bins(observed, dist)
    size, unit = model_view.time_unit(observed if len(observed) else
                                      float(dist.quantile(0.5)) if dist else 1.0)
    centres = (edges[:-1] + edges[1:]) / 2 / size
    figure = go.Figure()
    if len(observed):
        counts, _ = np.histogram(observed, bins=edges)  # the longest 1% fall off the right
        figure.add_trace(go.Bar(
            x=centres, y=counts / len(observed), width=(edges[1] - edges[0]) / size,
            name=esc(labels["observed"]), marker={"color": OBSERVED},
            hovertemplate=f"%{{x:.2f}} {esc(labels[unit])}: %{{y:.1%}}<extra></extra>"))
    if dist is not None:
        shares = model_view.fitted_shares(dist, edges)
        figure.add_trace(go.Scatter(
            x=centres, y=shares, mode="lines", name=esc(labels["fitted"]),
            line={"color": FITTED, "width": 2.5, "shape": "spline", "smoothing": 0.5},
            hovertemplate=f"%{{x:.2f}} {esc(labels[unit])}: %{{y:.1%}}<extra></extra>"))
    layout(figure, 300, title={"text": esc(title), "font": {"size": 14}}, bargap=0.02,
           legend={"x": 0.99, "xanchor": "right", "y": 0.98, "yanchor": "top",
                   "bgcolor": "rgba(255,255,255,0.7)"})
    figure.update_xaxes(title_text=esc(labels[unit]), rangemode="tozero")
    figure.update_yaxes(tickformat=".0%", title_text=esc(labels["share"]))
    return figure


def branch_bars(probabilities: Mapping[str, float], label: str) -> go.Figure:
    items = sorted(probabilities.items(), key=lambda kv: kv[1])
    figure = go.Figure(go.Bar(
        x=[p for _, p in items], y=[esc(n) for n, _ in items], orientation="h",
        marker={"color": FITTED}, text=[f"{p:.0%}" for _, p in items], textposition="auto",
        hovertemplate="%{y}: %{x:.1%}<extra></extra>"))
    layout(figure, 90 + 34 * len(items))
    figure.update_xaxes(tickformat=".0%", range=[0, 1], title_text=esc(label))
    figure.update_yaxes(automargin=True)
    return figure


def week_heatmap(matrix: np.ndarray, colour_title: str, scale: str = "Blues",
                 days: Sequence[str] = DAY_NAMES, value_format: str = ".2f") -> go.Figure:
    """A weekday x hour grid (rows Monday first), e.g. arrivals per hour or open hours."""
    figure = go.Figure(go.Heatmap(
        z=matrix, x=[f"{h:02d}" for h in range(24)], y=[esc(d) for d in days],
        colorscale=scale, colorbar={"title": {"text": esc(colour_title)}, "thickness": 12},
        hovertemplate=f"%{{y}} %{{x}}:00 — %{{z:{value_format}}}<extra></extra>", xgap=1, ygap=1))
    layout(figure, 260, margin={"l": 48, "r": 16, "t": 16, "b": 40})
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title_text="h")
    return figure


def calendar_grid(open_hours: np.ndarray, days: Sequence[str] = DAY_NAMES) -> go.Figure:
    """A pool's working hours: open hours filled, closed hours blank."""
    figure = go.Figure(go.Heatmap(
        z=np.asarray(open_hours, dtype=float).reshape(7, 24), x=[f"{h:02d}" for h in range(24)],
        y=[esc(d) for d in days], colorscale=[[0, "#f3f4f6"], [1, "#2563eb"]], showscale=False,
        xgap=1, ygap=1, hoverinfo="skip"))
    layout(figure, 200, margin={"l": 48, "r": 16, "t": 8, "b": 32})
    figure.update_yaxes(autorange="reversed")
    return figure


def monthly_bars(counts: Mapping[str, int], title: str) -> go.Figure:
    months = sorted(counts)
    figure = go.Figure(go.Bar(x=months, y=[counts[m] for m in months],
                              marker={"color": OBSERVED},
                              hovertemplate="%{x}: %{y:,}<extra></extra>"))
    layout(figure, 260)
    figure.update_xaxes(type="category")
    figure.update_yaxes(title_text=esc(title), rangemode="tozero")
    return figure


def fidelity_dots(rows: Sequence[tuple[FidelityRow, str]], labels: Mapping[str, str],
                  tolerance: float = 0.10) -> go.Figure | None:
    """Each KPI's simulated value relative to the history (0% = spot on), with its 95%
    interval, named as given beside it; the band is the ±10% within which a KPI counts as
    reproduced."""
    shown = [(r, name) for r, name in rows if r.real]
    if not shown:
        return None
    names, errors, lows, highs, colours = [], [], [], [], []
    for row, name in reversed(shown):
        real = finite_number(row.real) or 1.0  # never 1.0: only non-zero numbers are shown
        simulated = finite_number(row.simulated) or 0.0
        low, high = finite_number(row.ci_low), finite_number(row.ci_high)
        names.append(esc(name))
        errors.append(simulated / real - 1)
        lows.append(simulated / real - low / real if low is not None else 0.0)
        highs.append(high / real - simulated / real if high is not None else 0.0)
        colours.append(GOOD if row.reproduced else BAD)
    figure = go.Figure()
    figure.add_vrect(x0=-tolerance, x1=tolerance, fillcolor="#dcfce7", opacity=0.6,
                     line_width=0, layer="below")
    figure.add_trace(go.Scatter(
        x=errors, y=names, mode="markers", marker={"color": colours, "size": 10},
        error_x={"type": "data", "symmetric": False, "array": highs, "arrayminus": lows,
                 "color": "#9ca3af", "thickness": 1.5},
        hovertemplate="%{y}: %{x:+.0%}<extra></extra>", showlegend=False))
    layout(figure, 80 + 26 * len(names))
    largest = max(0.3, *(abs(e) for e in errors))
    figure.update_xaxes(tickformat="+.0%", range=[-largest * 1.15, largest * 1.15],
                        title_text=esc(labels["axis"]), zeroline=True, zerolinecolor="#6b7280")
    figure.update_yaxes(automargin=True)
    return figure


@dataclass(frozen=True)
class TornadoBar:
    """One lever alone at its standard step: its effect on the KPI with the 95% interval,
    and whether it moves the KPI towards the target."""

    label: str
    step: str
    diff: float | None
    low: float | None
    high: float | None
    helps: bool


def tornado(bars: Sequence[TornadoBar], unit_label: str) -> go.Figure | None:
    """Each lever's effect at its standard step, with the 95% interval, largest first."""
    bars = [b for b in bars if finite_number(b.diff) is not None][::-1]
    if not bars:
        return None
    names = [esc(f"{b.label} ({b.step})") for b in bars]
    diffs = [finite_number(b.diff) or 0.0 for b in bars]
    lows = [finite_number(b.low) for b in bars]
    highs = [finite_number(b.high) for b in bars]
    minus = [d - low if low is not None else 0.0 for d, low in zip(diffs, lows, strict=True)]
    plus = [high - d if high is not None else 0.0 for d, high in zip(diffs, highs, strict=True)]
    colours = [FITTED if b.helps else "#9ca3af" for b in bars]
    figure = go.Figure(go.Bar(
        x=diffs, y=names, orientation="h", marker={"color": colours},
        error_x={"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
                 "color": "#374151", "thickness": 1.2},
        hovertemplate="%{y}: %{x:+.2f}<extra></extra>"))
    layout(figure, 90 + 26 * len(bars))
    figure.update_xaxes(title_text=esc(unit_label), zeroline=True, zerolinecolor="#6b7280")
    figure.update_yaxes(automargin=True)
    return figure


def seek_trace(trace: Sequence[tuple[float, float | None]], target: float, baseline: float,
               labels: Mapping[str, str]) -> go.Figure | None:
    """The amounts a goal seek tried and the KPI at each (None: not measured there), with
    the target line."""
    points = sorted((change, value) for change, value in trace if value is not None)
    if not points:
        return None
    points = [(0.0, baseline), *points]
    figure = go.Figure(go.Scatter(x=[a for a, _ in points], y=[v for _, v in points],
                                  mode="lines+markers", line={"color": FITTED},
                                  hovertemplate="%{x:.2f}: %{y:.2f}<extra></extra>",
                                  showlegend=False))
    figure.add_hline(y=target, line_dash="dash", line_color=BAD,
                     annotation_text=esc(labels["target"]), annotation_position="top left")
    layout(figure, 280)
    figure.update_xaxes(title_text=esc(labels["amount"]))
    figure.update_yaxes(title_text=esc(labels["kpi"]))
    return figure
