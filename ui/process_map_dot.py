"""The process map of a study member as Graphviz source, the scenario against the baseline.

The frequency view labels each activity and transition with how often it happens per run;
the performance view with its median work (activities) or wait (transitions), the
baseline's beside the scenario's. A median the scenario changes is coloured (green shorter,
red longer) only when its 95% interval, paired replication by replication, excludes zero
(``sim.process_map``): the map shows what changed and where, not the noise of the runs.
One log's map by performance (the history's, or a member's without a baseline to differ
from) is coloured by its own times instead, the longest waits and work the reddest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict

import pandas as pd

from calibration.processmap import busiest, display_width, wait_text
from sim.chart_data import Charts, MapChange, MapStep
from sim.process_map import ARC, END, NODE, START

SHORTER, LONGER, SAME = "#15803d", "#b91c1c", "#7a8899"
FILL_SHORTER, FILL_LONGER, FILL = "#dcfce7", "#fee2e2", "#e8f1fa"
FONT = "Noto Sans CJK JP, Hiragino Sans, Meiryo, Helvetica, Arial, sans-serif"
WORDS = {"start": "start", "end": "end"}
SECOND_DAYS = 1 / 86_400  # logs keep whole seconds: a smaller difference is rounding


def _quote(*lines: str) -> str:
    """A DOT string of these lines (Graphviz's own line break between them)."""
    return '"' + "\\n".join(t.replace("\\", "\\\\").replace('"', '\\"') for t in lines) + '"'


def _change(diff: MapChange | None) -> str | None:
    """'shorter' or 'longer' when the paired interval excludes zero (by more than a
    second), else None."""
    if diff is None or diff.ci_low is None or diff.ci_high is None:
        return None
    if diff.ci_high < -SECOND_DAYS:
        return "shorter"
    return "longer" if diff.ci_low > SECOND_DAYS else None


def _time(days: float | None, lang: str) -> str:
    return "" if days is None else wait_text(days, lang)


def process_map_dot(charts: Charts, baseline: str, member: str, view: str = "performance",
                    share: float = 0.95, words: Mapping[str, str] | None = None,
                    lang: str = "en") -> str | None:
    """Graphviz source of ``member``'s map (``view``: "frequency" or "performance"), with
    the baseline's figures beside a scenario's; the busiest transitions making up ``share``
    of all; durations in ``lang``. None when the member has no map."""
    said = {**WORDS, **dict(words or {})}
    rows = charts.get(member, {}).get("process_map", [])
    if not rows:
        return None
    base = ({r.key: r for r in charts.get(baseline, {}).get("process_map", [])}
            if member != baseline else {})
    diffs = {d.key: d for d in charts.get(member, {}).get("process_map_diff", [])}
    nodes = [r for r in rows if r.kind == NODE]
    arcs = [r for r in rows if r.kind == ARC]
    table = pd.DataFrame([asdict(r) for r in arcs], columns=["source", "target", "count"])
    kept = [arcs[i] for i in busiest(table, share).index]  # the busiest first
    biggest = max([r.count for r in nodes] or [1.0])
    lines = ["digraph process {",
             f"  graph [rankdir=TB, nodesep=0.35, ranksep=0.45, fontname={_quote(FONT)}];",
             f'  node [shape=box, style="rounded,filled", fontname={_quote(FONT)}, '
             'fontsize=11, color="#5b6b7f", penwidth=1.2];',
             f'  edge [fontname={_quote(FONT)}, fontsize=9, fontcolor="#37465a", '
             'arrowsize=0.6];',
             f"  {START} [label={_quote(str(said['start']))}, shape=circle, width=0.5, "
             'fixedsize=true, fillcolor="#d8f0dc", color="#3c8d50", fontsize=9];',
             f"  {END} [label={_quote(str(said['end']))}, shape=doublecircle, width=0.45, "
             'fixedsize=true, fillcolor="#f6dada", color="#b04a4a", fontsize=9];']
    heat = view == "performance" and not diffs  # one log's map: the longest the reddest
    longest_work, longest_wait = _longest(nodes), _longest(kept)
    for row in nodes:
        name = row.source
        change = _change(diffs.get(row.key))
        figure = _figure(row, base.get(row.key), view, lang)
        fill = {"shorter": FILL_SHORTER, "longer": FILL_LONGER}.get(change or "", FILL)
        if heat:
            fill = _blend(FILL, FILL_LONGER, _share(row, longest_work))
        width = max(1.6, 0.085 * display_width(name) + 0.3)
        bold = 1.2 + 1.8 * row.count / biggest
        lines.append(f"  {_quote(name)} [label={_quote(name, figure)}, "
                     f'fillcolor="{fill}", width={width:.2f}, penwidth={bold:.2f}];')
    strongest = max([arc.count for arc in kept] or [1.0])
    for arc in kept:
        change = _change(diffs.get(arc.key))
        colour = {"shorter": SHORTER, "longer": LONGER}.get(change or "", SAME)
        if heat:
            colour = _blend(SAME, LONGER, _share(arc, longest_wait))
        source = arc.source if arc.source in (START, END) else _quote(arc.source)
        target = arc.target if arc.target in (START, END) else _quote(arc.target)
        text = _figure(arc, base.get(arc.key), view, lang)
        width = 0.6 + 4.0 * arc.count / strongest
        lines.append(f"  {source} -> {target} [label={_quote(' ' + text + ' ')}, "
                     f'color="{colour}", penwidth={width:.2f}];')
    lines.append("}")
    return "\n".join(lines)


def _longest(rows: Iterable[MapStep]) -> float:
    """The longest median among ``rows`` (days; 0 when none has one)."""
    return max([r.median for r in rows if r.median is not None] or [0.0])


def _share(row: MapStep, longest: float) -> float:
    return 0.0 if not longest or row.median is None else row.median / longest


def _blend(low: str, high: str, share: float) -> str:
    """The colour ``share`` of the way from ``low`` to ``high`` (both '#rrggbb')."""
    a = [int(low[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(high[i:i + 2], 16) for i in (1, 3, 5)]
    share = min(max(share, 0.0), 1.0)
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def _figure(row: MapStep, base: MapStep | None, view: str, lang: str) -> str:
    """The label's figure: the count or the median, the baseline's first when it differs."""
    if view == "frequency":
        now = f"{row.count:,.0f}"
        before = f"{base.count:,.0f}" if base is not None else now
    else:
        now = _time(row.median, lang)
        before = _time(base.median, lang) if base is not None else now
    return now if before == now or not before else f"{before} → {now}"
