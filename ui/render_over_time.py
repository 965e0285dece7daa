"""The terminal table of behaviour over time (``l2c compare --over-time``): per series (work
in progress, each pool's queue and busy share) and member, the mean over the weeks and the
busiest week with its 95% interval, so a choke shows as a peak without 80 rows of weeks; the
JSON output has every week."""

from __future__ import annotations

from collections.abc import Mapping

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.chart_data import Charts
from sim.over_time import HISTORY_OVER_TIME
from ui.report_charts import over_time_series, series_title

HISTORY = "History"


def peak(series: Mapping[str, object]) -> tuple[str, float, list[float] | None] | None:
    """The week with the highest mean, its mean and its interval (None when none)."""
    mean = series.get("mean")
    if not isinstance(mean, Mapping) or not mean:
        return None
    week = max(sorted(mean), key=lambda w: float(mean[w]))
    band = series.get("ci")
    found = band.get(week) if isinstance(band, Mapping) else None
    return str(week), float(mean[week]), list(found) if found else None


def _value(key: str, value: float) -> str:
    return f"{value:.0%}" if key.startswith("utilisation") else f"{value:,.1f}"


def members_series(charts: Charts, baseline: str) -> dict[str, Mapping[str, object]]:
    """Member -> its weekly series, the history first when the baseline carries it."""
    found: dict[str, Mapping[str, object]] = {}
    history = charts.get(baseline, {}).get(HISTORY_OVER_TIME)
    if isinstance(history, Mapping) and history:
        found[HISTORY] = history
    for member, sections in charts.items():
        series = sections.get("over_time")
        if isinstance(series, Mapping) and series:
            found[member] = series
    return found


def print_over_time(console: Console, charts: Charts, baseline: str) -> None:
    """One table: each series, each member's weekly mean and busiest week."""
    members = members_series(charts, baseline)
    if not members:
        console.print("[dim]No behaviour over time: the runs have no weeks to show.[/]")
        return
    table = Table(title="[bold]Behaviour over time[/] [dim]week by week; 95% interval across "
                        "replications[/]", title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False)
    for header in ("Series", "", "Weekly mean", "Busiest week", "That week",
                   "95% interval"):
        table.add_column(header, justify="left" if header in ("Series", "") else "right")
    for key in over_time_series(charts, baseline):
        title = series_title(key)
        for member, series in members.items():
            found = series.get(key)
            if not isinstance(found, Mapping) or (top := peak(found)) is None:
                continue
            week, value, band = top
            means = [float(v) for v in found["mean"].values()]
            interval = (f"{_value(key, band[0])} to {_value(key, band[1])}" if band
                        else "")
            table.add_row(escape(title), escape(member), _value(key, sum(means) / len(means)),
                          week, _value(key, value), interval)
            title = ""
        table.add_section()
    console.print(table)
